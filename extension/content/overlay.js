/**
 * The hint: one `<deinfluencer-hint>` host per card, absolutely positioned in the top-left corner of the
 * card's media area, with a shadow root that holds all of its styles and content. It never removes,
 * resizes or reorders TikTok's elements; the only change to TikTok's DOM besides the host is
 * `position: relative` on the anchor when its computed position is `static` (marked with
 * `data-deinfluencer-positioned` and undone when hints are turned off).
 *
 * Cheap to draw, because a feed shows hundreds: the pill is cloned from a prepared template per kind
 * (icon drawn with CSS, no SVG), every hint adopts one shared constructed stylesheet, one shared
 * listener function handles every hint's events, and the "Why?" panel is built only when first opened.
 *
 * The panel explains the verdict (the engine's evidence), shows the creator's numbers from the ledger
 * and has two correction buttons, "Not an ad" / "This is an ad" (aria-pressed; pressing the pressed one
 * again undoes it), which send `ledger-correct` through the scanner. A corrected hint says so in its
 * pill; the engine's verdict and evidence stay in the panel.
 *
 * Text comes from _locales (i18n.js) and from the engine's evidence, and is set with textContent
 * only: a caption that carries markup stays text.
 */
import { msg, msgCount } from '../i18n.js';
import { PALETTE_CSS } from './palette.js';

export const HOST_TAG = 'deinfluencer-hint';
export const POSITIONED_ATTRIBUTE = 'data-deinfluencer-positioned';
/** How many evidence lines the "Why?" panel lists at most. */
const MAX_EVIDENCE = 8;
const MAX_QUOTE_CHARS = 160;
/** The user's corrections, as `ledger-correct` names them. */
export const CORRECTIONS = Object.freeze(['not_an_ad', 'is_an_ad']);

/** Elements this module created: the scanner ignores their mutations. */
const ours = new WeakSet();
/** @param {Node} node */
export const isOurs = (node) => ours.has(node);

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

/**
 * What the hint asks of the rest of the content script (set by the scanner with {@link setHintActions}).
 * @typedef {object} HintActions
 * @property {(id: string) => (string|null)} correctionOf  the user's correction of a post known on this page
 * @property {(verdict: import('../messages.js').Verdict, correction: string|null) => Promise<void>} correct
 *   record (or, with null, undo) the user's correction; rejects with a readable error
 * @property {(verdict: import('../messages.js').Verdict) => Promise<{post: any, creator: import('../messages.js').CreatorSummary|null}>} ledgerInfo
 *   the post's ledger record (its stored correction) and its creator's numbers
 */

/** @type {HintActions|null} */
let actions = null;
/** @param {HintActions|null} value */
export function setHintActions(value) {
  actions = value;
}

// ---- styles (one constructed sheet shared by every hint; a <style> element where that fails) ----

