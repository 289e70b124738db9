//! TikTok reader: turns any TikTok JSON (API responses, page blobs, single items) or a TikTok HTML
//! page into [`Post`]s.
//!
//! Design (see `tiktok-page.md` §5–§7):
//!
//! - **One generic walker** over `serde_json::Value` instead of one parser per endpoint. TikTok wraps
//!   the same item shape in many envelopes (`itemList`, `item_list`, `data[].item`,
//!   `itemInfo.itemStruct`, `ItemModule{<id>: item}`, `userInfo.itemList`, …) and adds new ones
//!   without notice, so any object with an `id`, a `desc` and an `author` is an item, wherever it is.
//! - **Every field is optional and loosely typed.** TikTok omits keys that are false or zero, and
//!   has changed types over the years (`createTime` became a string, `brandOrganicType` is an int or a
//!   string), so flags accept bools, numbers and numeric strings, and a missing key means false.
//! - **Only what is read is built.** [`posts_from_json`] parses past the values of `SKIPPED_KEYS`
//!   (video, stats, avatar and cover URLs: ~3/4 of a real item's 6–12 KB) without building them,
//!   where that cannot change what is read, and reads exactly what a full parse would (see
//!   `parse_pruned`; `tests/tiktok_reader.rs` compares the two).
//! - **The input is untrusted** (the page can forge what the hook captures). Nothing here panics:
//!   no `unwrap`, no indexing, no slicing by offsets that came from the input without converting
//!   them to checked char boundaries. Input size, walk depth and nested-JSON decoding are capped.
//!
//! Object keys are visited in `serde_json::Map` order. Without serde_json's `preserve_order`
//! feature that order is sorted by key, so "document order" holds for arrays (every API list) but,
//! e.g., the entries of a SIGI `ItemModule` come out sorted by id.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::post::{Creator, LabelKind, Platform, PlatformLabel, Post};

/// The largest input accepted. The capture hook drops bodies over 8 MB; this leaves room for page
/// blobs while keeping a forged body from making the parser allocate without bound.
pub const MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;

/// How deep the walker looks for items. Real items sit at depth 1–6; the cap only bounds the work
/// and the native stack on hostile input (serde_json itself refuses nesting deeper than 128).
const MAX_WALK_DEPTH: usize = 64;

/// The largest JSON string we decode when a field holds JSON-in-a-string (anchors' `extra`,
/// `logExtra`, `anchorsExtras`). Real ones are a few KB.
const MAX_NESTED_JSON_BYTES: usize = 64 * 1024;

/// How many levels of JSON-inside-a-string we follow (`extra` → `[0].extra` → … is two levels).
const MAX_NESTED_JSON_LEVELS: usize = 4;

/// How deep we look inside one anchor's (decoded) values.
const MAX_ANCHOR_DEPTH: usize = 16;

/// How much text we gather from one anchor to search for shop markers.
const MAX_ANCHOR_TEXT_BYTES: usize = 256 * 1024;

/// The longest product name / label text kept in a label's detail.
const MAX_DETAIL_CHARS: usize = 80;

/// Why a TikTok text could not be read. Reading never panics; these are the only failures.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadError {
    /// The text (or the page's data script) is not valid JSON. `line` and `column` are 1-based;
    /// for [`posts_from_html`] they point into the HTML page.
    InvalidJson {
        line: usize,
        column: usize,
        message: String,
    },
    /// The input is bigger than [`MAX_INPUT_BYTES`].
    TooLarge { bytes: usize, limit: usize },
    /// The HTML page holds none of the data scripts TikTok embeds.
    NoJsonInPage,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::InvalidJson {
                line,
                column,
                message,
            } => write!(
                f,
                "the TikTok data is not valid JSON (line {line}, column {column}): {message}"
            ),
            ReadError::TooLarge { bytes, limit } => write!(
                f,
                "the TikTok data is too large to read: {bytes} bytes, the limit is {limit} bytes"
            ),
            ReadError::NoJsonInPage => f.write_str(
                "no TikTok data found in the page: none of the __UNIVERSAL_DATA_FOR_REHYDRATION__, \
                 SIGI_STATE or __NEXT_DATA__ scripts is present",
            ),
        }
    }
}

impl std::error::Error for ReadError {}

fn check_size(text: &str) -> Result<(), ReadError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(ReadError::TooLarge {
            bytes: text.len(),
            limit: MAX_INPUT_BYTES,
        });
    }
    Ok(())
}

/// Turns a serde_json error into ours. serde_json's message ends with " at line L column C"; the
/// position lives in its own fields here, so it is cut from the message to avoid saying it twice.
fn invalid_json(error: &serde_json::Error) -> ReadError {
    invalid_json_at(error, 0, 0)
}

/// The same for JSON that starts inside a larger text (a script in an HTML page): `lines_before`
/// line breaks precede it, and its first line starts `first_column` bytes into that page line.
fn invalid_json_at(
    error: &serde_json::Error,
    lines_before: usize,
    first_column: usize,
) -> ReadError {
    let full = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    let message = full
        .strip_suffix(suffix.as_str())
        .unwrap_or(&full)
        .to_string();
    // serde_json reports line 0 when it has no position (I/O-like errors): keep it as is.
    let (line, column) = match error.line() {
        0 => (0, error.column()),
        1 => (1 + lines_before, error.column() + first_column),
        n => (n + lines_before, error.column()),
    };
    ReadError::InvalidJson {
        line,
        column,
        message,
    }
}

/// Reads every post from any TikTok JSON text: an API response (`/api/recommend/item_list/`,
/// `/api/post/item_list/`, `/api/item/detail/`, search `{data:[{type:1,item}]}`, `{item_list}`),
/// a bare item, or a page blob (`__UNIVERSAL_DATA_FOR_REHYDRATION__`, `SIGI_STATE`, `__NEXT_DATA__`).
///
/// Posts are deduplicated by id (copies are merged) and come in document order (see the module
/// note on object key order). Valid JSON with no items gives an empty list.
pub fn posts_from_json(text: &str) -> Result<Vec<Post>, ReadError> {
    check_size(text)?;
    // A byte-order mark is not JSON but shows up in saved files; skipping it costs nothing.
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    Ok(posts_from_value(&parse_pruned(body)?))
}

/// Reads every post from an already-parsed TikTok JSON value (same rules as [`posts_from_json`]).
pub fn posts_from_value(value: &Value) -> Vec<Post> {
    let mut collector = Collector::default();
    collector.collect(value);
    collector.posts
}

