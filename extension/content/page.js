/**
 * Reading TikTok's page: which page type a path is, where the post cards are, which video id a card
 * shows, and what it says. Every TikTok selector comes from the engine's page rules
 * (`tiktokPageRules()`, src/platform/tiktok_page.json); none is written here. Page text is only ever
 * read (textContent, attributes), never parsed as HTML.
 */

/**
 * @typedef {object} PageType  one entry of `page_types` in tiktok_page.json
 * @property {string} name
 * @property {string[]} [paths]     exact paths
 * @property {string[]} [prefixes]  path prefixes
 * @property {string|string[]} [pattern]  `/@*\/video/*`-style globs (`*` = one path segment)
 * @property {string[]} card
 * @property {string[]} [caption]
 * @property {string[]} [handle]
 * @property {string[]} [display_name]
 * @property {string[]} [hashtag]
 * @property {string[]} [labels]
 * @property {string[]} [anchor]
 * @property {string[]} [banner]    the profile banner goes right before the first match (content/banner.js)
 */

/**
 * @typedef {object} PageRules  what `tiktokPageRules()` returns
 * @property {PageType[]} page_types
 * @property {string} video_link
 * @property {string} player
 */

/** A pill is short; longer text is a caption, not TikTok's label. */
const MAX_LABEL_CHARS = 60;
/** Keep what is sent to the engine bounded, whatever the page holds. */
const MAX_FIELD_CHARS = 5000;
const MAX_HASHTAGS = 60;
const MAX_LABELS = 12;