const CSS = `${PALETTE_CSS}
/* No "all: initial" / "all: unset": each expands to every CSS property, on every hint. The page reaches
   into a shadow tree only through the host: inherited properties and the host's own box. Every :host
   declaration is !important, which in the shadow cascade beats the page's rules, even its !important
   ones, on the host (a page rule for deinfluencer-hint, *, article > *…): the page cannot hide, move,
   shrink or restyle the hint. (An inline style attribute would do the same, but costs a style parse and
   an inline-style invalidation per host: this is one shared sheet.) */
:host {
  font-feature-settings: normal !important;
  font-variation-settings: normal !important;
  font-kerning: auto !important;
  letter-spacing: normal !important;
  word-spacing: normal !important;
  text-transform: none !important;
  text-align: start !important;
  text-indent: 0 !important;
  text-shadow: none !important;
  text-decoration: none !important;
  white-space: normal !important;
  word-break: normal !important;
  overflow-wrap: normal !important;
  hyphens: manual !important;
  line-break: auto !important;
  tab-size: 8 !important;
  text-rendering: auto !important;
  -webkit-text-fill-color: currentcolor !important;
  -webkit-text-stroke-width: 0 !important;
  writing-mode: horizontal-tb !important;
  direction: ltr !important;
  visibility: visible !important;
  cursor: auto !important;
  user-select: none !important;
  list-style: disc outside !important;
  quotes: auto !important;
  caret-color: auto !important;
  color: var(--fg) !important;
  font: 600 13px/1.3 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif !important;
  /* the box: pinned to the anchor's top-left corner, above the video, never wider than the card */
  position: absolute !important;
  inset: 8px auto auto 8px !important;
  z-index: 20 !important;
  display: block !important;
  float: none !important;
  box-sizing: content-box !important;
  width: auto !important;
  height: auto !important;
  min-width: 0 !important;
  min-height: 0 !important;
  max-width: calc(100% - 16px) !important;
  max-height: none !important;
  margin: 0 !important;
  padding: 0 !important;
  border: 0 !important;
  outline: 0 !important;
  background: none !important;
  box-shadow: none !important;
  opacity: 1 !important;
  transform: none !important;
  translate: none !important;
  scale: none !important;
  rotate: none !important;
  filter: none !important;
  clip-path: none !important;
  mask: none !important;
  mix-blend-mode: normal !important;
  overflow: visible !important;
  pointer-events: auto !important;
  transition: none !important;
  animation: none !important;
  contain: layout style !important;
}
:host([data-kind="undisclosed"]) { --accent: #b3261e; }
:host([data-kind="unclear"]) { --accent: #8a4b00; }
:host([data-kind="self_promo"]) { --accent: #0b57d0; }
:host([data-kind="disclosed"]), :host([data-kind="organic"]) { --accent: #4a4c55; }
:host([data-theme="dark"][data-kind="undisclosed"]) { --accent: #ffb4a8; }
:host([data-theme="dark"][data-kind="unclear"]) { --accent: #ffcf8a; }
:host([data-theme="dark"][data-kind="self_promo"]) { --accent: #a8c7fa; }
:host([data-theme="dark"][data-kind="disclosed"]), :host([data-theme="dark"][data-kind="organic"]) { --accent: #c4c6cf; }
/* the user's correction decides the look (the engine's verdict stays in the panel) */
:host([data-corrected="not_an_ad"]) { --accent: #4a4c55; }
:host([data-corrected="is_an_ad"]) { --accent: #b3261e; }
:host([data-theme="dark"][data-corrected="not_an_ad"]) { --accent: #c4c6cf; }
:host([data-theme="dark"][data-corrected="is_an_ad"]) { --accent: #ffb4a8; }
* { box-sizing: border-box; }
.pill {
  appearance: none;
  margin: 0;
  outline: none;
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
.icon {
  flex: none;
  box-sizing: border-box;
  width: 18px;
  height: 18px;
  border: 2px solid var(--accent);
  border-radius: 50%;
  color: var(--accent);
  font: 800 11px/14px system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif;
  text-align: center;
}
/* the shop account's icon: a bag (body + handle) */
.icon.bag {
  position: relative;
  height: 14px;
  margin-top: 4px;
  border-radius: 2px 2px 5px 5px;
}
.icon.bag::before {
  content: "";
  position: absolute;
  left: 3px;
  top: -7px;
  width: 4px;
  height: 5px;
  border: 2px solid var(--accent);
  border-bottom: 0;
  border-radius: 5px 5px 0 0;
}
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
.status { font-weight: 600; }
.creator { margin-top: 8px !important; padding-top: 8px; border-top: 1px solid var(--line); }
.creator:empty { display: none; }
.correct { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; }
.correct button {
  appearance: none;
  margin: 0;
  outline: none;
  box-sizing: border-box;
  min-height: 28px;
  padding: 3px 10px;
  border: 1px solid var(--line);
  border-radius: 14px;
  background: var(--bg);
  color: var(--fg);
  font: inherit;
  font-weight: 600;
  cursor: pointer;
}
.correct button[aria-pressed="true"] { background: var(--fg); color: var(--bg); border-color: var(--fg); }
.correct button:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.correct button[aria-disabled="true"] { cursor: progress; }
.error { color: var(--accent); font-weight: 600; }
:host([data-corrected="not_an_ad"]) .pill { border-width: 1px; font-weight: 500; }
@media (max-width: 480px) {
  /* !important like every :host declaration: else the :host font above wins (important beats normal) */
  :host { font-size: 12px !important; }
  .panel { max-width: 100%; }
}
`;

