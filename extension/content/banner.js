/**
 * The creator profile banner: on `https://www.tiktok.com/@handle`, a box above the profile's video
 * grid with what the ledger knows of that creator (sponsored share, disclosure rate, sample size, 95 %
 * Wilson intervals, or "too few posts to judge"), and a "Why?" breakdown (counts per verdict, the
 * user's corrections, the most frequent kinds of signal).
 *
 * Where it goes is data: the page type's `banner` selectors in src/platform/tiktok_page.json (the
 * banner is inserted right before the first element they match); the handle is the path segment after
 * the profile page type's prefix (`/@`). It adds one `<deinfluencer-banner>` element (a `<div
 * data-deinfluencer-banner>` if the page took that name) with an open shadow root holding its styles;
 * every text is set with textContent. It never moves, resizes or restyles TikTok's own elements.
 *
 * The numbers come from the service worker (`ledger-creator`), again whenever the ledger is written
 * (the worker's `ledger-saved` message, about a second after new posts are recorded), so scrolling the creator's
 * videos updates it. SPA navigation between profiles is followed by `popstate`, the Navigation API and
 * a check of `location` on DOM changes (TikTok re-renders the grid on every route).
 */
import { api } from '../shim.js';
import { MSG, normalizeSettings, send, watchSettings } from '../messages.js';
import { msg, msgCount, useLanguage } from '../i18n.js';
import { count, percent } from '../ledger-ui.js';
import { pageTheme } from './overlay.js';
import { PALETTE_CSS } from './palette.js';
import { pageTypeFor } from './page.js';

export const BANNER_TAG = 'deinfluencer-banner';
/** At most one ledger request per this many ms while posts keep being recorded. */
const REFRESH_MS = 400;
/** DOM changes are looked at once per this many ms (the callback itself does nothing else). */
const CHECK_MS = 150;

const CSS = `${PALETTE_CSS}
:host {
  font: 400 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif;
}
* { box-sizing: border-box; }
section {
  margin: 0;
  padding: 12px 16px;
  border: 1px solid var(--line);
  border-inline-start: 4px solid var(--accent);
  border-radius: 10px;
  background: var(--bg);
  color: var(--fg);
}
h2 { margin: 0 0 4px; font-size: 15px; font-weight: 700; overflow-wrap: anywhere; }
p { margin: 0 0 4px; }
.muted { color: var(--muted); font-size: 13px; }
.range { color: var(--muted); }
button {
  all: unset;
  box-sizing: border-box;
  display: inline-block;
  min-height: 28px;
  margin-top: 4px;
  padding: 3px 10px;
  border: 1px solid var(--line);
  border-radius: 14px;
  color: var(--fg);
  cursor: pointer;
  text-decoration: underline;
}
button:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.why { margin-top: 8px; }
.why[hidden] { display: none; }
.why ul { margin: 0 0 6px; padding-inline-start: 20px; }
.why li { margin: 0 0 2px; }
.error { color: var(--accent); }
`;

/** The profile handle of `pathname` when it is a page type with banner selectors, else null. */
export function profileHandle(rules, pathname) {
  const type = pageTypeFor(rules, pathname);
  if (!type || !type.banner?.length) return null;
  const prefix = type.prefixes.find((p) => pathname.startsWith(p));
  if (!prefix) return null;
  const segment = pathname.slice(prefix.length).split('/')[0] ?? '';
  let handle = segment;
  try {
    handle = decodeURIComponent(segment);
  } catch {
    // a malformed escape: keep the segment as it is
  }
  return handle === '' ? null : { handle, type };
}

