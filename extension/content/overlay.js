/**
 * The hint: one `<deinfluencer-hint>` host per card, absolutely positioned in the top-left corner of the
 * card's media area, with a shadow root that holds all of its styles and content. It never removes,
 * resizes or reorders TikTok's elements; the only change to TikTok's DOM besides the host is
 * `position: relative` on the anchor when its computed position is `static` (marked with
 * `data-deinfluencer-positioned` and undone when hints are turned off).
 *
 * Text comes from _locales (chrome.i18n) and from the engine's evidence, and is set with textContent
 * only: a caption that carries markup stays text.
 */
import { api } from '../shim.js';

export const HOST_TAG = 'deinfluencer-hint';
export const POSITIONED_ATTRIBUTE = 'data-deinfluencer-positioned';
/** How many evidence lines the "Why?" panel lists at most. */
const MAX_EVIDENCE = 8;
const MAX_QUOTE_CHARS = 160;

/** Elements this module created: the scanner ignores their mutations. */
const ours = new WeakSet();
/** @param {Node} node */
export const isOurs = (node) => ours.has(node);

/** @param {string} key @param {string|string[]} [substitutions] */
const msg = (key, substitutions) => api.i18n.getMessage(key, substitutions) || key;

/**
 * Which hint a verdict gets. A shop selling its own products is informational (not "sponsored"), unless
 * it is disclosed anyway.
 * @param {import('../messages.js').Verdict} verdict
 * @returns {import('../messages.js').HintKind}
 */
export function hintKind(verdict) {
  if (verdict.self_promo && verdict.verdict !== 'disclosed' && verdict.verdict !== 'organic') return 'self_promo';
  return verdict.verdict;
}

const TEXT_KEYS = {
  undisclosed: 'hintUndisclosed',
  unclear: 'hintUnclear',
  self_promo: 'hintSelfPromo',
  disclosed: 'hintDisclosed',
  organic: 'hintOrganic',
};

// ---- styles (one constructed sheet shared by every hint; a <style> element where that fails) ----

const CSS = `
:host {
  all: initial;
  position: absolute;
  top: 8px;
  left: 8px;
  z-index: 20;
  display: block;
  max-width: calc(100% - 16px);
  contain: layout style;
  font: 600 13px/1.3 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif;
  --bg: #ffffff;
  --fg: #161823;
  --muted: #3d3f4a;
  --line: #8a8b91;
  --accent: #b3261e;
  --focus: #0b57d0;
  color-scheme: light;
}
:host([data-theme="dark"]) {
  --bg: #1e1f24;
  --fg: #f4f4f6;
  --muted: #d2d3d8;
  --line: #6b6c74;
  --accent: #ffb4a8;
  --focus: #a8c7fa;
  color-scheme: dark;
}
:host([data-kind="undisclosed"]) { --accent: #b3261e; }
:host([data-kind="unclear"]) { --accent: #8a4b00; }
:host([data-kind="self_promo"]) { --accent: #0b57d0; }
:host([data-kind="disclosed"]), :host([data-kind="organic"]) { --accent: #4a4c55; }
:host([data-theme="dark"][data-kind="undisclosed"]) { --accent: #ffb4a8; }
:host([data-theme="dark"][data-kind="unclear"]) { --accent: #ffcf8a; }
:host([data-theme="dark"][data-kind="self_promo"]) { --accent: #a8c7fa; }
:host([data-theme="dark"][data-kind="disclosed"]), :host([data-theme="dark"][data-kind="organic"]) { --accent: #c4c6cf; }
* { box-sizing: border-box; }
.pill {
  all: unset;
  box-sizing: border-box;
  display: inline-flex;
  align-items: center;
  gap: 6px;
  min-height: 32px;
  max-width: 100%;
  padding: 5px 10px 5px 7px;
  border: 2px solid var(--accent);
  border-radius: 16px;
  background: var(--bg);
  color: var(--fg);
  font: inherit;
  cursor: pointer;
  text-align: start;
}
:host([data-kind="disclosed"]) .pill, :host([data-kind="organic"]) .pill {
  border-width: 1px;
  font-weight: 500;
}
.pill:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.icon { flex: none; width: 18px; height: 18px; color: var(--accent); }
.text { overflow-wrap: anywhere; }
.why {
  flex: none;
  padding-inline-start: 6px;
  border-inline-start: 1px solid var(--line);
  color: var(--muted);
  font-weight: 500;
  text-decoration: underline;
}
.panel {
  margin-top: 6px;
  width: max-content;
  max-width: min(340px, 100%);
  max-height: min(60vh, 360px);
  overflow: auto;
  padding: 10px 12px;
  border: 1px solid var(--line);
  border-radius: 10px;
  background: var(--bg);
  color: var(--fg);
  font-weight: 400;
  box-shadow: 0 2px 10px rgba(0, 0, 0, 0.4);
}
.panel[hidden] { display: none; }
.panel p { margin: 0 0 6px; }
.panel ul { margin: 0; padding-inline-start: 18px; }
.panel li { margin: 0 0 6px; overflow-wrap: anywhere; }
.quote { display: block; color: var(--muted); font-style: italic; }
.note { color: var(--muted); font-size: 12px; margin-top: 8px !important; }
@media (max-width: 480px) {
  :host { font-size: 12px; }
  .panel { max-width: 100%; }
}
`;

