//! Normalisation before matching, keeping a map back to the original text.
//!
//! Creators (and evaders) write the same marker in many ways: `#Ad`, `＃ａｄ`, `#аd` with a Cyrillic `а`,
//! `#a\u{200B}d`, `# a d`, `s.p.o.n.s.o.r.e.d`, `quảng cáo` or `quang cao`. [`fold`] turns all of them into
//! one form, and every byte of the folded text remembers which bytes of the original produced it, so
//! evidence can quote and point at what the creator actually wrote.
//!
//! Folding, per character: drop zero-width, bidi, soft-hyphen, variation-selector and tag characters;
//! Unicode NFKC (fullwidth, ligatures, mathematical letters); lower-case; Latin diacritics removed
//! (`ệ` → `e`, `đ` → `d`, `ß` → `ss`); Cyrillic and Greek look-alikes mapped to the Latin letter they
//! imitate. Then runs of single letters split by spaces, dots, dashes or emoji are joined
//! (`s p o n s o r e d` → `sponsored`, `# a d` → `#ad`).
//!
//! Characters below U+2100 (all Latin, Vietnamese, Greek, Cyrillic, Thai…) go through a table computed
//! once, so the common case is a lookup, not a Unicode algorithm.

use std::sync::OnceLock;

use crate::fold_rules::{confusable, is_invisible};

/// Text after folding, with a byte map back to the original.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    /// The folded text.
    pub text: String,
    /// For each byte of `text`: the original byte range `(start, end)` of the character that produced it.
    origin: Vec<(u32, u32)>,
    /// Whether `origin` is that of `text` ([`Folded::refold_text`] leaves it for later).
    has_origin: bool,
}

impl Folded {
    /// The original byte range behind the folded byte range `start..end`.
    /// Always a valid char-boundary range of the original text (empty ranges map to empty ranges).
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        if self.origin.is_empty() || start >= end {
            let at = self.origin.get(start).map(|o| o.0 as usize).unwrap_or(0);
            return (at, at);
        }
        let s = self.origin.get(start).map(|o| o.0).unwrap_or(0) as usize;
        let e = self
            .origin
            .get(end.saturating_sub(1).min(self.origin.len() - 1))
            .map(|o| o.1)
            .unwrap_or(0) as usize;
        (s, e.max(s))
    }

    /// The original byte offset where folded byte `at` came from (the end of the text past the end).
    pub fn original_offset(&self, at: usize, original_len: usize) -> usize {
        match self.origin.get(at) {
            Some(o) => o.0 as usize,
            None => original_len,
        }
    }
}

/// What one original character the table covers ([`FoldTable::get`]) folds to: the `len` bytes at `start` of the table's
/// buffer (`len` 0: dropped, e.g. zero-width, bidi, combining marks), and the [`char_class`] of that
/// piece when it is one character, `one` ([`MULTI`] when it is several, as `ß` → `ss`), so the common
/// case pushes one character and the spaced-letter check needs no second look at the folded text.
#[derive(Clone, Copy)]
struct CharFold {
    one: char,
    start: u32,
    len: u8,
    class: u8,
}

struct FoldTable {
    entries: Vec<CharFold>,
    buffer: String,
}

/// The table covers U+0000..U+3000: every script that needs lower-casing or diacritic folding, and
/// the symbols, arrows, dingbats and enclosed letters captions and music titles are full of
/// (`♫ ✨ ✅ ❤ ☘`), then the mathematical letters and digits (`𝐓𝐮𝐚𝐧`, U+1D400..U+1D800).
const TABLE_END: u32 = 0x3000;
const MATH_START: u32 = 0x1D400;
const MATH_END: u32 = 0x1D800;

impl FoldTable {
    /// The entry of code point `cp`, if the table covers it.
    #[inline(always)]
    fn get(&self, cp: u32) -> Option<&CharFold> {
        let idx = if cp < TABLE_END {
            cp
        } else if (MATH_START..MATH_END).contains(&cp) {
            TABLE_END + (cp - MATH_START)
        } else {
            return None;
        };
        self.entries.get(idx as usize)
    }
}

