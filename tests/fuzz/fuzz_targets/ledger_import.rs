//! Loading and importing ledger data never panics; a failed import changes nothing.
#![no_main]
use deinfluencer::ledger::CreatorLedger;
use deinfluencer::VerdictKind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = CreatorLedger::from_json(text);
    let mut ledger = CreatorLedger::new(100);
    ledger.record("1", "a", VerdictKind::Undisclosed, false, vec![], 1).expect("valid record");
    let before = ledger.to_json();
    if ledger.import_json(text).is_err() {
        assert_eq!(ledger.to_json(), before);
    }
    assert!(ledger.len() <= 100);
});