function element(tag, props = {}, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

export class ProfileBanner {
  /** @param {{rules: import('./page.js').Rules}} options */
  constructor({ rules }) {
    this.rules = rules;
    this.running = false;
    /** @type {HTMLElement|null} */
    this.host = null;
    /** @type {ShadowRoot|null} */
    this.shadow = null;
    this.handle = '';
    this.why = false;
    /** @type {import('../messages.js').CreatorSummary|null|undefined} undefined: not loaded yet */
    this.summary = undefined;
    this.error = '';
    this.requestSeq = 0;
    this.refreshTimer = 0;
    this.checkTimer = 0;
    this.language = 'auto';
    this.observer = new MutationObserver(() => this.scheduleCheck());
    this.onNavigate = () => this.check();
    /** @type {(() => void) | null} stops watching the settings */
    this.unwatchSettings = null;
    // The worker says when the ledger was saved (not a storage.local listener: that would receive the
    // whole ledger text on every save).
    this.onMessage = (message) => {
      if (message?.type === MSG.LEDGER_SAVED && this.handle) this.scheduleRefresh();
      return false;
    };
  }

  start() {
    if (this.running) return;
    this.running = true;
    this.observer.observe(document, { childList: true, subtree: true });
    addEventListener('popstate', this.onNavigate);
    globalThis.navigation?.addEventListener?.('navigatesuccess', this.onNavigate);
    api.runtime.onMessage.addListener(this.onMessage);
    this.unwatchSettings = watchSettings((change) => {
      const language = normalizeSettings(change.newValue).language;
      if (language !== this.language) this.setLanguage(language);
    });
    send({ type: MSG.GET_SETTINGS })
      .then((settings) => this.setLanguage(settings.language))
      .catch(() => {});
    this.handle = '';
    this.check();
  }

  /** Remove the banner and stop watching (hints switched off). */
  stop() {
    this.running = false;
    this.observer.disconnect();
    removeEventListener('popstate', this.onNavigate);
    globalThis.navigation?.removeEventListener?.('navigatesuccess', this.onNavigate);
    api.runtime.onMessage.removeListener(this.onMessage);
    this.unwatchSettings?.();
    this.unwatchSettings = null;
    clearTimeout(this.refreshTimer);
    clearTimeout(this.checkTimer);
    this.refreshTimer = 0;
    this.checkTimer = 0;
    this.host?.remove();
    this.handle = '';
  }

  scheduleCheck() {
    if (!this.checkTimer) this.checkTimer = setTimeout(() => this.check(), CHECK_MS);
  }

  async setLanguage(language) {
    this.language = language;
    await useLanguage(language).catch((error) => console.warn('Deinfluencer: could not load the language', language, error));
    if (this.running && this.handle) this.render();
  }

  /** Follow the route: which profile, if any; keep the banner in place before its anchor. */
  check() {
    clearTimeout(this.checkTimer);
    this.checkTimer = 0;
    if (!this.running) return;
    const profile = profileHandle(this.rules, location.pathname);
    if (!profile) {
      this.host?.remove();
      this.handle = '';
      return;
    }
    if (profile.handle !== this.handle) {
      this.handle = profile.handle;
      this.summary = undefined;
      this.error = '';
      this.why = false;
      this.render();
      this.refresh();
    }
    this.place(profile.type);
  }

  /** Put the host right before the first anchor, unless it is already there. */
  place(type) {
    const anchor = type.banner.map((selector) => document.querySelector(selector)).find(Boolean);
    if (!anchor || !anchor.parentNode) {
      this.host?.remove();
      return;
    }
    const host = this.ensureHost();
    if (host.nextElementSibling === anchor && host.parentNode === anchor.parentNode) {
      this.updateTheme();
      return;
    }
    anchor.parentNode.insertBefore(host, anchor);
    this.updateTheme();
  }

  ensureHost() {
    if (this.host) return this.host;
    let created = null;
    for (const tag of [BANNER_TAG, 'div']) {
      try {
        const host = document.createElement(tag);
        const shadow = host.attachShadow({ mode: 'open' });
        if (tag !== BANNER_TAG) host.setAttribute('data-deinfluencer-banner', '');
        created = { host, shadow };
        break;
      } catch {
        // the page defined <deinfluencer-banner> itself: use a plain element
      }
    }
    if (!created) throw new Error('cannot create the banner host');
    const { host, shadow } = created;
    // Inline and !important: the page's CSS must not hide or reshape the banner.
    for (const [property, value] of [
      ['display', 'block'],
      ['position', 'static'],
      ['margin', '0 0 16px'],
      ['max-width', '100%'],
    ]) {
      host.style.setProperty(property, value, 'important');
    }
    // The page's own shortcuts and click handlers must not see what happens in the banner.
    for (const type of ['click', 'keydown', 'keyup', 'pointerdown', 'mousedown']) {
      host.addEventListener(type, (event) => event.stopPropagation());
    }
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      shadow.adoptedStyleSheets = [sheet];
      if (shadow.adoptedStyleSheets.length !== 1) throw new Error('not adopted');
    } catch {
      shadow.append(element('style', {}, CSS));
    }
    this.host = host;
    this.shadow = shadow;
    this.render();
    return host;
  }

  updateTheme() {
    const theme = pageTheme();
    if (this.host && this.host.getAttribute('data-theme') !== theme) this.host.setAttribute('data-theme', theme);
  }

  scheduleRefresh() {
    if (!this.refreshTimer) {
      this.refreshTimer = setTimeout(() => {
        this.refreshTimer = 0;
        this.refresh();
      }, REFRESH_MS);
    }
  }

  /** Ask the service worker for the creator's numbers; a late answer for another profile is dropped. */
  async refresh() {
    const handle = this.handle;
    if (!handle) return;
    const seq = ++this.requestSeq;
    try {
      const summary = await send({ type: MSG.LEDGER_CREATOR, handle });
      if (seq !== this.requestSeq || handle !== this.handle) return;
      this.summary = summary;
      this.error = '';
    } catch (error) {
      if (seq !== this.requestSeq) return;
      this.error = error instanceof Error ? error.message : String(error);
    }
    this.render();
  }

  render() {
    if (!this.shadow || !this.host) return;
    const c = this.summary;
    const handle = this.handle;
    this.host.setAttribute('data-handle', handle);
    this.host.setAttribute('data-state', this.error ? 'error' : c === undefined ? 'loading' : c ? 'ready' : 'empty');
    this.host.setAttribute('data-seen', String(c?.seen ?? 0));
    const section = element('section', { role: 'region', 'aria-label': msg('bannerLabel', [`@${handle}`]) });
    section.append(element('h2', {}, msg('bannerTitle', [`@${handle}`])));
    if (this.error) {
      section.append(element('p', { class: 'error', role: 'alert' }, msg('ledgerLoadFailed', [this.error])));
    } else if (c === undefined) {
      section.append(element('p', { class: 'muted' }, msg('engineLoading')));
    } else if (!c) {
      section.append(element('p', { class: 'headline' }, msg('bannerNone')));
    } else {
      section.append(...this.numbers(c), ...this.breakdown(c));
    }
    section.append(element('p', { class: 'muted' }, msg('bannerNote')));
    section.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.why) this.toggleWhy(false);
    });
    // New numbers must not take the keyboard focus away from the "Why?" button.
    const hadFocus = this.shadow.activeElement?.matches('button') === true;
    const old = this.shadow.querySelector('section');
    if (old) old.replaceWith(section);
    else this.shadow.append(section);
    if (hadFocus) /** @type {HTMLElement|null} */ (this.shadow.querySelector('button'))?.focus();
  }

  /** Open or close the "Why?" panel (the button keeps the focus). */
  toggleWhy(open) {
    this.why = open;
    const button = this.shadow?.querySelector('button');
    const panel = /** @type {HTMLElement|null} */ (this.shadow?.querySelector('.why'));
    if (!button || !panel) return;
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (!open) /** @type {HTMLElement} */ (button).focus();
  }

  /** @param {import('../messages.js').CreatorSummary} c */
  numbers(c) {
    const posts = count(c.seen);
    if (!c.enough_to_judge) return [element('p', { class: 'headline' }, msgCount('ledgerTooFew', c.seen, [posts]))];
    const range = ([low, high]) => msg('bannerInterval', [percent(low), percent(high)]);
    const share = element('p', { class: 'headline' }, msg('bannerShare', [percent(c.sponsored_share), posts]));
    share.append(' ', element('span', { class: 'range' }, range(c.sponsored_interval)));
    if (c.commercial === 0 || c.disclosure_rate === null) return [share];
    const rate = element('p', { class: 'rate' }, msg('bannerRate', [percent(c.disclosure_rate), count(c.commercial)]));
    if (c.disclosure_interval) rate.append(' ', element('span', { class: 'range' }, range(c.disclosure_interval)));
    return [share, rate];
  }

  /** The "Why?" button and its panel. @param {import('../messages.js').CreatorSummary} c */
  breakdown(c) {
    const panelId = 'why';
    const button = element('button', { type: 'button', 'aria-expanded': String(this.why), 'aria-controls': panelId }, msg('hintWhy'));
    const panel = element('div', { id: panelId, class: 'why', role: 'group', 'aria-label': msg('bannerWhyLabel') });
    panel.hidden = !this.why;
    const counts = element('ul', { class: 'counts' });
    for (const [key, n] of [
      ['bannerCountUndisclosed', c.undisclosed],
      ['bannerCountUnclear', c.unclear],
      ['bannerCountDisclosed', c.disclosed],
      ['bannerCountOrganic', c.organic],
      ['bannerCountSelfPromo', c.self_promo],
      ['bannerCountCorrections', c.corrections],
    ]) {
      const li = element('li', { 'data-count': key }, msg(key, [count(n)]));
      counts.append(li);
    }
    panel.append(counts);
    const signals = c.top_signals ?? [];
    if (signals.length > 0) {
      panel.append(element('p', {}, msg('bannerSignalsHeading')));
      const list = element('ul', { class: 'signals' });
      for (const s of signals) {
        const name = msg(`signal_${s.signal}`);
        list.append(element('li', { 'data-signal': s.signal }, msg('bannerSignal', [name === `signal_${s.signal}` ? s.signal : name, count(s.posts)])));
      }
      panel.append(list);
    }
    button.addEventListener('click', () => this.toggleWhy(!this.why));
    return [button, panel];
  }
}