fn table() -> &'static FoldTable {
    static TABLE: OnceLock<FoldTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut entries = Vec::with_capacity((TABLE_END + MATH_END - MATH_START) as usize);
        let mut buffer = String::new();
        let mut scratch = String::new();
        for cp in (0..TABLE_END).chain(MATH_START..MATH_END) {
            scratch.clear();
            if let Some(c) = char::from_u32(cp) {
                fold_slow(c, &mut scratch);
            }
            let mut chars = scratch.chars();
            let (one, class) = match (chars.next(), chars.next()) {
                (Some(one), None) => (one, char_class(one)),
                _ => ('\0', MULTI),
            };
            entries.push(CharFold {
                one,
                start: buffer.len() as u32,
                len: scratch.len() as u8,
                class,
            });
            buffer.push_str(&scratch);
        }
        FoldTable { entries, buffer }
    })
}

// The generated exceptions: every character whose full folding (NFKC, lower case, Latin diacritics
// removed, look-alikes mapped) differs from plain lower-casing, below U+2100 and, above it, where the
// result is ASCII (fullwidth, mathematical, enclosed and ligature forms of Latin letters). See src/build.rs.
include!(concat!(env!("OUT_DIR"), "/fold_exceptions.rs"));

/// Full folding of one character, used to build the table and for characters outside it.
fn fold_slow(c: char, out: &mut String) {
    if is_invisible(c) {
        return;
    }
    if let Ok(i) = FOLD_EXCEPTIONS.binary_search_by_key(&(c as u32), |&(cp, _)| cp) {
        out.push_str(FOLD_EXCEPTIONS[i].1);
        return;
    }
    for l in c.to_lowercase() {
        out.push(confusable(l).unwrap_or(l));
    }
}

/// Fold one non-ASCII character into `out`, using the table when possible, and feed what it became to
/// the spaced-letter check (by value and back, so the caller's loop keeps it in registers).
#[inline(always)]
fn fold_wide(t: &FoldTable, c: char, out: &mut String, mut check: JoinCheck) -> JoinCheck {
    // The common case (Vietnamese and other Latin letters: one character in, one out) stays inline.
    if let Some(&CharFold { one, class, .. }) = t.get(c as u32)
        && class != MULTI
    {
        out.push(one);
        check.feed(class);
        return check;
    }
    if (EMOJI_START..=0x1FAFF).contains(&(c as u32)) {
        // Emoji (frequent in captions) are kept as they are, and are spacers unless alphanumeric
        // (the enclosed letters): what `char_class` says, without its general tests.
        out.push(c);
        check.feed(if is_alnum(c) { WORD } else { SPACER });
        return check;
    }
    fold_wide_rare(t, c, out, check)
}

/// [`fold_wide`] for the rest: dropped characters, several characters out, characters past the table.
#[inline(never)]
fn fold_wide_rare(t: &FoldTable, c: char, out: &mut String, mut check: JoinCheck) -> JoinCheck {
    let cp = c as u32;
    let before = out.len();
    if let Some(&CharFold { start, len, .. }) = t.get(cp) {
        let (s, l) = (start as usize, usize::from(len));
        out.push_str(t.buffer.get(s..s + l).unwrap_or(""));
    } else if (0x3041..=0x9FFF).contains(&cp)
        || (0xAC00..=0xD7A3).contains(&cp)
        || (0x1F000..=0x1FAFF).contains(&cp)
    {
        // Kana, CJK ideographs, Hangul syllables and emoji are already NFKC and have no case.
        out.push(c);
    } else {
        fold_slow(c, out);
    }
    if let Some(piece) = out.get(before..) {
        piece.chars().for_each(|p| check.feed(char_class(p)));
    }
    check
}

/// Separators that may sit between the letters of a spaced-out marker.
fn is_spacer(c: char) -> bool {
    matches!(
        c,
        ' ' | '.' | '-' | '_' | '*' | '·' | '•' | '/' | '|' | '~' | '+'
    ) || (c as u32) >= 0x2190 && !is_alnum(c) && !is_invisible(c)
}