/** @type {CSSStyleSheet|null|undefined} */
let sharedSheet;

/** @param {ShadowRoot} shadow */
function adoptStyles(shadow) {
  if (sharedSheet === undefined) {
    try {
      sharedSheet = new CSSStyleSheet();
      sharedSheet.replaceSync(CSS);
    } catch {
      sharedSheet = null;
    }
  }
  if (sharedSheet) {
    try {
      shadow.adoptedStyleSheets = [sharedSheet];
      if (shadow.adoptedStyleSheets.length === 1) return;
    } catch {
      // Firefox content scripts may refuse a sheet from the sandbox: fall back below
    }
  }
  const style = document.createElement('style');
  style.textContent = CSS;
  shadow.append(style);
}

// ---- icons (drawn with DOM calls, no markup strings) ----

const SVG = 'http://www.w3.org/2000/svg';
const ICONS = {
  // warning triangle with "!"
  undisclosed: ['M12 2.5 1.5 21h21L12 2.5Zm0 4.2L19 19H5l7-12.3Z', 'M11 10h2v5h-2zM11 16.5h2v2h-2z'],
  // circle with "?"
  unclear: [
    'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm0 2a8 8 0 1 1 0 16 8 8 0 0 1 0-16Z',
    'M12 6.5c-2 0-3.5 1.3-3.5 3.2h2c0-.8.6-1.3 1.5-1.3s1.5.5 1.5 1.2c0 1.4-2.5 1.5-2.5 4h2c0-1.7 2.5-2 2.5-4.1 0-1.8-1.5-3-3.5-3ZM11 15.5h2v2h-2z',
  ],
  // shopping bag
  self_promo: ['M7 7V6a5 5 0 0 1 10 0v1h3l1 15H3L4 7h3Zm2 0h6V6a3 3 0 0 0-6 0v1ZM6 9l-.8 11h13.6L18 9H6Z'],
  // check in a circle
  disclosed: [
    'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm0 2a8 8 0 1 1 0 16 8 8 0 0 1 0-16Z',
    'm10.5 14.6-3-3-1.4 1.4 4.4 4.4 7.4-7.4-1.4-1.4-6 6Z',
  ],
  // "i" in a circle
  organic: [
    'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm0 2a8 8 0 1 1 0 16 8 8 0 0 1 0-16Z',
    'M11 10.5h2v7h-2zM11 6.5h2v2h-2z',
  ],
};

/** @param {import('../messages.js').HintKind} kind */
function icon(kind) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of ICONS[kind] ?? ICONS.organic) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    path.setAttribute('fill', 'currentColor');
    path.setAttribute('fill-rule', 'evenodd');
    svg.append(path);
  }
  return svg;
}

// ---- the host ----

/** Stop TikTok's handlers from treating a click on the hint as a click on the video. */
const CONTAINED_EVENTS = ['click', 'dblclick', 'pointerdown', 'pointerup', 'mousedown', 'mouseup', 'touchstart', 'touchend', 'keydown', 'keyup', 'wheel'];