/** @type {CSSStyleSheet|null|undefined} */
let sharedSheet;
/** Whether adopting the sheet was seen to work (checked once, not per hint). */
let adoptionWorks = false;

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
      if (adoptionWorks) return;
      if (shadow.adoptedStyleSheets.length === 1) {
        adoptionWorks = true;
        return;
      }
      sharedSheet = null; // adopted but not kept
    } catch {
      // Firefox content scripts may refuse a sheet from the sandbox: fall back below
      sharedSheet = null;
    }
  }
  const style = document.createElement('style');
  style.textContent = CSS;
  shadow.append(style);
}

// ---- the pill: one template per kind, cloned ----

/** The icon of each kind: a glyph in a circle, or the shop's bag (drawn by CSS; aria-hidden). */
const GLYPHS = { undisclosed: '!', unclear: '?', self_promo: '', disclosed: '✓', organic: 'i' };

/** @type {Map<string, HTMLButtonElement>} kind + its text → a pill to clone */
const pillTemplates = new Map();

/** A new pill button for `kind` (icon, text, "Why?"), cloned from a template built on first use. */
function newPill(kind) {
  const label = msg(TEXT_KEYS[kind] ?? TEXT_KEYS.organic);
  const templateKey = `${kind}|${label}`;
  let template = pillTemplates.get(templateKey);
  if (!template) {
    template = document.createElement('button');
    template.type = 'button';
    template.className = 'pill';
    template.setAttribute('aria-expanded', 'false');
    const icon = document.createElement('span');
    icon.className = kind === 'self_promo' ? 'icon bag' : 'icon';
    icon.setAttribute('aria-hidden', 'true');
    icon.textContent = GLYPHS[kind] ?? GLYPHS.organic;
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = label;
    const why = document.createElement('span');
    why.className = 'why';
    why.textContent = msg('hintWhy');
    template.append(icon, text, why);
    pillTemplates.set(templateKey, template);
  }
  return /** @type {HTMLButtonElement} */ (template.cloneNode(true));
}

// ---- the host ----

/** Stop TikTok's handlers from treating a click on the hint as a click on the video. */
const CONTAINED_EVENTS = ['click', 'dblclick', 'pointerdown', 'pointerup', 'mousedown', 'mouseup', 'keydown', 'keyup'];
/** Stopped too, with passive listeners: a non-passive one would make every scroll over a hint wait for the main thread. */
const PASSIVE_EVENTS = ['touchstart', 'touchend', 'wheel'];

/**
 * One hint's state.
 * @typedef {object} Hint
 * @property {Element} host
 * @property {ShadowRoot} shadow
 * @property {HTMLButtonElement|null} pill
 * @property {HTMLElement|null} panel  built on first opening
 * @property {import('../messages.js').Verdict|null} verdict
 * @property {import('../messages.js').HintKind|null} kind
 * @property {string|null} correction  the user's, as far as this page knows
 * @property {string} key  what the content was drawn for
 * @property {boolean} busy  a correction is on its way to the ledger
 * @property {number} changes  corrections made so far: a ledger answer asked for before the last one is stale
 */

/** @type {WeakMap<Element, Hint>} */
const hints = new WeakMap();
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

/**
 * Every hint's events go through this one function: nothing reaches TikTok's handlers; a click on
 * the pill opens or closes "Why?", on a correction button corrects; Escape closes the panel.
 * @param {Event} event
 */
function onHintEvent(event) {
  event.stopPropagation();
  const hint = hints.get(/** @type {Element} */ (event.currentTarget));
  if (!hint) return;
  if (event.type === 'click') {
    const target = event.composedPath()[0];
    if (!(target instanceof Element)) return;
    if (target.closest('.pill')) {
      toggle(hint, hint.pill?.getAttribute('aria-expanded') !== 'true');
    } else {
      const button = target.closest('button[data-correction]');
      if (button) pressCorrection(hint, /** @type {HTMLElement} */ (button).dataset.correction ?? '');
    }
  } else if (event.type === 'keydown' && /** @type {KeyboardEvent} */ (event).key === 'Escape') {
    if (hint.pill?.getAttribute('aria-expanded') === 'true') {
      toggle(hint, false);
      hint.pill.focus();
    }
  }
}

