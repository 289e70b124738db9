//! Deinfluencer's core: finds commercial social-media posts and judges their advertising disclosure.
//!
//! The data flow, and the modules, in order: [`post`] (what a platform reader produces) →
//! [`normalize`] (folding look-alikes, diacritics and spacing tricks, keeping offsets) → [`lexicon`]
//! (word lists and rules, as data) → [`signals`] (what was found, with evidence) → [`verdict`]
//! (organic / disclosed / unclear / undisclosed) → [`ledger`] (per-creator counts). Platform readers
//! live in [`platform`]. Everything here is plain Rust with no I/O; the `wasm` module (wasm32 only)
//! is the thin binding the browser extension loads.

pub mod audit;
pub mod engine;
pub mod eval;
pub mod explain;
mod fold_rules;
pub mod ledger;
pub mod lexicon;
pub mod normalize;
pub mod platform;
pub mod post;
pub mod signals;
pub mod verdict;

/// The JavaScript API (wasm32 only). Public so the wasm tests in `tests/wasm.rs` can call it directly.
#[cfg(target_arch = "wasm32")]
pub mod wasm_api;

pub use engine::Engine;
pub use explain::Lang;
pub use post::{Creator, LabelKind, Platform, PlatformLabel, Post};
pub use verdict::{Verdict, VerdictKind};

/// The crate version, as the CLI and the extension report it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