/** @type {WeakMap<Element, {shadow: ShadowRoot, id: string, kind: string, key: string}>} */
const hosts = new WeakMap();
let serial = 0;

/** A host element; `<deinfluencer-hint>` unless the page took the name, then a plain element. */
function createHost() {
  for (const tag of [HOST_TAG, 'div']) {
    try {
      const host = document.createElement(tag);
      const shadow = host.attachShadow({ mode: 'open' });
      if (tag !== HOST_TAG) host.setAttribute('data-deinfluencer-hint', '');
      return { host, shadow };
    } catch {
      // the page defined <deinfluencer-hint> with its own shadow root: try the plain element
    }
  }
  throw new Error('cannot create the hint host');
}

/** Inline, !important: the page's CSS must not hide, move or resize the host. */
function pinHost(host) {
  const set = (property, value) => host.style.setProperty(property, value, 'important');
  set('position', 'absolute');
  set('top', '8px');
  set('left', '8px');
  set('z-index', '20');
  set('display', 'block');
  set('margin', '0');
  set('max-width', 'calc(100% - 16px)');
  set('pointer-events', 'auto');
}

/**
 * Whether `anchor` must become the containing block of the absolutely positioned host: only a `static`
 * anchor is changed (to `relative`, which moves nothing by itself), and marked so it can be undone.
 * A read: the scanner asks for every card of a frame before it writes anything (one style pass).
 * @param {Element} anchor
 */
export function needsPositioning(anchor) {
  return anchor instanceof HTMLElement && !anchor.hasAttribute(POSITIONED_ATTRIBUTE) && getComputedStyle(anchor).position === 'static';
}

/**
 * Draw or update the hint for `verdict` in `anchor`. Returns the host.
 * @param {Element} anchor
 * @param {Element|null} existing  the card's current host, reused when it is still in `anchor`
 * @param {import('../messages.js').Verdict} verdict
 * @param {import('../messages.js').HintKind} kind
 * @param {'light'|'dark'} theme
 * @param {boolean} position  from {@link needsPositioning}, read before any write of this frame
 */
export function renderHint(anchor, existing, verdict, kind, theme, position) {
  let host = existing && existing.isConnected && existing.parentNode === anchor ? existing : null;
  if (existing && !host) existing.remove();
  if (!host) {
    const created = createHost();
    host = created.host;
    ours.add(host);
    pinHost(host);
    adoptStyles(created.shadow);
    for (const type of CONTAINED_EVENTS) host.addEventListener(type, (event) => event.stopPropagation());
    hosts.set(host, { shadow: created.shadow, id: '', kind: '', key: '' });
  }
  const state = /** @type {{shadow: ShadowRoot, id: string, kind: string, key: string}} */ (hosts.get(host));
  host.setAttribute('data-id', verdict.id);
  host.setAttribute('data-kind', kind);
  host.setAttribute('data-theme', theme);
  const key = `${verdict.id}|${kind}|${verdict.verdict}|${verdict.evidence.length}|${verdict.score}`;
  if (state.key !== key) {
    state.key = key;
    fillHint(state.shadow, verdict, kind);
  }
  if (!host.isConnected) {
    if (position) {
      /** @type {HTMLElement} */ (anchor).style.setProperty('position', 'relative');
      anchor.setAttribute(POSITIONED_ATTRIBUTE, '');
    }
    anchor.append(host);
  }
  return host;
}

/** @param {Element} host @param {'light'|'dark'} theme */
export function setHintTheme(host, theme) {
  if (host.getAttribute('data-theme') !== theme) host.setAttribute('data-theme', theme);
}

/**
 * @param {ShadowRoot} shadow
 * @param {import('../messages.js').Verdict} verdict
 * @param {import('../messages.js').HintKind} kind
 */