/** The video id in a TikTok URL or path: /video/<id> or /photo/<id>. */
const ID_IN_PATH = /\/(?:video|photo)\/(\d{6,25})(?:[/?#]|$)/;
/** The id at the end of the player wrapper's element id, `xgwrapper-0-<id>`. */
const ID_IN_PLAYER = /-(\d{6,25})$/;

/** @param {string} glob */
function globToRegExp(glob) {
  const source = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${source}/?$`);
}

/** Selectors that this browser cannot parse are dropped (one bad rule must not stop the others). */
function validSelectors(list) {
  return (Array.isArray(list) ? list : []).filter((selector) => {
    if (typeof selector !== 'string' || selector.trim() === '') return false;
    try {
      document.createDocumentFragment().querySelector(selector);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * The page rules, checked and pre-compiled once.
 * @param {PageRules} raw
 */
export function compileRules(raw) {
  const types = (raw?.page_types ?? []).map((type) => {
    const patterns = [type.pattern].flat().filter((p) => typeof p === 'string' && p !== '');
    const compiled = {
      name: String(type.name),
      paths: new Set(Array.isArray(type.paths) ? type.paths : []),
      prefixes: Array.isArray(type.prefixes) ? type.prefixes.filter((p) => typeof p === 'string' && p) : [],
      patterns: patterns.map(globToRegExp),
      card: validSelectors(type.card),
      caption: validSelectors(type.caption),
      handle: validSelectors(type.handle),
      display_name: validSelectors(type.display_name),
      hashtag: validSelectors(type.hashtag),
      labels: validSelectors(type.labels),
      anchor: validSelectors(type.anchor),
      banner: validSelectors(type.banner),
    };
    return {
      ...compiled,
      cardSelector: compiled.card.join(', '),
      labelSelector: compiled.labels.join(', '),
      hashtagSelector: compiled.hashtag.join(', '),
    };
  });
  return {
    types: types.filter((type) => type.cardSelector !== ''),
    videoLink: validSelectors([raw?.video_link])[0] ?? null,
    player: validSelectors([raw?.player])[0] ?? null,
  };
}

/** @typedef {ReturnType<typeof compileRules>} Rules */
/** @typedef {Rules['types'][number]} CompiledPageType */

/**
 * The page type of a path, or null when the overlay has nothing to do there. Patterns first (the
 * video page `/@user/video/<id>` is more specific than the profile prefix `/@`), then exact paths, then
 * prefixes, each in the order of the rules file.
 * @param {Rules} rules
 * @param {string} pathname
 * @returns {CompiledPageType|null}
 */
export function pageTypeFor(rules, pathname) {
  return (
    rules.types.find((type) => type.patterns.some((pattern) => pattern.test(pathname))) ??
    rules.types.find((type) => type.paths.has(pathname) || type.paths.has(pathname.replace(/\/$/, '') || '/')) ??
    rules.types.find((type) => type.prefixes.some((prefix) => pathname.startsWith(prefix))) ??
    null
  );
}

/** @param {string|null|undefined} href */
export function idFromUrl(href) {
  if (!href) return null;
  return ID_IN_PATH.exec(href)?.[1] ?? null;
}

/**
 * The video id a card shows (tiktok-page.md §4): a video/photo link in the card, else the player
 * wrapper's id, else — on the video page — the URL. On the video page the URL comes first: the detail
 * container is that video, while links inside it may point elsewhere.
 * @param {Element} card
 * @param {Rules} rules
 * @param {CompiledPageType} type
 * @returns {string|null}
 */
export function cardId(card, rules, type) {
  if (type.name === 'video') {
    return idFromUrl(location.pathname) ?? fromPlayer(card, rules) ?? fromLink(card, rules);
  }
  return fromLink(card, rules) ?? fromPlayer(card, rules);
}

function fromLink(card, rules) {
  if (!rules.videoLink) return null;
  const link = card.matches(rules.videoLink) ? card : card.querySelector(rules.videoLink);
  return link ? idFromUrl(link.getAttribute('href')) : null;
}

function fromPlayer(card, rules) {
  if (!rules.player) return null;
  const player = card.matches(rules.player) ? card : card.querySelector(rules.player);
  return player ? (ID_IN_PLAYER.exec(player.id)?.[1] ?? null) : null;
}

/**
 * Whitespace collapsed, at most MAX_FIELD_CHARS. Only a bounded prefix is collapsed: the regex over a
 * whole 10 MB caption blocks the page's main thread for over a second (a page can make any text huge).
 * @param {string|null|undefined} text
 */
function clean(text) {
  return (text ?? '').slice(0, 4 * MAX_FIELD_CHARS).replace(/\s+/g, ' ').trim().slice(0, MAX_FIELD_CHARS);
}

/** The first element, trying the selectors best first. */
function first(card, selectors) {
  for (const selector of selectors) {
    const element = card.querySelector(selector);
    if (element) return element;
  }
  return null;
}

/** An element's text, or (profile tiles: a link whose title is the caption) its title. */
function textOf(element) {
  if (!element) return '';
  return (
    clean(element.textContent) ||
    clean(element.getAttribute('title')) ||
    clean(element.querySelector('[title]')?.getAttribute('title'))
  );
}

/**
 * The texts of the card's label pills: whole trimmed texts, short ones only. The engine decides
 * which of them are TikTok's commercial labels.
 * @param {Element} card
 * @param {CompiledPageType} type
 * @returns {string[]}
 */
export function labelTexts(card, type) {
  if (type.labelSelector === '') return [];
  const texts = [];
  for (const element of card.querySelectorAll(type.labelSelector)) {
    const text = clean(element.textContent);
    if (text && text.length <= MAX_LABEL_CHARS && !texts.includes(text)) texts.push(text);
    if (texts.length >= MAX_LABELS) break;
  }
  return texts;
}

/**
 * Which DOM fields a card's reading includes: a mask of these bits, the engine's
 * `tiktok_page::dom_fields_needed` for the card's JSON item (the fields the item lacks: the engine
 * fills nothing else from the DOM), or {@link NEEDS.ALL} without an item.
 */
export const NEEDS = Object.freeze({ HANDLE: 1, DISPLAY_NAME: 2, CAPTION: 4, HASHTAGS: 8, ALL: 0xff });

/**
 * The {@link NEEDS} mask of a post object (the service worker's engine hands posts over, not masks).
 * @param {import('../messages.js').Post} post
 */
export function fieldsNeeded(post) {
  let needs = 0;
  if (!post?.creator?.handle) needs |= NEEDS.HANDLE;
  if (typeof post?.creator?.display_name !== 'string') needs |= NEEDS.DISPLAY_NAME;
  if (!post?.caption?.trim()) needs |= NEEDS.CAPTION;
  if (!(post?.hashtags?.length > 0)) needs |= NEEDS.HASHTAGS;
  return needs;
}

/**
 * What the card shows, as the engine's `Card` (without `post`): only the fields in `needs` are read,
 * so reading text forces no work we would throw away.
 * @param {Element} card
 * @param {string} id
 * @param {CompiledPageType} type
 * @param {string[]} labels  from {@link labelTexts}
 * @param {number} needs  a {@link NEEDS} mask
 * @returns {import('../messages.js').Card}
 */
export function readCard(card, id, type, labels, needs) {
  /** @type {import('../messages.js').Card} */
  const result = { id, label_texts: labels };
  if (needs & NEEDS.HANDLE) {
    const handle = textOf(first(card, type.handle));
    if (handle) result.handle = handle;
  }
  if (needs & NEEDS.DISPLAY_NAME) {
    const displayName = textOf(first(card, type.display_name));
    if (displayName) result.display_name = displayName;
  }
  if (needs & NEEDS.CAPTION) {
    const caption = textOf(first(card, type.caption));
    if (caption) result.caption = caption;
  }
  if (needs & NEEDS.HASHTAGS && type.hashtagSelector !== '') {
    const hashtags = new Set();
    for (const element of card.querySelectorAll(type.hashtagSelector)) {
      const tag = clean(element.textContent);
      if (tag) hashtags.add(tag);
      if (hashtags.size >= MAX_HASHTAGS) break;
    }
    if (hashtags.size > 0) result.hashtags = [...hashtags];
  }
  return result;
}

/**
 * Whether a card's reading adds nothing to its JSON item (no pill, none of the fields the item
 * lacks): the engine then judges it exactly as the item alone.
 * @param {import('../messages.js').Card} reading  from {@link readCard}
 */
export function addsNothing(reading) {
  return (
    reading.label_texts.length === 0 &&
    reading.handle === undefined &&
    reading.display_name === undefined &&
    reading.caption === undefined &&
    reading.hashtags === undefined
  );
}

/**
 * Where the hint goes inside the card: the media area (first anchor selector that matches), else the
 * card itself.
 * @param {Element} card
 * @param {CompiledPageType} type
 * @returns {Element}
 */
export function hintAnchor(card, type) {
  return first(card, type.anchor) ?? card;
}