/// [`char_class`] bits: a word character (letter or digit), or a spacer. No character is both.
const WORD: u8 = 1;
const SPACER: u8 = 2;
/// In a [`CharFold`]: the piece has several characters, each classified on its own.
const MULTI: u8 = 4;

/// What the spaced-letter check needs to know of a folded character.
#[inline]
fn char_class(c: char) -> u8 {
    if is_word(c) {
        WORD
    } else if is_spacer(c) {
        SPACER
    } else {
        0
    }
}

/// [`char_class`] of every ASCII character (folding keeps the class: only letters change case).
const ASCII_CLASS: [u8; 128] = {
    let mut classes = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        classes[b] = if c.is_ascii_alphanumeric() {
            WORD
        } else if matches!(
            c,
            b' ' | b'.' | b'-' | b'_' | b'*' | b'/' | b'|' | b'~' | b'+'
        ) {
            SPACER
        } else {
            0
        };
        b += 1;
    }
    classes
};

/// Emoji and pictograph block covered by the alphanumeric bitmap (folded captions are full of emoji).
const EMOJI_START: u32 = 0x1F000;
const EMOJI_END: u32 = 0x1FC00;

/// The end of the code points [`is_alnum`] answers from its bitmap before the emoji blocks: every
/// script below Hangul syllables (CJK ideographs and kana included, frequent in song titles).
const ALNUM_BMP_END: u32 = 0xD7B0;

/// `char::is_alphanumeric`, with the answer for U+0080..U+D7B0 and the emoji blocks precomputed: the
/// standard library answers non-ASCII characters with a binary search, and the spaced-letter check asks
/// about every character of every folded text.
#[inline]
pub(crate) fn is_alnum(c: char) -> bool {
    let cp = c as u32;
    if cp < 0x80 {
        return c.is_ascii_alphanumeric();
    }
    let bits = alnum_bits();
    let idx = if cp < ALNUM_BMP_END {
        cp as usize
    } else if (EMOJI_START..EMOJI_END).contains(&cp) {
        (ALNUM_BMP_END + cp - EMOJI_START) as usize
    } else {
        return c.is_alphanumeric();
    };
    bits.get(idx / 64).is_some_and(|w| w >> (idx % 64) & 1 == 1)
}

/// One bit per code point: U+0000..U+D7B0, then the emoji blocks.
fn alnum_bits() -> &'static [u64] {
    static BITS: OnceLock<Vec<u64>> = OnceLock::new();
    BITS.get_or_init(|| {
        let n = (ALNUM_BMP_END + (EMOJI_END - EMOJI_START)) as usize;
        let mut bits = vec![0u64; n.div_ceil(64)];
        let points = (0..ALNUM_BMP_END).chain(EMOJI_START..EMOJI_END);
        for (idx, cp) in points.enumerate() {
            if char::from_u32(cp).is_some_and(char::is_alphanumeric) {
                bits[idx / 64] |= 1 << (idx % 64);
            }
        }
        bits
    })
}

/// What [`fold_chars`] tells its caller about each piece of the original it folded.
trait FoldSink {
    /// The ASCII bytes `start..end` of the original, each folded to one byte, now at the end of the text.
    fn ascii(&mut self, start: u32, end: u32);
    /// The ASCII byte `at` of the original, folded to the last byte of the text.
    fn ascii_char(&mut self, at: u32);
    /// The non-ASCII character `c` at `start..end` of the original, folded to `text[before..after]`.
    fn wide(&mut self, before: usize, after: usize, start: u32, end: u32, c: char);
}

/// Folding without the byte map.
impl FoldSink for () {
    #[inline(always)]
    fn ascii(&mut self, _: u32, _: u32) {}
    #[inline(always)]
    fn ascii_char(&mut self, _: u32) {}
    #[inline(always)]
    fn wide(&mut self, _: usize, _: usize, _: u32, _: u32, _: char) {}
}

/// Builds [`Folded::origin`], and shows every non-ASCII character with its character index to `see`.
struct OriginSink<'a, F: FnMut(usize, char)> {
    origin: &'a mut Vec<(u32, u32)>,
    chars: usize,
    see: F,
}

