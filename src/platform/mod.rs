//! Platform readers: turn what a platform sends (JSON, page blobs) into [`crate::Post`]s.

pub mod tiktok;
pub mod tiktok_page;
