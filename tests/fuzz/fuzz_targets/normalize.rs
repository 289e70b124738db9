//! Normalisation never panics, maps every folded byte back inside the original on char boundaries,
//! and is idempotent.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let folded = deinfluencer::normalize::fold(text);
    for i in 0..folded.text.len() {
        let (s, e) = folded.original_range(i, i + 1);
        assert!(s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e));
    }
    let again = deinfluencer::normalize::fold(&folded.text);
    assert_eq!(again.text, folded.text);
});