impl<F: FnMut(usize, char)> FoldSink for OriginSink<'_, F> {
    #[inline(always)]
    fn ascii(&mut self, start: u32, end: u32) {
        self.chars += (end - start) as usize;
        self.origin.extend((start..end).map(|b| (b, b + 1)));
    }

    #[inline(always)]
    fn ascii_char(&mut self, at: u32) {
        self.chars += 1;
        self.origin.push((at, at + 1));
    }

    #[inline(always)]
    fn wide(&mut self, before: usize, after: usize, start: u32, end: u32, c: char) {
        (self.see)(self.chars, c);
        self.chars += 1;
        for _ in before..after {
            self.origin.push((start, end));
        }
    }
}

/// Fold every character of `original` into `text`, telling `sink` where each piece came from. No
/// spaced-letter joining here.
/// Returns whether the spaced-letter pass may change the text ([`JoinCheck`], computed on the way).
#[inline(always)]
fn fold_chars(original: &str, text: &mut String, sink: &mut impl FoldSink) -> bool {
    let mut check = JoinCheck::default();
    if original.is_ascii() {
        // All ASCII (handles, most hashtags and many captions): copied and lower-cased in bulk; only
        // the spaced-letter check looks at each byte.
        for &b in original.as_bytes() {
            check.feed(ASCII_CLASS[usize::from(b & 0x7F)]);
        }
        let from = text.len();
        text.push_str(original);
        if let Some(copied) = text.get_mut(from..) {
            copied.make_ascii_lowercase();
        }
        sink.ascii(0, original.len() as u32);
        return check.found();
    }
    let table = table();
    for (i, c) in original.char_indices() {
        if c.is_ascii() {
            // ASCII (most characters of most captions): one byte each, its class from a table.
            text.push(c.to_ascii_lowercase());
            check.feed(ASCII_CLASS[usize::from(c as u8 & 0x7F)]);
            sink.ascii_char(i as u32);
        } else {
            let before = text.len();
            check = fold_wide(table, c, text, check);
            let end = i + c.len_utf8();
            sink.wide(before, text.len(), i as u32, end as u32, c);
        }
    }
    check.found()
}

/// A `see` for [`Folded::refold`] that looks at nothing: one function, so every caller shares one
/// instance of the folding loop (a closure each would be a copy each in the wasm module).
pub fn ignore(_: usize, _: char) {}

/// Fold `original` for matching. Never panics; output length is bounded by a small multiple of the input.
///
/// Folds straight into the output string and its byte map; the char-by-char spaced-letter pass runs
/// only when [`JoinCheck`] saw a lone letter followed by a spacer (most texts have none).
pub fn fold(original: &str) -> Folded {
    let mut folded = Folded::default();
    folded.refold(original, ignore);
    folded
}

impl Folded {
    /// [`fold`] `original` into this value, reusing its buffers (the engine keeps one per thread, so
    /// judging a post allocates nothing here). `see(at, c)` is called with every non-ASCII character
    /// `c` of `original` and its index among all its characters, so the engine counts scripts for
    /// [`crate::signals::detect_language`] without a second pass.
    pub fn refold(&mut self, original: &str, see: impl FnMut(usize, char)) {
        self.reset(original, true);
        let Folded { text, origin, .. } = self;
        let mut sink = OriginSink {
            origin,
            chars: 0,
            see,
        };
        let may_join = fold_chars(original, text, &mut sink);
        let origin = sink.origin;
        if may_join && has_pair(text) {
            let mut chars: Vec<(char, u32, u32)> = text
                .char_indices()
                .map(|(i, c)| {
                    let (s, e) = origin.get(i).copied().unwrap_or((0, 0));
                    (c, s, e)
                })
                .collect();
            join_spaced_letters(&mut chars);
            text.clear();
            origin.clear();
            for (c, s, e) in chars {
                text.push(c);
                for _ in 0..c.len_utf8() {
                    origin.push((s, e));
                }
            }
        }
    }
}