/// Reads one TikTok item object (the `itemStruct` / `itemList[]` shape, or the flattened SIGI
/// `ItemModule` shape whose `author` is a handle string). `None` if the value is not an item (see
/// [`ItemHead`]).
pub fn post_from_item(item: &Value) -> Option<Post> {
    let obj = item.as_object()?;
    let ItemHead { id, desc, author } = ItemHead::of(obj)?;
    let creator = match author {
        Author::Object(author) => creator_from_author(author, obj),
        Author::Handle(handle) => creator_from_sigi(handle, obj),
    };

    let segments = content_segments(obj);
    let caption = choose_caption(desc, &segments);

    // Structured hashtags and mentions: the caption's `textExtra`, then each segment's own
    // `textExtra` (offsets relative to that segment), then `challenges[]` (hashtag metadata).
    let mut hashtags = UniqueNames::default();
    let mut mentions = UniqueNames::default();
    let mut commerce_tags = UniqueNames::default();
    read_text_extra(
        obj.get("textExtra"),
        desc,
        &mut hashtags,
        &mut mentions,
        &mut commerce_tags,
    );
    for (segment_desc, text_extra) in &segments {
        read_text_extra(
            *text_extra,
            segment_desc,
            &mut hashtags,
            &mut mentions,
            &mut commerce_tags,
        );
    }
    if let Some(challenges) = obj.get("challenges").and_then(Value::as_array) {
        for challenge in challenges {
            let Some(title) = challenge.get("title").and_then(Value::as_str) else {
                continue;
            };
            hashtags.push(title, '#');
            if truthy(challenge.get("isCommerce")) {
                commerce_tags.push(title, '#');
            }
        }
    }

    let labels = read_labels(obj, &commerce_tags.names);

    Some(Post {
        platform: Platform::Tiktok,
        id,
        creator,
        caption,
        hashtags: hashtags.names,
        mentions: mentions.names,
        links: Vec::new(),
        labels,
        music_title: obj
            .get("music")
            .and_then(|m| m.get("title"))
            .and_then(non_empty_str)
            .map(str::to_string),
        stickers: read_stickers(obj.get("stickersOnItem")),
        language: obj
            .get("textLanguage")
            .and_then(Value::as_str)
            .map(str::trim)
            // "un" is TikTok's "undetermined".
            .filter(|l| !l.is_empty() && !l.eq_ignore_ascii_case("un"))
            .map(str::to_string),
    })
}

/// What makes an object an item: an `id` (string or integer), a `desc` (string or null) and an
/// `author` (object or string). One definition for [`post_from_item`] and for the pruning parser,
/// which must know exactly which objects the walker treats as items.
struct ItemHead<'a> {
    id: String,
    desc: &'a str,
    author: Author<'a>,
}

