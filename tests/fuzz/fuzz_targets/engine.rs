//! The engine never panics on any post, and evidence always quotes the caption at its offsets.
#![no_main]
use std::sync::OnceLock;

use deinfluencer::signals::Field;
use deinfluencer::{Creator, Engine, Lang, Post};
use libfuzzer_sys::fuzz_target;

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::new().expect("builtin lexicons are valid"))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // Split the input into fields so handles, hashtags and captions all get odd text.
    let mut parts = text.splitn(4, '\u{1}');
    let caption = parts.next().unwrap_or("").to_string();
    let handle = parts.next().unwrap_or("").to_string();
    let hashtags: Vec<String> = parts.next().unwrap_or("").split(',').map(str::to_string).collect();
    let music = parts.next().map(str::to_string);
    let post = Post {
        id: "1".into(),
        creator: Creator { handle, display_name: music.clone(), ..Creator::default() },
        caption,
        hashtags,
        music_title: music,
        ..Post::default()
    };
    let v = engine().judge(&post, Lang::Vi);
    assert!((0.0..=1.0).contains(&v.score));
    for e in &v.evidence {
        if e.field == Field::Caption {
            assert_eq!(post.caption.get(e.start..e.end), Some(e.text.as_str()));
        }
    }
});