impl Folded {
    /// [`Folded::refold`] without the byte map: the same `text` (and the same calls to `see`), and no
    /// map until [`Folded::ensure_origin`] asks for it. Most captions have nothing to point at, so
    /// they never need it.
    pub fn refold_text(&mut self, original: &str, see: impl FnMut(usize, char)) {
        self.reset(original, false);
        let mut sink = SeeSink { chars: 0, see };
        if fold_chars(original, &mut self.text, &mut sink) && has_pair(&self.text) {
            // Rare: the full fold joins the spaced letters (and builds the map on the way).
            self.refold(original, ignore);
        }
    }

    /// Empty the buffers for folding `original`, with room for it; `with_origin`: the byte map is
    /// built along (else it stays empty until [`Folded::ensure_origin`]).
    fn reset(&mut self, original: &str, with_origin: bool) {
        self.has_origin = with_origin;
        self.text.clear();
        self.origin.clear();
        self.text.reserve(original.len());
        if with_origin {
            self.origin.reserve(original.len());
        }
    }

    /// Build the byte map of `text` if [`Folded::refold_text`] left it out; `original` must be the
    /// text this value was folded from.
    pub fn ensure_origin(&mut self, original: &str) {
        if !self.has_origin {
            self.refold(original, ignore);
        }
    }
}

/// Counts characters and shows every non-ASCII one to `see`, as [`OriginSink`] does, without a map.
struct SeeSink<F: FnMut(usize, char)> {
    chars: usize,
    see: F,
}

impl<F: FnMut(usize, char)> FoldSink for SeeSink<F> {
    #[inline(always)]
    fn ascii(&mut self, start: u32, end: u32) {
        self.chars += (end - start) as usize;
    }

    #[inline(always)]
    fn ascii_char(&mut self, _: u32) {
        self.chars += 1;
    }

    #[inline(always)]
    fn wide(&mut self, _: usize, _: usize, _: u32, _: u32, c: char) {
        (self.see)(self.chars, c);
        self.chars += 1;
    }
}

/// `fold(original).text` without building the byte map (hashtags, mentions, dedupe keys).
pub fn fold_text(original: &str) -> String {
    let mut text = String::new();
    fold_text_into(original, &mut text);
    text
}

/// [`fold_text`] into `text` (cleared first), reusing its buffer.
pub fn fold_text_into(original: &str, text: &mut String) {
    text.clear();
    text.reserve(original.len());
    if fold_chars(original, text, &mut ()) && has_pair(text) {
        // Rare: let the full fold do the joining.
        let joined = fold(original).text;
        text.clear();
        text.push_str(&joined);
    }
}

/// Feed the bytes [`fold_text_into`] would write for `original` to `byte`, one at a time, without
/// writing them anywhere, until `byte` returns true (stop). Returns true only when every byte was fed
/// and they are exactly the text [`fold_text_into`] writes: false when `byte` stopped, when a character
/// needs the full fold (several characters out, a character past the table), or when spaced letters
/// might be joined. A caller that only looks for something in the folded text (the shop words in
/// every handle and music title) skips building it; on false, it folds for real.
pub(crate) fn fold_stream(original: &str, mut byte: impl FnMut(u8) -> bool) -> bool {
    let mut check = JoinCheck::default();
    let t = table();
    let mut utf8 = [0u8; 4];
    for c in original.chars() {
        if c.is_ascii() {
            let b = (c as u8).to_ascii_lowercase();
            check.feed(ASCII_CLASS[usize::from(b & 0x7F)]);
            if byte(b) {
                return false;
            }
            continue;
        }
        let cp = c as u32;
        // What `fold_wide` writes for `c`, and its class.
        let (out, class) = match t.get(cp) {
            Some(&CharFold { one, class, .. }) if class != MULTI => (one, class),
            // Dropped by the table (zero-width, combining marks): nothing written, nothing fed.
            Some(&CharFold { len: 0, .. }) => continue,
            Some(_) => return false,
            None if (EMOJI_START..=0x1FAFF).contains(&cp) => {
                (c, if is_alnum(c) { WORD } else { SPACER })
            }
            None if (0x3041..=0x9FFF).contains(&cp) || (0xAC00..=0xD7A3).contains(&cp) => {
                (c, char_class(c))
            }
            // Past the table and dropped by `fold_slow` (variation selectors after emoji).
            None if is_invisible(c) => continue,
            None => return false,
        };
        check.feed(class);
        // Most fold to an ASCII letter (`ệ` → `e`): one byte, nothing to encode.
        let stop = if out.is_ascii() {
            byte(out as u8)
        } else {
            out.encode_utf8(&mut utf8).bytes().any(&mut byte)
        };
        if stop {
            return false;
        }
    }
    // Spaced letters might be joined (rare): the caller folds for real.
    !check.found()
}