function fillHint(shadow, verdict, kind) {
  for (const child of [...shadow.childNodes]) {
    if (child.nodeName !== 'STYLE') child.remove();
  }
  const panelId = `deinfluencer-why-${++serial}`;

  const pill = document.createElement('button');
  pill.type = 'button';
  pill.className = 'pill';
  pill.setAttribute('aria-expanded', 'false');
  pill.setAttribute('aria-controls', panelId);
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = msg(TEXT_KEYS[kind]);
  const why = document.createElement('span');
  why.className = 'why';
  why.textContent = msg('hintWhy');
  pill.append(icon(kind), text, why);

  const panel = document.createElement('div');
  panel.className = 'panel';
  panel.id = panelId;
  panel.hidden = true;
  panel.setAttribute('role', 'region');
  panel.setAttribute('aria-label', msg('hintWhyLabel'));

  // The evidence list is built on first opening: most hints are never opened.
  let filled = false;
  const toggle = (open) => {
    if (open && !filled) {
      fillPanel(panel, verdict, kind);
      filled = true;
    }
    pill.setAttribute('aria-expanded', String(open));
    panel.hidden = !open;
    if (open) {
      // Stay inside the video (TikTok clips it): the list scrolls when the room is short.
      const anchor = /** @type {Element|null} */ (shadow.host.parentElement);
      if (anchor) {
        const room = anchor.getBoundingClientRect().bottom - panel.getBoundingClientRect().top - 8;
        panel.style.maxHeight = `min(60vh, 360px, ${Math.max(64, Math.floor(room))}px)`;
      }
    }
  };
  pill.addEventListener('click', () => toggle(pill.getAttribute('aria-expanded') !== 'true'));
  pill.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') toggle(false);
  });
  shadow.append(pill, panel);
}

/**
 * @param {HTMLElement} panel
 * @param {import('../messages.js').Verdict} verdict
 * @param {import('../messages.js').HintKind} kind
 */
function fillPanel(panel, verdict, kind) {
  const summary = document.createElement('p');
  summary.textContent = msg(`hintSummary_${kind}`);
  panel.append(summary);

  const evidence = verdict.evidence.slice(0, MAX_EVIDENCE);
  if (evidence.length > 0) {
    const list = document.createElement('ul');
    for (const item of evidence) {
      const li = document.createElement('li');
      const explanation = document.createElement('span');
      explanation.textContent = item.explanation || item.signal;
      li.append(explanation);
      const quoted = (item.text ?? '').trim().slice(0, MAX_QUOTE_CHARS);
      // The engine's explanation usually quotes the text already; quote it only when it does not.
      if (quoted && !(item.explanation ?? '').includes(quoted)) {
        const quote = document.createElement('span');
        quote.className = 'quote';
        quote.textContent = msg('hintQuoted', quoted);
        li.append(quote);
      }
      list.append(li);
    }
    panel.append(list);
  } else {
    const none = document.createElement('p');
    none.textContent = msg('hintNoEvidence');
    panel.append(none);
  }
  const note = document.createElement('p');
  note.className = 'note';
  note.textContent = msg('hintDisclaimer');
  panel.append(note);
}

/** Every host in the document (including the plain-element fallback). */
export function allHosts(root = document) {
  return root.querySelectorAll(`${HOST_TAG}, [data-deinfluencer-hint]`);
}

// ---- the theme: TikTok's own (data-theme / background), else the system's ----

/** @param {string} color  a computed `rgb()`/`rgba()` */
function luminance(color) {
  const match = /rgba?\(([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,\s/]+([\d.]+))?/.exec(color);
  if (!match) return null;
  if (match[4] !== undefined && Number(match[4]) < 0.5) return null; // mostly transparent
  const [r, g, b] = [match[1], match[2], match[3]].map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** @returns {'light'|'dark'} */
export function pageTheme() {
  for (const element of [document.documentElement, document.body]) {
    if (!element) continue;
    const theme = (element.getAttribute('data-theme') || element.getAttribute('data-color-mode') || '').toLowerCase();
    if (theme.includes('dark')) return 'dark';
    if (theme.includes('light')) return 'light';
  }
  for (const element of [document.body, document.documentElement]) {
    if (!element) continue;
    const lum = luminance(getComputedStyle(element).backgroundColor);
    if (lum !== null) return lum < 0.2 ? 'dark' : 'light';
  }
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}