enum Author<'a> {
    Object(&'a Map<String, Value>),
    /// The flattened SIGI shape: the handle, the rest of the author is top-level.
    Handle(&'a str),
}

impl<'a> ItemHead<'a> {
    fn of(obj: &'a Map<String, Value>) -> Option<Self> {
        let id = id_string(obj.get("id")?)?;
        let desc = match obj.get("desc")? {
            Value::String(s) => s.as_str(),
            Value::Null => "",
            _ => return None,
        };
        let author = match obj.get("author")? {
            Value::Object(author) => Author::Object(author),
            Value::String(handle) => Author::Handle(handle),
            _ => return None,
        };
        Some(ItemHead { id, desc, author })
    }
}

/// Reads every post from a TikTok HTML page: the `__UNIVERSAL_DATA_FOR_REHYDRATION__` script
/// (2023 → now), `SIGI_STATE` (as a `<script id>` or as `window['SIGI_STATE']=…;`, ~2022–23) and
/// `__NEXT_DATA__` (≤2021). Every blob found is read and the posts merged.
///
/// A blob that fails to parse is skipped if another one parses; if none parses, the first error
/// is returned, with its line and column counted in the page. No blob at all → [`ReadError::NoJsonInPage`].
pub fn posts_from_html(html: &str) -> Result<Vec<Post>, ReadError> {
    check_size(html)?;
    let blobs = find_page_blobs(html);
    if blobs.is_empty() {
        return Err(ReadError::NoJsonInPage);
    }
    let mut collector = Collector::default();
    let mut parsed_any = false;
    let mut first_error = None;
    for (start, text) in blobs {
        match parse_first_value(text) {
            Ok(value) => {
                parsed_any = true;
                collector.collect(&value);
            }
            Err(error) => {
                if first_error.is_none() {
                    first_error = Some(relocate_error(&error, html, start));
                }
            }
        }
    }
    match (parsed_any, first_error) {
        (false, Some(error)) => Err(error),
        _ => Ok(collector.posts),
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing without the parts the reader never reads
// ---------------------------------------------------------------------------------------------

/// Keys whose values the reader never reads, at any depth: the pruning parser checks their JSON
/// and drops them instead of building values. A real item is 6–12 KB of JSON, mostly `video` (URLs,
/// bitrate lists, covers), stats and avatar / cover URLs; building all of it as a `Value` was ~85 %
/// of reading an item list (see `posts_from_json`). None of these names may be read by
/// [`post_from_item`], [`enrich_from_user`] or [`Collector::collect`], at any depth (the values
/// under [`KEYS_PARSED_WHOLE`] are exempt: they are never pruned). Adding a key here only changes
/// speed; reading one of these keys later needs it removed from here
/// (`tests/tiktok_reader.rs` compares the pruned and the full reading).
const SKIPPED_KEYS: [&str; 22] = [
    // The video: play / download URLs, bitrate lists, covers, sizes, volume, subtitles.
    "video",
    "bitrateInfo",
    "playAddr",
    "downloadAddr",
    "PlayAddrStruct",
    "zoomCover",
    "shareCover",
    // Photo posts' images (URL lists per image, covers, the share cover).
    "imagePost",
    // Counts of the item and of its author (numbers, or strings in the `V2` forms).
    "stats",
    "statsV2",
    "authorStats",
    "authorStatsV2",
    // Avatar and cover URLs of the author, the sound and the challenges.
    "avatarLarger",
    "avatarMedium",
    "avatarThumb",
    "coverLarge",
    "coverLarger",
    "coverMedium",
    "coverThumb",
    "profileLarger",
    "profileMedium",
    "profileThumb",
];

/// Keys whose values the reader searches whole (every key and string, see `gather_text` and
/// `disclosure_text`): they are parsed as they are, nothing under them is skipped.
const KEYS_PARSED_WHOLE: [&str; 2] = ["anchors", "anchorsExtras"];

/// Parses TikTok JSON into a `Value` that reads exactly as the full one, without the values of
/// [`SKIPPED_KEYS`] where dropping them cannot change what is read:
///
/// - in an item ([`ItemHead`]) or anything inside one: the walker does not look inside items, and
///   the item's fields never come from those keys;
/// - anywhere, when the skipped value holds no object with `id`, `desc` and `author` keys (so no
///   item the walker could find there).
///
/// Otherwise (an item-like object under a skipped key outside any item: forged or unknown input)
/// the text is parsed again in full. Skipped values are still checked as strictly as a full parse
/// (same numbers, escapes and depth limit, through `deserialize_any`), and on any error the text
/// is parsed again in full, so an error is always serde_json's own, at the same line and column.
fn parse_pruned(body: &str) -> Result<Value, ReadError> {
    match parse_in(body, Mode::Prune) {
        Ok(Pruned {
            value,
            item_like: false,
        }) => Ok(value),
        _ => parse_json(body).map_err(|e| invalid_json(&e)),
    }
}

/// Parses JSON text into a `Value`, exactly as `serde_json::from_str::<Value>` does (same values,
/// same errors), with the pruning parser's visitor: the wasm module then holds one copy of
/// serde_json's parser instead of two (each visitor type is a copy).
pub(crate) fn parse_json(text: &str) -> Result<Value, serde_json::Error> {
    parse_in(text, Mode::Whole).map(|whole| whole.value)
}

/// Parses a whole JSON text (nothing but whitespace may follow the value) in `mode`.
fn parse_in(text: &str, mode: Mode) -> Result<Pruned, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let parsed = PrunedSeed(mode).deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(parsed)
}

/// Parses one value in a [`Mode`]. Values are built as serde_json's own visitor builds them. One
/// visitor for every mode keeps the wasm module small: serde_json's parser is generic over the
/// visitor, so each visitor type is a copy of it.
#[derive(Clone, Copy)]
struct PrunedSeed(Mode);

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// Built, without the values of [`SKIPPED_KEYS`] (kept whole under [`KEYS_PARSED_WHOLE`]).
    Prune,
    /// Checked, nothing built (the value is null).
    Skip,
    /// Built whole.
    Whole,
}

/// What [`PrunedSeed`] gives. `item_like`: for a kept value, an item may be missing from it (a
/// skipped value outside any item held an object with `id`, `desc` and `author` keys); for a
/// skipped value (whose `value` is null), it holds such an object, at any depth.
struct Pruned {
    value: Value,
    item_like: bool,
}

impl Pruned {
    fn with_item_like(self, item_like: bool) -> Self {
        Pruned { item_like, ..self }
    }
}

impl PrunedSeed {
    /// A value built unless skipped.
    fn scalar(self, build: impl FnOnce() -> Value) -> Pruned {
        Pruned {
            value: if self.0 == Mode::Skip {
                Value::Null
            } else {
                build()
            },
            item_like: false,
        }
    }
}

impl<'de> DeserializeSeed<'de> for PrunedSeed {
    type Value = Pruned;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Pruned, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for PrunedSeed {
    type Value = Pruned;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Pruned, E> {
        Ok(self.scalar(|| Value::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Pruned, E> {
        Ok(self.scalar(|| Value::Number(v.into())))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Pruned, E> {
        Ok(self.scalar(|| Value::Number(v.into())))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Pruned, E> {
        Ok(self.scalar(|| serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Pruned, E> {
        Ok(self.scalar(|| Value::String(v.to_string())))
    }

    fn visit_unit<E>(self) -> Result<Pruned, E> {
        Ok(self.scalar(|| Value::Null))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Pruned, A::Error> {
        let mut values = Vec::new();
        let mut item_like = false;
        while let Some(element) = seq.next_element_seed(self)? {
            item_like |= element.item_like;
            if self.0 != Mode::Skip {
                values.push(element.value);
            }
        }
        Ok(self
            .scalar(|| Value::Array(values))
            .with_item_like(item_like))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pruned, A::Error> {
        let mut object = Map::new();
        let mut item_like = false;
        // Which of `id`, `desc`, `author` a skipped object has.
        let mut head_keys = [false; 3];
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let child_mode = match self.0 {
                Mode::Skip => {
                    if let Some(seen) = ["id", "desc", "author"]
                        .iter()
                        .position(|k| *k == key)
                        .and_then(|i| head_keys.get_mut(i))
                    {
                        *seen = true;
                    }
                    Mode::Skip
                }
                Mode::Whole => Mode::Whole,
                Mode::Prune if KEYS_PARSED_WHOLE.contains(&key.as_ref()) => Mode::Whole,
                Mode::Prune if SKIPPED_KEYS.contains(&key.as_ref()) => Mode::Skip,
                Mode::Prune => Mode::Prune,
            };
            let child = map.next_value_seed(PrunedSeed(child_mode))?;
            item_like |= child.item_like;
            if child_mode != Mode::Skip && self.0 != Mode::Skip {
                object.insert(key.into_owned(), child.value);
            }
        }
        let item_like = match self.0 {
            Mode::Skip => item_like || head_keys == [true; 3],
            Mode::Whole => false,
            // An item absorbs what was skipped in it: the walker never looks inside an item.
            Mode::Prune => item_like && ItemHead::of(&object).is_none(),
        };
        Ok(self
            .scalar(|| Value::Object(object))
            .with_item_like(item_like))
    }
}

/// An object key, borrowed from the input when it has no escapes (a skipped key costs nothing).
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }
}

// ---------------------------------------------------------------------------------------------
// Walking and deduplication
// ---------------------------------------------------------------------------------------------

/// Gathers posts from one or more values, merging copies of the same id.
#[derive(Default)]
struct Collector {
    posts: Vec<Post>,
    /// Per post (same index): what its lists already hold, so merging a copy costs only the copy's
    /// size. A forged input can repeat one id thousands of times; rescanning would be quadratic.
    seen: Vec<SeenSets>,
    by_id: HashMap<String, usize>,
}

#[derive(Default)]
struct SeenSets {
    hashtags: HashSet<String>,
    mentions: HashSet<String>,
    links: HashSet<String>,
    /// `PlatformLabel` is not `Hash`, so its parts are stored.
    labels: HashSet<(LabelKind, Option<String>)>,
    stickers: HashSet<String>,
}

impl SeenSets {
    fn of(post: &Post) -> Self {
        let lower = |names: &[String]| names.iter().map(|n| n.to_lowercase()).collect();
        SeenSets {
            hashtags: lower(&post.hashtags),
            mentions: lower(&post.mentions),
            links: post.links.iter().cloned().collect(),
            labels: post.labels.iter().map(label_key).collect(),
            stickers: post.stickers.iter().cloned().collect(),
        }
    }
}

fn label_key(label: &PlatformLabel) -> (LabelKind, Option<String>) {
    (label.kind, label.detail.clone())
}

impl Collector {
    fn collect(&mut self, value: &Value) {
        self.walk(value, 0);
        // SIGI_STATE keeps the author's profile (bio, seller flag) in `UserModule.users`, keyed by
        // handle, not in the item: fill it in for the posts that only had the string handle.
        if let Some(users) = value
            .get("UserModule")
            .and_then(|m| m.get("users"))
            .and_then(Value::as_object)
        {
            for (post, seen) in self.posts.iter_mut().zip(self.seen.iter_mut()) {
                if let Some(user) = users.get(&post.creator.handle) {
                    enrich_from_user(post, seen, user);
                }
            }
        }
    }

    fn walk(&mut self, value: &Value, depth: usize) {
        if depth > MAX_WALK_DEPTH {
            return;
        }
        match value {
            Value::Array(values) => {
                for v in values {
                    self.walk(v, depth + 1);
                }
            }
            Value::Object(map) => {
                // An item is a leaf: its sub-objects (music, challenges, contents) are not items,
                // and not descending keeps one item from being counted twice.
                if let Some(post) = post_from_item(value) {
                    self.add(post);
                    return;
                }
                for v in map.values() {
                    self.walk(v, depth + 1);
                }
            }
            _ => {}
        }
    }

    fn add(&mut self, post: Post) {
        let existing = self.by_id.get(&post.id).copied();
        match existing.and_then(|i| Some((self.posts.get_mut(i)?, self.seen.get_mut(i)?))) {
            Some((into, seen)) => merge_post(into, seen, post),
            None => {
                self.by_id.insert(post.id.clone(), self.posts.len());
                self.seen.push(SeenSets::of(&post));
                self.posts.push(post);
            }
        }
    }
}

/// Merges a second copy of a post into the first (the same video can be in the page blob and in
/// an XHR list, or twice in one blob). Nothing known is lost: empty fields are filled, lists are
/// united, and the longer caption wins because one copy may be truncated.
fn merge_post(into: &mut Post, seen: &mut SeenSets, from: Post) {
    let Post {
        creator,
        caption,
        hashtags,
        mentions,
        links,
        labels,
        music_title,
        stickers,
        language,
        ..
    } = from;
    if into.creator.handle.is_empty() {
        into.creator.handle = creator.handle;
    }
    fill(&mut into.creator.display_name, creator.display_name);
    fill(&mut into.creator.id, creator.id);
    fill(&mut into.creator.bio, creator.bio);
    // Byte length is enough to tell the cut copy from the full one, and costs nothing.
    if caption.len() > into.caption.len() {
        into.caption = caption;
    }
    for name in hashtags {
        if seen.hashtags.insert(name.to_lowercase()) {
            into.hashtags.push(name);
        }
    }
    for name in mentions {
        if seen.mentions.insert(name.to_lowercase()) {
            into.mentions.push(name);
        }
    }
    for link in links {
        if seen.links.insert(link.clone()) {
            into.links.push(link);
        }
    }
    for label in labels {
        if seen.labels.insert(label_key(&label)) {
            into.labels.push(label);
        }
    }
    fill(&mut into.music_title, music_title);
    for sticker in stickers {
        if seen.stickers.insert(sticker.clone()) {
            into.stickers.push(sticker);
        }
    }
    fill(&mut into.language, language);
}

fn fill(slot: &mut Option<String>, value: Option<String>) {
    if slot.is_none() {
        *slot = value;
    }
}

/// Fills a SIGI post's creator from its `UserModule.users[handle]` entry.
fn enrich_from_user(post: &mut Post, seen: &mut SeenSets, user: &Value) {
    let Some(user) = user.as_object() else {
        return;
    };
    let text = |key: &str| user.get(key).and_then(non_empty_str).map(str::to_string);
    fill(&mut post.creator.display_name, text("nickname"));
    fill(
        &mut post.creator.id,
        user.get("id")
            .and_then(id_string)
            .or_else(|| text("secUid")),
    );
    fill(&mut post.creator.bio, text("signature"));
    if truthy(user.get("ttSeller")) {
        let label = PlatformLabel::new(LabelKind::SellerAccount, "author.ttSeller");
        if seen.labels.insert(label_key(&label)) {
            post.labels.push(label);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Item fields
// ---------------------------------------------------------------------------------------------

/// A post id as text, exactly as sent: a non-empty string, or an integer (some shapes send ids as
/// JSON numbers). Floats are refused: a 19-digit id does not survive a round trip through `f64`.
fn id_string(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => n
            .as_u64()
            .map(|u| u.to_string())
            .or_else(|| n.as_i64().map(|i| i.to_string())),
        _ => None,
    }
}

fn non_empty_str(value: &Value) -> Option<&str> {
    value.as_str().map(str::trim).filter(|s| !s.is_empty())
}

/// A handle as shown: without a leading `@` and surrounding spaces.
fn clean_handle(raw: &str) -> String {
    raw.trim().trim_start_matches('@').trim().to_string()
}

/// The creator from a full `author` object; `item` supplies the flattened fallbacks.
fn creator_from_author(author: &Map<String, Value>, item: &Map<String, Value>) -> Creator {
    let text = |map: &Map<String, Value>, key: &str| {
        map.get(key).and_then(non_empty_str).map(str::to_string)
    };
    let handle = text(author, "uniqueId")
        .or_else(|| text(author, "unique_id"))
        .map(|h| clean_handle(&h))
        .unwrap_or_default();
    Creator {
        handle,
        display_name: text(author, "nickname").or_else(|| text(item, "nickname")),
        // The numeric id is stable; `secUid` is the stable fallback (handles can change).
        id: author
            .get("id")
            .and_then(id_string)
            .or_else(|| item.get("authorId").and_then(id_string))
            .or_else(|| text(author, "secUid"))
            .or_else(|| text(item, "authorSecId")),
        bio: text(author, "signature"),
    }
}

/// The creator from the flattened SIGI shape: `author` is the handle, the rest is top-level.
fn creator_from_sigi(handle: &str, item: &Map<String, Value>) -> Creator {
    let text = |key: &str| item.get(key).and_then(non_empty_str).map(str::to_string);
    Creator {
        handle: clean_handle(handle),
        display_name: text("nickname"),
        id: item
            .get("authorId")
            .and_then(id_string)
            .or_else(|| text("authorSecId")),
        // SIGI keeps the bio in UserModule; `Collector::collect` fills it in from there.
        bio: text("signature"),
    }
}

/// The caption segments of a 2024+ item: each `contents[]` entry's `desc` and its own `textExtra`.
fn content_segments(item: &Map<String, Value>) -> Vec<(&str, Option<&Value>)> {
    item.get("contents")
        .and_then(Value::as_array)
        .map(|contents| {
            contents
                .iter()
                .filter_map(|segment| {
                    let desc = segment.get("desc")?.as_str()?;
                    Some((desc, segment.get("textExtra")))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `desc` is the caption, unless it is empty or looks truncated and the `contents[]` segments
/// (joined by line breaks, as TikTok splits them per line / per photo) hold the full text.
fn choose_caption(desc: &str, segments: &[(&str, Option<&Value>)]) -> String {
    if segments.is_empty() {
        return desc.to_string();
    }
    let joined = segments
        .iter()
        .map(|(text, _)| *text)
        .collect::<Vec<_>>()
        .join("\n");
    if joined.trim().is_empty() {
        return desc.to_string();
    }
    if desc.trim().is_empty() || looks_truncated(desc, &joined) {
        joined
    } else {
        desc.to_string()
    }
}

/// Whether `desc` is a cut-down version of `full`: `full` says more and either `desc` ends with an
/// ellipsis whose stem starts `full`, or `desc` is a strict prefix of `full`. Whitespace is
/// compared collapsed, because `contents` uses line breaks where `desc` has spaces.
fn looks_truncated(desc: &str, full: &str) -> bool {
    let desc = collapse_whitespace(desc);
    let full = collapse_whitespace(full);
    if full.len() <= desc.len() {
        return false;
    }
    let stem = desc
        .strip_suffix('…')
        .or_else(|| desc.strip_suffix("..."))
        .unwrap_or(&desc)
        .trim_end();
    full.starts_with(stem)
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Names (hashtags, handles) deduplicated case-insensitively, first spelling kept.
#[derive(Default)]
struct UniqueNames {
    names: Vec<String>,
    seen: HashSet<String>,
}

impl UniqueNames {
    /// Adds a name without its sigil (`#` / `@`) and surrounding spaces; empty names are skipped.
    fn push(&mut self, raw: &str, sigil: char) {
        let name = raw.trim().trim_start_matches(sigil).trim();
        if !name.is_empty() && self.seen.insert(name.to_lowercase()) {
            self.names.push(name.to_string());
        }
    }
}

/// Reads one `textExtra` array: `type 1` = hashtag (`hashtagName`), `type 0` = mention
/// (`userUniqueId`). When the name field is empty, the span `desc[start..end]` is used instead;
/// the offsets are UTF-16 units and untrusted, so they go through [`Utf16Spans`] and the span must
/// start with the expected sigil to count.
fn read_text_extra(
    text_extra: Option<&Value>,
    desc: &str,
    hashtags: &mut UniqueNames,
    mentions: &mut UniqueNames,
    commerce_tags: &mut UniqueNames,
) {
    let Some(entries) = text_extra.and_then(Value::as_array) else {
        return;
    };
    let mut spans = Utf16Spans::new(desc);
    for entry in entries {
        let Some(entry) = entry.as_object() else {
            continue;
        };
        let hashtag_name = entry.get("hashtagName").and_then(non_empty_str);
        let user_name = entry.get("userUniqueId").and_then(non_empty_str);
        // An unknown or missing `type` falls back to whichever name field is filled.
        let kind = as_number(entry.get("type"));
        let is_hashtag = if kind == Some(1.0) {
            true
        } else if kind == Some(0.0) {
            false
        } else {
            hashtag_name.is_some() || user_name.is_none()
        };
        if is_hashtag {
            if let Some(name) = hashtag_name.or_else(|| spans.span(entry, '#')) {
                hashtags.push(name, '#');
                if truthy(entry.get("isCommerce")) {
                    commerce_tags.push(name, '#');
                }
            }
        } else if let Some(name) = user_name.or_else(|| spans.span(entry, '@')) {
            mentions.push(name, '@');
        }
    }
}

/// A non-negative integer offset from a number or numeric string.
fn as_index(value: &Value) -> Option<usize> {
    let n = match value {
        Value::Number(n) => n.as_u64()?,
        Value::String(s) => s.trim().parse::<u64>().ok()?,
        _ => return None,
    };
    usize::try_from(n).ok()
}

/// The longest caption (segment) we slice by `textExtra` offsets. TikTok captions are a few
/// thousand chars; the cap bounds the offset index below (4 bytes per UTF-16 unit).
const MAX_SPAN_TEXT_BYTES: usize = 64 * 1024;

/// Slices a caption by UTF-16 code-unit offsets (as JavaScript and TikTok count them, §7.2).
///
/// The unit → byte index is built once per caption, on first use, so thousands of `textExtra`
/// entries cost one pass over the text instead of one each.
struct Utf16Spans<'a> {
    text: &'a str,
    /// Byte offset of each UTF-16 unit; `None` for the second half of a surrogate pair. One extra
    /// entry at the end holds `text.len()`, so an `end` at the end of the text works.
    index: Option<Vec<Option<u32>>>,
}

impl<'a> Utf16Spans<'a> {
    fn new(text: &'a str) -> Self {
        Utf16Spans { text, index: None }
    }

    /// `text[start..end]` by UTF-16 offsets: `None` if the range is empty, out of bounds or splits
    /// a surrogate pair, never a panic.
    fn slice(&mut self, start: usize, end: usize) -> Option<&'a str> {
        if start >= end || self.text.len() > MAX_SPAN_TEXT_BYTES {
            return None;
        }
        let text = self.text;
        let index = self.index.get_or_insert_with(|| {
            let mut index = Vec::with_capacity(text.len() + 1);
            for (byte, ch) in text.char_indices() {
                index.push(u32::try_from(byte).ok());
                if ch.len_utf16() == 2 {
                    index.push(None);
                }
            }
            index.push(u32::try_from(text.len()).ok());
            index
        });
        let start = usize::try_from((*index.get(start)?)?).ok()?;
        let end = usize::try_from((*index.get(end)?)?).ok()?;
        text.get(start..end)
    }

    /// The span named by a `textExtra` entry's `start` / `end`, if it starts with `sigil` (a span
    /// that does not means the offsets do not belong to this text).
    fn span(&mut self, entry: &Map<String, Value>, sigil: char) -> Option<&'a str> {
        let start = entry.get("start").and_then(as_index)?;
        let end = entry.get("end").and_then(as_index)?;
        self.slice(start, end)
            .map(str::trim)
            .filter(|s| s.starts_with(sigil))
    }
}

/// On-screen text stickers: one string per sticker, its `stickerText` lines joined by spaces so a
/// phrase split over two lines ("use code" / "SAVE10") still reads as one.
fn read_stickers(stickers: Option<&Value>) -> Vec<String> {
    let Some(stickers) = stickers.and_then(Value::as_array) else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    for sticker in stickers {
        let text = match sticker.get("stickerText") {
            Some(Value::Array(lines)) => lines
                .iter()
                .filter_map(non_empty_str)
                .collect::<Vec<_>>()
                .join(" "),
            Some(Value::String(s)) => s.trim().to_string(),
            _ => continue,
        };
        if !text.is_empty() && seen.insert(text.clone()) {
            out.push(text);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Labels
// ---------------------------------------------------------------------------------------------

/// A number from a JSON number or a numeric string (`brandOrganicType` comes as both).
/// Non-finite values ("inf", "NaN") are refused.
fn as_number(value: Option<&Value>) -> Option<f64> {
    let n = match value? {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        Value::Bool(b) => f64::from(u8::from(*b)),
        _ => return None,
    };
    n.is_finite().then_some(n)
}

/// A flag: `true`, a non-zero number, `"true"` or a non-zero numeric string. Missing = false.
fn truthy(value: Option<&Value>) -> bool {
    match value {
        Some(Value::String(s)) if s.trim().eq_ignore_ascii_case("true") => true,
        other => as_number(other).is_some_and(|n| n != 0.0),
    }
}

/// A positive value, rendered for the label's detail (`brandOrganicType=1001`).
fn positive(value: Option<&Value>) -> Option<String> {
    let n = as_number(value)?;
    if n <= 0.0 {
        return None;
    }
    Some(match value {
        Some(Value::String(s)) => truncate_chars(s.trim(), MAX_DETAIL_CHARS),
        Some(Value::Number(num)) => num.to_string(),
        _ => n.to_string(),
    })
}

/// Whether a list-ish value holds anything (`brandContentAccounts` may be an array, an object or
/// a JSON string).
fn non_empty_collection(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
        Some(Value::String(s)) => !matches!(s.trim(), "" | "[]" | "{}" | "null"),
        _ => false,
    }
}

/// Every commercial label/flag on an item, each with the field it came from (`tiktok-page.md`
/// §7.4: which field drives which visible pill is unverified, so each stays a separate signal).
fn read_labels(item: &Map<String, Value>, commerce_tags: &[String]) -> Vec<PlatformLabel> {
    let mut labels = Labels::default();
    if truthy(item.get("isAd")) {
        labels.add(LabelKind::Ad, "isAd".to_string());
    }
    if truthy(item.get("adAuthorization")) {
        labels.add(LabelKind::AdAuthorization, "adAuthorization".to_string());
    }
    if let Some(v) = positive(item.get("adLabelVersion")) {
        labels.add(LabelKind::AdLabel, format!("adLabelVersion={v}"));
    }
    if let Some(v) = positive(item.get("brandOrganicType")) {
        labels.add(
            LabelKind::PromotionalContent,
            format!("brandOrganicType={v}"),
        );
    }
    if let Some(v) = positive(item.get("brandedContentType")) {
        labels.add(
            LabelKind::PaidPartnership,
            format!("brandedContentType={v}"),
        );
    }
    for key in ["brandContentAccounts", "brandedContentAccounts"] {
        if non_empty_collection(item.get(key)) {
            labels.add(LabelKind::PaidPartnership, key.to_string());
        }
    }
    let ec_video = truthy(item.get("isECVideo"));
    if ec_video {
        labels.add(LabelKind::EcommerceVideo, "isECVideo".to_string());
    }
    if let Some(anchors) = item.get("anchors").and_then(Value::as_array) {
        for anchor in anchors {
            if let Some(detail) = shop_anchor_detail(anchor, ec_video) {
                labels.add(LabelKind::ShopAnchor, detail);
            }
        }
    }
    if let Some(detail) = item.get("anchorsExtras").and_then(commission_disclosure) {
        labels.add(LabelKind::CommissionDisclosure, detail);
    }
    for tag in commerce_tags {
        labels.add(LabelKind::CommerceHashtag, format!("#{tag}"));
    }
    // SIGI items carry `ttSeller` flattened next to the other author fields.
    let seller = item
        .get("author")
        .and_then(|a| a.get("ttSeller"))
        .or_else(|| item.get("ttSeller"));
    if truthy(seller) {
        labels.add(LabelKind::SellerAccount, "author.ttSeller".to_string());
    }
    labels.list
}

/// Labels without repeats (the same product anchor or tag can be listed twice).
#[derive(Default)]
struct Labels {
    list: Vec<PlatformLabel>,
    /// The same key type as `SeenSets::labels`: one hash set type less in the wasm module.
    seen: HashSet<(LabelKind, Option<String>)>,
}

impl Labels {
    fn add(&mut self, kind: LabelKind, detail: String) {
        let label = PlatformLabel::new(kind, detail);
        if self.seen.insert(label_key(&label)) {
            self.list.push(label);
        }
    }
}

/// TikTok's product anchor type (one project's finding, `tiktok-page.md` §7.3).
const ANCHOR_TYPE_PRODUCT: f64 = 35.0;
/// CapCut template anchors: a link to an editing template, not a product.
const ANCHOR_TYPE_CAPCUT: f64 = 54.0;

/// The detail of a ShopAnchor label if this anchor is commercial, by the "safe rule" of §7.3: its
/// `logExtra` / `extra` / `schema` (JSON strings, decoded) mention `product_id`, a shop, `ec_` or
/// `/view/product/`; or it is a type-35 product anchor; or the item is an e-commerce video. CapCut
/// anchors never count.
fn shop_anchor_detail(anchor: &Value, ec_video: bool) -> Option<String> {
    let anchor = anchor.as_object()?;
    let kind = as_number(anchor.get("type"));
    let keyword = ["keyword", "description", "title"]
        .iter()
        .find_map(|key| anchor.get(*key).and_then(non_empty_str));

    let mut text = String::new();
    for key in ["logExtra", "log_extra", "extra", "schema"] {
        if let Some(value) = anchor.get(key) {
            gather_text(value, &mut text, 0, 0);
        }
    }
    let text = text.to_lowercase();
    let is_capcut = kind == Some(ANCHOR_TYPE_CAPCUT)
        || text.contains("capcut")
        || keyword.is_some_and(|k| k.to_lowercase().contains("capcut"));
    if is_capcut {
        return None;
    }
    if !(kind == Some(ANCHOR_TYPE_PRODUCT) || ec_video || has_shop_marker(&text)) {
        return None;
    }
    let name = match (keyword, kind) {
        (Some(k), _) => truncate_chars(k, MAX_DETAIL_CHARS),
        (None, Some(t)) => format!("type {t}"),
        (None, None) => "unnamed".to_string(),
    };
    Some(format!("anchor: {name}"))
}

/// Shop markers from §7.3. `shop` and `ec_` must start a word, so `photoshop`, `workshop`,
/// `sec_uid` or `spec_` do not count (`tiktok_shop`, `shop_id`, `ec_anchor`, `is_ec_video` do).
fn has_shop_marker(lower: &str) -> bool {
    lower.contains("product_id")
        || lower.contains("/view/product/")
        || lower.contains("tiktokshop")
        || starts_word(lower, "shop")
        || starts_word(lower, "ec_")
}

fn starts_word(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(i, _)| {
        i == 0
            || hay
                .as_bytes()
                .get(i - 1)
                .is_none_or(|b| !b.is_ascii_alphanumeric())
    })
}

/// Appends every key and string of `value` to `out`, decoding strings that hold JSON (anchors nest
/// JSON strings two levels deep). Bounded by depth, decode size, decode levels and output size.
fn gather_text(value: &Value, out: &mut String, depth: usize, levels: usize) {
    if depth > MAX_ANCHOR_DEPTH || out.len() >= MAX_ANCHOR_TEXT_BYTES {
        return;
    }
    match value {
        Value::String(s) => {
            push_bounded(out, s);
            if let Some(inner) = decode_nested_json(s, levels) {
                gather_text(&inner, out, depth + 1, levels + 1);
            }
        }
        Value::Array(values) => {
            for v in values {
                gather_text(v, out, depth + 1, levels);
            }
        }
        Value::Object(map) => {
            for (key, v) in map {
                push_bounded(out, key);
                gather_text(v, out, depth + 1, levels);
            }
        }
        _ => {}
    }
}

/// Appends `text` and a separator, cut (on a char boundary) at the output budget.
fn push_bounded(out: &mut String, text: &str) {
    let room = MAX_ANCHOR_TEXT_BYTES.saturating_sub(out.len());
    let mut end = text.len().min(room);
    while !text.is_char_boundary(end) {
        end -= 1; // is_char_boundary(0) is true, so this stops.
    }
    out.push_str(text.get(..end).unwrap_or(""));
    out.push(' ');
}

/// Parses a string that holds JSON (object or array), if it is small enough and we are not too
/// many levels deep. Anything else (plain text, bad JSON) is simply not decoded.
fn decode_nested_json(s: &str, levels: usize) -> Option<Value> {
    let trimmed = s.trim_start();
    if levels >= MAX_NESTED_JSON_LEVELS
        || s.len() > MAX_NESTED_JSON_BYTES
        || !(trimmed.starts_with('{') || trimmed.starts_with('['))
    {
        return None;
    }
    parse_json(s).ok()
}

const DISCLOSURE_KEY: &str = "panel_top_disclosure_label";

/// The detail of a CommissionDisclosure label if `anchorsExtras` (a JSON string in the app model,
/// maybe an object on web) carries `panel_top_disclosure_label`. The label's own text
/// (`display_text` / `truncatable_text`) goes in the detail when it can be found.
fn commission_disclosure(value: &Value) -> Option<String> {
    let mut text = String::new();
    gather_text(value, &mut text, 0, 0);
    if !text.contains(DISCLOSURE_KEY) {
        return None;
    }
    Some(match disclosure_text(value, 0, 0) {
        Some(shown) => format!(
            "anchorsExtras.{DISCLOSURE_KEY}: {}",
            truncate_chars(&shown, MAX_DETAIL_CHARS)
        ),
        None => format!("anchorsExtras.{DISCLOSURE_KEY}"),
    })
}

/// Finds the shown text under a `panel_top_disclosure_label` key, decoding JSON strings on the way.
fn disclosure_text(value: &Value, depth: usize, levels: usize) -> Option<String> {
    if depth > MAX_ANCHOR_DEPTH {
        return None;
    }
    match value {
        Value::String(s) => {
            let inner = decode_nested_json(s, levels)?;
            disclosure_text(&inner, depth + 1, levels + 1)
        }
        Value::Array(values) => values
            .iter()
            .find_map(|v| disclosure_text(v, depth + 1, levels)),
        Value::Object(map) => {
            if let Some(label) = map.get(DISCLOSURE_KEY) {
                if let Some(shown) = shown_text(label, depth + 1, levels) {
                    return Some(shown);
                }
            }
            map.values()
                .find_map(|v| disclosure_text(v, depth + 1, levels))
        }
        _ => None,
    }
}

/// The first `display_text` / `truncatable_text` / `text` string inside a label value.
fn shown_text(value: &Value, depth: usize, levels: usize) -> Option<String> {
    if depth > MAX_ANCHOR_DEPTH {
        return None;
    }
    match value {
        Value::String(s) => {
            let inner = decode_nested_json(s, levels)?;
            shown_text(&inner, depth + 1, levels + 1)
        }
        Value::Array(values) => values.iter().find_map(|v| shown_text(v, depth + 1, levels)),
        Value::Object(map) => ["display_text", "truncatable_text", "text"]
            .iter()
            .find_map(|key| map.get(*key).and_then(non_empty_str))
            .map(str::to_string)
            .or_else(|| map.values().find_map(|v| shown_text(v, depth + 1, levels))),
        _ => None,
    }
}

/// At most `max` chars of `text`, with `…` when something was cut.
fn truncate_chars(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or(text)),
        None => text.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// HTML page blobs
// ---------------------------------------------------------------------------------------------

/// The script ids TikTok has used for its page state, newest first.
const BLOB_SCRIPT_IDS: [&str; 3] = [
    "__UNIVERSAL_DATA_FOR_REHYDRATION__",
    "SIGI_STATE",
    "__NEXT_DATA__",
];

/// The `window[...] = {…}` assignments of the 2022–23 SIGI pages.
const SIGI_ASSIGNMENTS: [&str; 3] = [
    "window['SIGI_STATE']",
    "window[\"SIGI_STATE\"]",
    "window.SIGI_STATE",
];

/// Every page-state blob in the page, as (byte offset in the page, text starting with the JSON),
/// in page order. Script contents run to `</script`, which TikTok's JSON never contains because it
/// escapes `<` as `\u003C`. All offsets come from ASCII matches, so every slice is on a char boundary.
fn find_page_blobs(html: &str) -> Vec<(usize, &str)> {
    let mut blobs = Vec::new();
    let mut pos = 0;
    while let Some(open) = find_ascii_ci(html, "<script", pos) {
        let Some(tag_len) = html.get(open..).and_then(|rest| rest.find('>')) else {
            break;
        };
        let tag_end = open + tag_len;
        let content_start = tag_end + 1;
        let content_end = find_ascii_ci(html, "</script", content_start).unwrap_or(html.len());
        let attrs = html.get(open + "<script".len()..tag_end).unwrap_or("");
        if let Some(id) = attr_value(attrs, "id") {
            if BLOB_SCRIPT_IDS.contains(&id) {
                if let Some(content) = html.get(content_start..content_end) {
                    blobs.push((content_start, content));
                }
            }
        }
        pos = content_end.max(content_start);
    }
    for marker in SIGI_ASSIGNMENTS {
        let Some(at) = html.find(marker) else {
            continue;
        };
        let after = at + marker.len();
        let rest = html.get(after..).unwrap_or("");
        let trimmed = rest.trim_start();
        if let Some(value) = trimmed.strip_prefix('=') {
            let value = value.trim_start();
            blobs.push((html.len() - value.len(), value));
        }
    }
    blobs.sort_by_key(|(start, _)| *start);
    blobs
}

/// The value of attribute `name` in a tag's attribute text (quoted with `"` or `'`, or bare).
fn attr_value<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let bytes = attrs.as_bytes();
    let mut from = 0;
    while let Some(at) = find_ascii_ci(attrs, name, from) {
        from = at + name.len();
        // A whole attribute name: `data-id=` must not match `id`.
        let starts_attr = at == 0 || bytes.get(at - 1).is_some_and(u8::is_ascii_whitespace);
        if !starts_attr {
            continue;
        }
        let mut i = at + name.len();
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        return match bytes.get(i) {
            Some(&quote @ (b'"' | b'\'')) => {
                let start = i + 1;
                let len = attrs.get(start..)?.find(char::from(quote))?;
                attrs.get(start..start + len)
            }
            Some(_) => {
                let rest = attrs.get(i..)?;
                let len = rest
                    .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
                    .unwrap_or(rest.len());
                rest.get(..len)
            }
            None => None,
        };
    }
    None
}

/// Byte offset of the first ASCII-case-insensitive match of an ASCII `needle` at or after `from`.
fn find_ascii_ci(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let hay = hay.as_bytes();
    let needle = needle.as_bytes();
    if needle.is_empty() {
        return None;
    }
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|i| i + from)
}

/// Parses the first JSON value of `text`, ignoring what follows it (`;window['SIGI_RETRY']=…`,
/// trailing whitespace before `</script>`).
fn parse_first_value(text: &str) -> Result<Value, serde_json::Error> {
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    match values.next() {
        Some(result) => result,
        // Empty script: let serde_json describe it ("EOF while parsing a value").
        None => serde_json::from_str(text),
    }
}

/// Re-bases a blob's parse error on the page, so line and column point into the HTML.
fn relocate_error(error: &serde_json::Error, html: &str, blob_start: usize) -> ReadError {
    let before = html.get(..blob_start).unwrap_or("");
    let lines_before = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    invalid_json_at(error, lines_before, blob_start.saturating_sub(line_start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_spans_handle_surrogates_and_bounds() {
        // 'a' = 1 unit, '😀' = 2 units: '#' starts at 3.
        let mut spans = Utf16Spans::new("a😀#tag");
        assert_eq!(spans.slice(3, 7), Some("#tag"));
        assert_eq!(spans.slice(0, 3), Some("a😀"));
        assert_eq!(spans.slice(2, 7), None); // splits the emoji
        assert_eq!(spans.slice(3, 99), None);
        assert_eq!(spans.slice(5, 5), None);
        assert_eq!(spans.slice(usize::MAX - 1, usize::MAX), None);
        assert_eq!(Utf16Spans::new("").slice(0, 1), None);
    }

    #[test]
    fn truthy_accepts_loose_types() {
        for yes in [
            serde_json::json!(true),
            serde_json::json!(1),
            serde_json::json!("1"),
            serde_json::json!("true"),
            serde_json::json!(2.5),
        ] {
            assert!(truthy(Some(&yes)), "{yes}");
        }
        for no in [
            serde_json::json!(false),
            serde_json::json!(0),
            serde_json::json!("0"),
            serde_json::json!(""),
            serde_json::json!("inf"),
            serde_json::json!(null),
            serde_json::json!([1]),
        ] {
            assert!(!truthy(Some(&no)), "{no}");
        }
        assert!(!truthy(None));
    }

    #[test]
    fn shop_markers_need_a_word_start() {
        assert!(has_shop_marker("{\"ec_anchor\":1}"));
        assert!(has_shop_marker("tiktok_shop"));
        assert!(!has_shop_marker("sec_uid photoshop workshop"));
    }

    #[test]
    fn attr_value_reads_quoted_and_bare() {
        assert_eq!(attr_value(r#" id="a" type="b""#, "id"), Some("a"));
        assert_eq!(attr_value(" type='b' ID='x'", "id"), Some("x"));
        assert_eq!(attr_value(" data-id=\"no\" id=yes", "id"), Some("yes"));
        assert_eq!(attr_value(" data-id=\"no\"", "id"), None);
    }

    /// `parse_json` stands in for `serde_json::from_str::<Value>` (the ledger and the page rules
    /// use it too): same values and same errors, message and position included.
    #[test]
    fn parse_json_is_serde_jsons_value_parse() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tiktok");
        let mut texts: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
            .collect();
        for hostile in [
            "",
            " ",
            "[1,]",
            "{\"a\":1,}",
            "1e999",
            "-1e999",
            "\"\\ud800\"",
            "\"\\x\"",
            "\"a\u{1}b\"",
            "123456789012345678901234567890",
            "-0",
            "1.5e3",
            "[1] x",
            "{\"a\" 1}",
            "{\"a\":1,\"a\":[2]}",
            "\"\\u0026\\ud83d\\ude00\"",
            "nul",
            "tru",
            "{1:2}",
        ] {
            texts.push(hostile.to_string());
        }
        texts.push(format!("{}{}", "[".repeat(127), "]".repeat(127)));
        texts.push(format!("{}{}", "[".repeat(128), "]".repeat(128)));
        texts.push(format!("{}1{}", "{\"a\":".repeat(130), "}".repeat(130)));
        for text in &texts {
            let ours = parse_json(text).map_err(|e| e.to_string());
            let theirs = serde_json::from_str::<Value>(text).map_err(|e| e.to_string());
            assert_eq!(ours, theirs, "{text:.80}");
        }
    }

    #[test]
    fn truncate_chars_cuts_on_chars() {
        assert_eq!(truncate_chars("ééé", 2), "éé…");
        assert_eq!(truncate_chars("ab", 2), "ab");
    }
}
