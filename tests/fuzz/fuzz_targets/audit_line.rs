//! One JSON Lines line of the audit CLI never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = deinfluencer::audit::parse_line(text, 1);
});