/**
 * Computed `position: static` by the anchor's tag, classes and inline style: TikTok's media wrappers of
 * one page share their classes, so only the first of each kind costs a style read. Cleared with
 * {@link forgetPositions} on every route change.
 * @type {Map<string, boolean>}
 */
const staticByLook = new Map();

export function forgetPositions() {
  staticByLook.clear();
}

/**
 * Whether `anchor` must become the containing block of the absolutely positioned host: only a `static`
 * anchor is changed (to `relative`, which moves nothing by itself), and marked so it can be undone.
 * A read: the scanner asks for every card of a batch before it writes anything (one style pass).
 * @param {Element} anchor
 */
export function needsPositioning(anchor) {
  if (!(anchor instanceof HTMLElement) || anchor.hasAttribute(POSITIONED_ATTRIBUTE)) return false;
  const look = `${anchor.localName}.${anchor.className}|${anchor.getAttribute('style') ?? ''}`;
  let isStatic = staticByLook.get(look);
  if (isStatic === undefined) {
    isStatic = getComputedStyle(anchor).position === 'static';
    staticByLook.set(look, isStatic);
  }
  return isStatic;
}

/**
 * Draw or update the hint for `verdict` in `anchor`. Returns the host.
 * @param {Element} anchor
 * @param {Element|null} existing  the card's current host, reused when it is still in `anchor`
 * @param {import('../messages.js').Verdict} verdict
 * @param {import('../messages.js').HintKind} kind
 * @param {'light'|'dark'} theme
 * @param {boolean} position  from {@link needsPositioning}, read before any write of this batch
 */
