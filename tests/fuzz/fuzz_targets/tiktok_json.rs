//! The TikTok readers never panic on any text: JSON or HTML, valid or not.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = deinfluencer::platform::tiktok::posts_from_json(text);
    let _ = deinfluencer::platform::tiktok::posts_from_html(text);
});