/// Fold a term from a lexicon (no offsets needed). Whitespace is collapsed to single spaces.
pub fn fold_term(term: &str) -> String {
    let folded = fold_text(term.trim());
    let mut out = String::with_capacity(folded.len());
    let mut last_space = false;
    for c in folded.chars() {
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    out.trim().to_string()
}

#[inline]
fn is_word(c: char) -> bool {
    is_alnum(c)
}

/// Whether [`join_spaced_letters`] could change a text, fed the [`char_class`] of one folded character
/// at a time while folding (no second pass): some lone letter (no letter on either side), with at least
/// two characters after it, is followed by a spacer. A run needs that to start; most texts have none.
#[derive(Default, Clone, Copy)]
struct JoinCheck {
    /// The classes of the last three characters fed, two bits each, newest lowest: `prev`, `cur`,
    /// `next` (0 before the start of the text, so nothing is found before three characters came);
    /// above them, bit [`JOIN_FOUND`]: the answer so far.
    state: u8,
}

/// [`JoinCheck::state`]'s answer bit.
const JOIN_FOUND: u8 = 1 << 6;

/// [`JoinCheck`]'s step for every (state, class) pair, `state << 2 | class`: one lookup per folded
/// character instead of the bit tests (every character of every folded text goes through it).
const JOIN_STEP: [u8; 512] = {
    // `class` is that of the character after `next`, so `cur` has two characters after it: `prev`
    // not a word character, `cur` one, `next` a spacer.
    const MASK: u8 = WORD << 4 | WORD << 2 | (WORD | SPACER);
    const LONE_THEN_SPACER: u8 = WORD << 2 | SPACER;
    let mut step = [0u8; 512];
    let mut i = 0;
    while i < 512 {
        let (state, class) = ((i >> 2) as u8, (i & 3) as u8);
        let window = state & 0b11_1111;
        let found = state & JOIN_FOUND != 0 || window & MASK == LONE_THEN_SPACER;
        let next = (window << 2 | class) & 0b11_1111;
        step[i] = next | if found { JOIN_FOUND } else { 0 };
        i += 1;
    }
    step
};

impl JoinCheck {
    /// Called for every folded character: kept to one lookup and inlined.
    #[inline(always)]
    fn feed(&mut self, class: u8) {
        let at = usize::from(self.state) << 2 | usize::from(class & (WORD | SPACER));
        self.state = JOIN_STEP.get(at).copied().unwrap_or(JOIN_FOUND);
    }

    /// Whether a lone letter followed by a spacer was seen.
    #[inline(always)]
    fn found(self) -> bool {
        self.state & JOIN_FOUND != 0
    }
}

/// Whether some lone letter is followed, across one to three spacers, by another lone letter: every
/// run [`join_spaced_letters`] joins starts so. The first check ([`JoinCheck`]) fires on ordinary
/// prose ("a ", "I "); this one rules most of those texts out before the offset-carrying pass.
/// One pass over the characters, allocating nothing.
fn has_pair(text: &str) -> bool {
    #[derive(Clone, Copy)]
    enum Seen {
        Nothing,
        /// A letter with no letter before it.
        Lone,
        /// A lone letter, then this many spacers.
        Spacers(u8),
        /// A lone letter, spacers, then a letter with no letter before it (lone if no letter follows).
        Second,
    }
    let mut seen = Seen::Nothing;
    let mut prev_word = false;
    for c in text.chars() {
        let class = if c.is_ascii() {
            ASCII_CLASS[usize::from(c as u8 & 0x7F)]
        } else {
            char_class(c)
        };
        let word = class == WORD;
        seen = match (seen, class) {
            (Seen::Second, _) if !word => return true,
            (Seen::Lone, SPACER) => Seen::Spacers(1),
            (Seen::Spacers(n), SPACER) if n < 3 => Seen::Spacers(n + 1),
            (Seen::Spacers(_), WORD) => Seen::Second,
            (_, WORD) if !prev_word => Seen::Lone,
            _ => Seen::Nothing,
        };
        prev_word = word;
    }
    matches!(seen, Seen::Second)
}

/// Join `s p o n s o r e d`, `s.p.o.n.s.o.r.e.d`, `s🔥p🔥o🔥n…` and `# a d` into one word.
///
/// A run qualifies when it has at least three single letters, or two right after a `#`. Single letters
/// in ordinary prose ("a", "i") never make a run of three by themselves. Callers check [`JoinCheck`]
/// first (a run cannot start without what it looks for).
fn join_spaced_letters(chars: &mut Vec<(char, u32, u32)>) {
    let n = chars.len();
    // Word flags once, not three lookups per character.
    let word: Vec<bool> = chars.iter().map(|c| is_word(c.0)).collect();
    let lone =
        |i: usize| -> bool { word[i] && (i == 0 || !word[i - 1]) && (i + 1 >= n || !word[i + 1]) };
    let mut keep = vec![true; n];
    let mut letters = Vec::new();
    let mut i = 0;
    while i < n {
        if !lone(i) {
            i += 1;
            continue;
        }
        // Collect a run: letter (spacers letter)*
        letters.clear();
        letters.push(i);
        let mut j = i + 1;
        loop {
            let mut k = j;
            while k < n && is_spacer(chars[k].0) && k - j < 3 {
                k += 1;
            }
            if k > j && k < n && lone(k) {
                letters.push(k);
                j = k + 1;
            } else {
                break;
            }
        }
        // A `#` (possibly followed by spaces) right before the first letter lowers the bar to two.
        let mut h = i;
        while h > 0 && chars[h - 1].0 == ' ' {
            h -= 1;
        }
        let hashed = h > 0 && chars[h - 1].0 == '#';
        if letters.len() >= 3 || (hashed && letters.len() >= 2) {
            let first = letters[0];
            let last = *letters.last().unwrap_or(&first);
            // Drop everything between the letters (letters are sorted, so one merge pass).
            let mut next_letter = letters.iter().peekable();
            for (idx, k) in keep.iter_mut().enumerate().take(last + 1).skip(first) {
                if next_letter.peek() == Some(&&idx) {
                    next_letter.next();
                } else {
                    *k = false;
                }
            }
            if hashed {
                for k in keep.iter_mut().take(i).skip(h) {
                    *k = false;
                }
            }
            i = last + 1;
        } else {
            i += 1;
        }
    }
    let mut idx = 0;
    chars.retain(|_| {
        let k = keep[idx];
        idx += 1;
        k
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> String {
        fold(s).text
    }

    #[test]
    fn folds_case_width_and_diacritics() {
        assert_eq!(f("#Ad"), "#ad");
        assert_eq!(f("＃ａｄ"), "#ad");
        assert_eq!(f("Quảng Cáo"), "quang cao");
        assert_eq!(f("ĐƯỢC TÀI TRỢ"), "duoc tai tro");
        assert_eq!(f("Anúncio"), "anuncio");
        assert_eq!(f("Straße"), "strasse");
        // Decomposed input: e + combining acute.
        assert_eq!(f("cafe\u{0301}"), "cafe");
        // Mathematical bold letters.
        assert_eq!(f("𝐀𝐝"), "ad");
    }

    #[test]
    fn drops_invisible_and_folds_look_alikes() {
        assert_eq!(f("#a\u{200B}d"), "#ad");
        assert_eq!(f("#\u{202E}ad"), "#ad");
        assert_eq!(f("#аd"), "#ad"); // Cyrillic а
        assert_eq!(f("ѕроnѕоrеd"), "sponsored"); // mostly Cyrillic
        assert_eq!(f("#αd"), "#ad"); // Greek alpha
    }

    #[test]
    fn joins_spaced_letters() {
        assert_eq!(f("s p o n s o r e d"), "sponsored");
        assert_eq!(f("this is s.p.o.n.s.o.r.e.d ok"), "this is sponsored ok");
        assert_eq!(f("# a d"), "#ad");
        assert_eq!(f("#a.d"), "#ad");
        assert_eq!(f("s🔥p🔥o🔥n🔥s🔥o🔥r"), "sponsor");
        // Ordinary prose is untouched.
        assert_eq!(f("i am a cat"), "i am a cat");
        assert_eq!(f("a b"), "a b");
    }

    #[test]
    fn keeps_other_scripts() {
        assert_eq!(f("광고 협찬"), "광고 협찬");
        assert_eq!(f("広告"), "広告");
        assert_eq!(f("โฆษณา"), "โฆษณา");
        assert_eq!(f("廣告"), "廣告");
    }

    #[test]
    fn maps_back_to_original() {
        let original = "Xin chào #QuảngCáo nhé";
        let folded = fold(original);
        let at = folded.text.find("#quangcao").unwrap();
        let (s, e) = folded.original_range(at, at + "#quangcao".len());
        assert_eq!(&original[s..e], "#QuảngCáo");
        let original = "# a d here";
        let folded = fold(original);
        let (s, e) = folded.original_range(0, 3);
        assert_eq!(&original[s..e], "# a d");
    }

    #[test]
    fn fold_term_collapses_spaces() {
        assert_eq!(fold_term("  Paid   Partnership "), "paid partnership");
    }

    #[test]
    fn refolding_into_used_buffers_leaves_nothing_behind() {
        let texts = [
            "S P O N S O R E D, and a much longer caption after it",
            "#Ad",
            "",
            "Quảng Cáo 🔥 s.p.o.n.s.o.r.e.d ＃ａｄ",
            "ß",
        ];
        let mut reused = Folded::default();
        let mut reused_text = String::from("left over");
        for t in texts.iter().chain(texts.iter().rev()) {
            let fresh = fold(t);
            reused.refold(t, |_, _| {});
            assert_eq!(reused.text, fresh.text, "{t:?}");
            assert_eq!(reused.origin, fresh.origin, "{t:?}");
            fold_text_into(t, &mut reused_text);
            assert_eq!(reused_text, fresh.text, "{t:?}");
        }
    }

    #[test]
    fn folding_the_text_first_and_the_map_later_is_the_full_fold() {
        let texts = [
            "Xin chào #QuảngCáo nhé",
            "S P O N S O R E D, and more",
            "ab ệ🔥c đ ＃ａｄ 𝐀𝐝 ✨❤️",
            "",
            "# a d here",
        ];
        let mut reused = Folded::default();
        for t in texts {
            let full = fold(t);
            let mut seen_full = Vec::new();
            Folded::default().refold(t, |at, c| seen_full.push((at, c)));
            let mut seen = Vec::new();
            reused.refold_text(t, |at, c| seen.push((at, c)));
            assert_eq!(reused.text, full.text, "{t:?}");
            assert_eq!(seen, seen_full, "{t:?}");
            reused.ensure_origin(t);
            assert_eq!(reused.text, full.text, "{t:?}");
            assert_eq!(reused.origin, full.origin, "{t:?}");
        }
    }

    /// Characters of the table's symbol and mathematical ranges fold as the slow path folds them.
    #[test]
    fn the_table_folds_as_the_slow_path() {
        let t = table();
        for cp in (0x2100..TABLE_END).chain(MATH_START..MATH_END) {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let mut slow = String::new();
            fold_slow(c, &mut slow);
            let e = t.get(cp).expect("covered");
            let piece = t
                .buffer
                .get(e.start as usize..e.start as usize + usize::from(e.len));
            assert_eq!(piece, Some(slow.as_str()), "U+{cp:04X}");
        }
    }

    #[test]
    fn sees_every_non_ascii_character_with_its_index() {
        let mut seen = Vec::new();
        Folded::default().refold("ab ệ🔥c đ", |at, c| seen.push((at, c)));
        assert_eq!(seen, vec![(3, 'ệ'), (4, '🔥'), (7, 'đ')]);
    }
}