export function renderHint(anchor, existing, verdict, kind, theme, position) {
  let host = existing && existing.isConnected && existing.parentNode === anchor ? existing : null;
  if (existing && !host) existing.remove();
  if (!host) {
    const created = createHost();
    host = created.host;
    ours.add(host);
    adoptStyles(created.shadow);
    for (const type of CONTAINED_EVENTS) host.addEventListener(type, onHintEvent);
    for (const type of PASSIVE_EVENTS) host.addEventListener(type, onHintEvent, { passive: true });
    hints.set(host, { host, shadow: created.shadow, pill: null, panel: null, verdict: null, kind: null, correction: null, key: '', busy: false, changes: 0 });
  }
  const hint = /** @type {Hint} */ (hints.get(host));
  if (host.getAttribute('data-id') !== verdict.id) host.setAttribute('data-id', verdict.id);
  if (host.getAttribute('data-kind') !== kind) host.setAttribute('data-kind', kind);
  if (host.getAttribute('data-theme') !== theme) host.setAttribute('data-theme', theme);
  const correction = actions?.correctionOf(verdict.id) ?? null;
  const key = `${verdict.id}|${kind}|${verdict.verdict}|${verdict.evidence.length}|${verdict.score}`;
  if (hint.key !== key) {
    hint.key = key;
    hint.verdict = verdict;
    hint.kind = kind;
    hint.correction = correction;
    fillHint(hint);
  } else if (hint.correction !== correction) {
    showCorrection(hint, correction);
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

/** (Re)draw the closed hint: a new pill; the panel waits for the first opening. */
function fillHint(hint) {
  for (const child of [...hint.shadow.childNodes]) {
    if (child.nodeName !== 'STYLE') child.remove();
  }
  hint.panel = null;
  hint.busy = false;
  hint.pill = newPill(/** @type {import('../messages.js').HintKind} */ (hint.kind));
  hint.shadow.append(hint.pill);
  // The template shows the engine's hint: only a correction (or a reused host's old one) needs more.
  if (hint.correction || hint.host.hasAttribute('data-corrected')) showCorrection(hint, hint.correction);
}

/** @param {Hint} hint @param {boolean} open */
function toggle(hint, open) {
  const pill = /** @type {HTMLButtonElement} */ (hint.pill);
  if (open && !hint.panel) {
    hint.panel = buildPanel(hint);
    pill.setAttribute('aria-controls', hint.panel.id);
    hint.shadow.append(hint.panel);
  }
  pill.setAttribute('aria-expanded', String(open));
  if (!hint.panel) return;
  hint.panel.hidden = !open;
  if (open) {
    // Stay inside the video (TikTok clips it): the panel scrolls when the room is short.
    const anchor = hint.host.parentElement;
    if (anchor) {
      const room = anchor.getBoundingClientRect().bottom - hint.panel.getBoundingClientRect().top - 8;
      hint.panel.style.maxHeight = `min(60vh, 360px, ${Math.max(64, Math.floor(room))}px)`;
    }
    refreshFromLedger(hint);
  }
}

/** @param {string} tag @param {string} [className] @param {string} [text] */
function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * The "Why?" panel: the correction status, the engine's summary and evidence, the disclaimer, the
 * creator's numbers (filled from the ledger) and the two correction buttons.
 * @param {Hint} hint
 */
function buildPanel(hint) {
  const verdict = /** @type {import('../messages.js').Verdict} */ (hint.verdict);
  const kind = /** @type {import('../messages.js').HintKind} */ (hint.kind);
  const panel = element('div', 'panel');
  panel.id = `deinfluencer-why-${++serial}`;
  panel.setAttribute('role', 'region');
  panel.setAttribute('aria-label', msg('hintWhyLabel'));

  const status = element('p', 'status');
  status.hidden = true;
  panel.append(status, element('p', 'summary', msg(`hintSummary_${kind}`)));

  const evidence = verdict.evidence.slice(0, MAX_EVIDENCE);
  if (evidence.length > 0) {
    const list = element('ul');
    for (const item of evidence) {
      const li = element('li');
      li.append(element('span', '', item.explanation || item.signal));
      const quoted = (item.text ?? '').trim().slice(0, MAX_QUOTE_CHARS);
      // The engine's explanation usually quotes the text already; quote it only when it does not.
      if (quoted && !(item.explanation ?? '').includes(quoted)) li.append(element('span', 'quote', msg('hintQuoted', quoted)));
      list.append(li);
    }
    panel.append(list);
  } else {
    panel.append(element('p', '', msg('hintNoEvidence')));
  }
  panel.append(element('p', 'note', msg('hintDisclaimer')));

  const creator = element('p', 'creator');
  creator.setAttribute('aria-live', 'polite');
  const group = element('div', 'correct');
  group.setAttribute('role', 'group');
  group.setAttribute('aria-label', msg('hintCorrectLabel'));
  for (const correction of CORRECTIONS) {
    const button = element('button', '', msg(correction === 'not_an_ad' ? 'hintCorrectNotAd' : 'hintCorrectIsAd'));
    button.setAttribute('type', 'button');
    button.dataset.correction = correction;
    group.append(button);
  }
  const error = element('p', 'error');
  error.setAttribute('role', 'alert');
  error.hidden = true;
  panel.append(creator, group, error);
  hint.panel = panel;
  showCorrection(hint, hint.correction);
  return panel;
}

/**
 * Show `correction` (or none): the pill's text, the host's `data-corrected`, the panel's status line
 * and the buttons' pressed state. The engine's own verdict stays in the panel.
 * @param {Hint} hint
 * @param {string|null} correction
 */
function showCorrection(hint, correction) {
  hint.correction = correction;
  const kind = hint.kind ?? 'organic';
  const text = hint.pill?.querySelector('.text');
  if (text) text.textContent = correction ? msg(`hintCorrected_${correction}`) : msg(TEXT_KEYS[kind]);
  const icon = hint.pill?.querySelector('.icon');
  if (icon) {
    const shownAs = correction === 'not_an_ad' ? 'disclosed' : correction === 'is_an_ad' ? 'undisclosed' : kind;
    icon.className = shownAs === 'self_promo' ? 'icon bag' : 'icon';
    icon.textContent = GLYPHS[shownAs] ?? GLYPHS.organic;
  }
  if (correction) hint.host.setAttribute('data-corrected', correction);
  else hint.host.removeAttribute('data-corrected');
  const panel = hint.panel;
  if (!panel) return;
  const status = /** @type {HTMLElement} */ (panel.querySelector('.status'));
  status.hidden = !correction;
  status.textContent = correction ? msg('hintCorrectedStatus', [msg(TEXT_KEYS[kind])]) : '';
  for (const button of panel.querySelectorAll('button[data-correction]')) {
    button.setAttribute('aria-pressed', String(/** @type {HTMLElement} */ (button).dataset.correction === correction));
  }
}

/** @param {Hint} hint @param {string} [text]  an error to show, or none */
function showError(hint, text) {
  const error = /** @type {HTMLElement|null} */ (hint.panel?.querySelector('.error') ?? null);
  if (!error) return;
  error.hidden = !text;
  error.textContent = text ?? '';
}

/** Ask the ledger for the post's stored correction and the creator's numbers (on every opening). */
async function refreshFromLedger(hint) {
  const verdict = hint.verdict;
  if (!actions || !verdict || !hint.panel) return;
  const panel = hint.panel;
  const changes = hint.changes;
  const creator = /** @type {HTMLElement} */ (panel.querySelector('.creator'));
  try {
    const info = await actions.ledgerInfo(verdict);
    if (hint.panel !== panel || hint.verdict !== verdict) return; // redrawn meanwhile
    const stored = CORRECTIONS.includes(info.post?.correction) ? info.post.correction : null;
    if (!hint.busy && hint.changes === changes && stored !== hint.correction) showCorrection(hint, stored);
    creator.textContent = info.creator ? creatorLine(info.creator) : '';
  } catch (error) {
    if (hint.panel !== panel) return;
    creator.textContent = msg('hintLedgerUnavailable', [error instanceof Error ? error.message : String(error)]);
  }
}

/**
 * The creator's numbers in one line, worded as in the popup.
 * @param {import('../messages.js').CreatorSummary} c
 */
function creatorLine(c) {
  const number = new Intl.NumberFormat(msg('languageCode'));
  const percent = new Intl.NumberFormat(msg('languageCode'), { style: 'percent', maximumFractionDigits: 0 });
  const posts = number.format(c.seen);
  let line;
  if (!c.enough_to_judge) line = msgCount('ledgerTooFew', c.seen, [posts]);
  else if (c.commercial === 0) line = msg('ledgerCreatorNoAds', [posts]);
  else line = msg('ledgerCreatorLine', [posts, percent.format(c.sponsored_share), percent.format(c.disclosure_rate ?? 0)]);
  return msg('hintCreatorLine', [`@${c.creator}`, line]);
}

/**
 * A correction button was pressed: the pressed one again undoes it. The buttons wait for the ledger's
 * answer; a failure is shown in the panel and changes nothing.
 * @param {Hint} hint
 * @param {string} pressed
 */
async function pressCorrection(hint, pressed) {
  if (hint.busy || !CORRECTIONS.includes(pressed) || !hint.verdict) return;
  if (!actions) return; // hints are off: stop() has removed every hint already
  const verdict = hint.verdict;
  const next = hint.correction === pressed ? null : pressed;
  const buttons = [...(hint.panel?.querySelectorAll('button[data-correction]') ?? [])];
  hint.busy = true;
  hint.changes++;
  for (const button of buttons) button.setAttribute('aria-disabled', 'true');
  try {
    await actions.correct(verdict, next);
    if (hint.verdict !== verdict) return;
    showError(hint);
    showCorrection(hint, next);
    refreshFromLedger(hint);
  } catch (error) {
    showError(hint, msg('hintCorrectFailed', [error instanceof Error ? error.message : String(error)]));
  } finally {
    hint.busy = false;
    for (const button of buttons) button.removeAttribute('aria-disabled');
  }
}

/** Redraw the correction state of every hint showing post `id` (another card, or the ledger changed). */
export function showCorrectionOf(id, correction) {
  for (const host of allHosts()) {
    const hint = hints.get(host);
    if (hint && hint.verdict?.id === id && hint.correction !== correction) showCorrection(hint, correction);
  }
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
