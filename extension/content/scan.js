/**
 * The incremental scanner: finds TikTok's post cards as they enter the page, joins each to the item
 * from TikTok's JSON by video id, asks the engine for a verdict and draws the hint.
 *
 * - One MutationObserver (childList + subtree, plus `href`/`id` attributes so a recycled card whose
 *   link or player id changed is seen) collects added nodes; they are processed once per animation
 *   frame, in batches (one engine call per frame). No work per scroll event.
 * - Everything is keyed by video id. A card remembers the id (and inputs) it was judged for; when
 *   TikTok recycles it for another video, the id differs and it is judged again.
 * - Items from TikTok's JSON (SSR blob, captured API responses) go into a bounded LRU cache; a card
 *   judged from the DOM alone is judged again when its item arrives.
 * - SPA navigation: `location.href` is checked on every flush (and on popstate / Navigation API
 *   events); a new route picks its page type's selectors and rescans the whole document.
 * - stop() disconnects the observer and removes every hint and attribute synchronously.
 */
import { MSG, MAX_JSON_CHARS, send } from '../messages.js';
import { cardId, hintAnchor, labelTexts, pageTypeFor, readCard } from './page.js';
import {
  POSITIONED_ATTRIBUTE,
  allHosts,
  hintKind,
  isOurs,
  needsPositioning,
  pageTheme,
  renderHint,
  setHintTheme,
} from './overlay.js';

const ITEM_CACHE_SIZE = 500;
/** This document's id for the ledger's per-tab list (a reload or new page starts a new list). */
const PAGE_LOAD = Math.random().toString(36).slice(2) + Date.now().toString(36);
const VERDICT_CACHE_SIZE = 1000;
/** Cards per engine call. */
const BATCH = 200;
/** The page-state blobs that hold items (tiktok-page.md §5). The For You page's has none. */
const BLOB_IDS = ['__UNIVERSAL_DATA_FOR_REHYDRATION__', 'SIGI_STATE', '__NEXT_DATA__'];

/** A Map that forgets its least recently used entries beyond `limit`. */
class Lru {
  constructor(limit) {
    this.limit = limit;
    /** @type {Map<string, any>} */
    this.map = new Map();
  }
  get(key) {
    if (!this.map.has(key)) return undefined;
    const value = this.map.get(key);
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }
  set(key, value) {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value);
  }
}

/** A mutation record that only adds or removes our own hosts. */
function onlyOurs(record) {
  if (record.type !== 'childList') return false;
  for (const node of record.addedNodes) if (!isOurs(node)) return false;
  for (const node of record.removedNodes) if (!isOurs(node)) return false;
  return true;
}

export class Scanner {
  /**
   * @param {object} options
   * @param {import('./boot.js').Engine} options.engine
   * @param {import('./page.js').Rules} options.rules
   * @param {string} options.lang  the UI language, for the engine's explanations
   */
  constructor({ engine, rules, lang }) {
    this.engine = engine;
    this.rules = rules;
    this.lang = lang;
    /** @type {Record<string, boolean>} */
    this.show = {};
    this.running = false;
    this.items = new Lru(ITEM_CACHE_SIZE);
    this.verdicts = new Lru(VERDICT_CACHE_SIZE);
    /** @type {WeakMap<Element, {id: string, key: string, wantHost: boolean}>} */
    this.cardState = new WeakMap();
    /** @type {WeakMap<Element, Element>} card → its hint host */
    this.hostOf = new WeakMap();
    /** @type {Set<Node>} */
    this.added = new Set();
    /** @type {Set<Node>} */
    this.touched = new Set();
    this.full = false;
    /** @type {Set<Promise<void>>} */
    this.pendingJson = new Set();
    this.frame = 0;
    this.busy = false;
    this.href = '';
    /** @type {import('./page.js').CompiledPageType|null} */
    this.type = null;
    this.blobsRead = false;
    this.theme = /** @type {'light'|'dark'} */ ('light');
    this.themeDirty = true;
    /** Ids judged undisclosed on this route (the toolbar badge). */
    this.undisclosed = new Set();
    this.reported = -1;
    this.warned = false;
    this.warnedLedger = false;

    this.observer = new MutationObserver((records) => this.onMutations(records));
    this.themeObserver = new MutationObserver(() => {
      this.themeDirty = true;
      this.schedule();
    });
    this.onNavigate = () => this.schedule();
    this.onThemeQuery = () => {
      this.themeDirty = true;
      this.schedule();
    };
    this.onReady = () => {
      this.observeTheme();
      this.full = true;
      this.schedule();
    };
  }

  // ---- on / off ----

  start() {
    if (this.running) return;
    this.running = true;
    this.observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['href', 'id'] });
    this.observeTheme();
    addEventListener('popstate', this.onNavigate);
    globalThis.navigation?.addEventListener?.('navigatesuccess', this.onNavigate);
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', this.onThemeQuery);
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', this.onReady, { once: true });
    this.href = '';
    this.full = true;
    this.themeDirty = true;
    this.schedule();
  }

  /** Synchronous: every hint and attribute is gone when this returns. */
  stop() {
    if (!this.running) return;
    this.running = false;
    this.observer.disconnect();
    this.themeObserver.disconnect();
    removeEventListener('popstate', this.onNavigate);
    globalThis.navigation?.removeEventListener?.('navigatesuccess', this.onNavigate);
    matchMedia('(prefers-color-scheme: dark)').removeEventListener('change', this.onThemeQuery);
    document.removeEventListener('DOMContentLoaded', this.onReady);
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.added.clear();
    this.touched.clear();
    for (const host of allHosts()) host.remove();
    for (const card of document.querySelectorAll('[data-deinfluencer-verdict], [data-deinfluencer-self-promo]')) {
      card.removeAttribute('data-deinfluencer-verdict');
      card.removeAttribute('data-deinfluencer-self-promo');
    }
    for (const anchor of document.querySelectorAll(`[${POSITIONED_ATTRIBUTE}]`)) {
      /** @type {HTMLElement} */ (anchor).style.removeProperty('position');
      anchor.removeAttribute(POSITIONED_ATTRIBUTE);
    }
    this.cardState = new WeakMap();
    this.hostOf = new WeakMap();
    this.undisclosed.clear();
    this.reported = -1;
  }

  /** Which kinds of hint to draw; a change redraws every card (from the verdict cache). */
  setShow(show) {
    const changed = JSON.stringify(show) !== JSON.stringify(this.show);
    this.show = { ...show };
    if (changed && this.running) {
      this.cardState = new WeakMap();
      this.full = true;
      this.schedule();
    }
  }

  observeTheme() {
    this.themeObserver.disconnect();
    const options = { attributes: true, attributeFilter: ['data-theme', 'data-color-mode', 'class', 'style'] };
    this.themeObserver.observe(document.documentElement, options);
    if (document.body) this.themeObserver.observe(document.body, options);
  }

  // ---- input: TikTok's JSON ----

  /** Read a JSON text (captured API response or page blob) into the item cache. Untrusted input. */
  addJson(text) {
    if (!this.running || typeof text !== 'string' || text.length === 0 || text.length > MAX_JSON_CHARS) return;
    const job = this.engine
      .readTikTokJson(text)
      .then((posts) => {
        if (!Array.isArray(posts)) return;
        const ids = new Set();
        for (const post of posts) {
          if (!post || typeof post.id !== 'string' || post.id === '') continue;
          this.items.set(post.id, post);
          ids.add(post.id);
        }
        if (ids.size > 0) this.recheckIds(ids);
      })
      .catch(() => {
        // not TikTok JSON, or not JSON at all: nothing to learn
      })
      .finally(() => this.pendingJson.delete(job));
    this.pendingJson.add(job);
  }

  /** Cards already judged for one of `ids` are judged again (now with the item). */
  recheckIds(ids) {
    if (!this.running || !this.type) return;
    for (const card of document.querySelectorAll(this.type.cardSelector)) {
      const state = this.cardState.get(card);
      if (state && ids.has(state.id)) this.touched.add(card);
    }
    this.schedule();
  }

  readBlobs() {
    this.blobsRead = true;
    for (const id of BLOB_IDS) {
      const script = document.getElementById(id);
      if (script && script.localName === 'script') this.addJson(script.textContent ?? '');
    }
  }

  // ---- input: the DOM ----

  /** @param {MutationRecord[]} records */
  onMutations(records) {
    if (document.readyState === 'loading') return; // the full scan at DOMContentLoaded covers the parse
    let any = false;
    for (const record of records) {
      if (onlyOurs(record)) continue;
      if (record.type === 'childList') {
        for (const node of record.addedNodes) {
          if (node.nodeType === Node.ELEMENT_NODE && !isOurs(node)) this.added.add(node);
        }
      }
      this.touched.add(record.target);
      any = true;
    }
    if (any) this.schedule();
  }

  schedule() {
    if (this.running && !this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  async flush() {
    this.frame = 0;
    // While the document is still parsing, DOMContentLoaded schedules the first full scan.
    if (!this.running || this.busy || document.readyState === 'loading') return;
    this.busy = true;
    try {
      await this.scan();
    } catch (error) {
      if (!this.warned) console.warn('Deinfluencer: scanning failed:', error);
      this.warned = true;
    } finally {
      this.busy = false;
      if (this.running && (this.full || this.added.size > 0 || this.touched.size > 0)) this.schedule();
    }
  }

  /** The outermost card around `element` (card selectors can match nested elements of one card). */
  outermostCard(element) {
    const selector = /** @type {NonNullable<typeof this.type>} */ (this.type).cardSelector;
    let card = element.closest(selector);
    while (card) {
      const outer = card.parentElement?.closest(selector);
      if (!outer) return card;
      card = outer;
    }
    return null;
  }

  /** The cards to look at in this flush. */
  collectCards() {
    const type = /** @type {NonNullable<typeof this.type>} */ (this.type);
    const selector = type.cardSelector;
    /** @type {Set<Element>} */
    const cards = new Set();
    const add = (element) => {
      const card = this.outermostCard(element);
      if (card) cards.add(card);
    };
    if (this.full) {
      this.full = false;
      this.added.clear();
      for (const card of document.querySelectorAll(selector)) add(card);
    } else {
      for (const node of this.added) {
        if (!node.isConnected) continue;
        const element = /** @type {Element} */ (node);
        add(element);
        for (const card of element.querySelectorAll(selector)) add(card);
      }
      this.added.clear();
    }
    for (const node of this.touched) {
      if (!node.isConnected) continue;
      const element = node.nodeType === Node.ELEMENT_NODE ? /** @type {Element} */ (node) : node.parentElement;
      if (element) add(element);
    }
    this.touched.clear();
    return cards;
  }

  onRoute() {
    this.href = location.href;
    this.type = pageTypeFor(this.rules, location.pathname);
    this.full = true;
    this.undisclosed.clear();
    this.reportCount();
  }

  async scan() {
    if (!this.blobsRead) this.readBlobs();
    if (location.href !== this.href) this.onRoute();
    // Items first: a card whose JSON is on its way is judged once, from the JSON.
    if (this.pendingJson.size > 0) await Promise.all([...this.pendingJson]);
    if (!this.running) return;
    if (!this.type) {
      this.full = false;
      this.added.clear();
      this.touched.clear();
      return;
    }
    const type = this.type;
    if (this.themeDirty) this.updateTheme();

    const jobs = [];
    for (const card of this.collectCards()) {
      const id = cardId(card, this.rules, type);
      const state = this.cardState.get(card);
      if (!id) {
        if (state) this.clearCard(card);
        continue;
      }
      const labels = labelTexts(card, type);
      const post = this.items.get(id);
      const key = `${id}\u241f${post ? 'json' : 'dom'}\u241f${labels.join('\u241e')}`;
      const host = this.hostOf.get(card);
      if (state && state.key === key && (!state.wantHost || (host && host.isConnected))) continue;
      jobs.push({ card, id, key, labels, post, verdict: this.verdicts.get(key) });
    }
    if (jobs.length === 0) return;

    const missing = jobs.filter((job) => !job.verdict);
    /** @type {import('../messages.js').Verdict[]} newly judged this frame, for the ledger */
    const judged = [];
    for (let start = 0; start < missing.length; start += BATCH) {
      const batch = missing.slice(start, start + BATCH);
      const input = batch.map((job) => {
        const card = readCard(job.card, job.id, type, job.labels);
        if (job.post) card.post = job.post;
        return card;
      });
      const verdicts = await this.engine.classifyCards(input, this.lang);
      batch.forEach((job, index) => {
        const verdict = verdicts?.[index];
        if (verdict && typeof verdict.verdict === 'string') {
          job.verdict = verdict;
          this.verdicts.set(job.key, verdict);
          judged.push(verdict);
        }
      });
    }
    this.recordVerdicts(judged);
    if (!this.running || this.type !== type) return;
    // Reads first (ids, anchors, computed positions: one style pass), then every write.
    const ready = [];
    for (const job of jobs) {
      // The item arrived while the engine worked on the DOM-only card: judge it again next frame.
      if (!job.post && this.items.get(job.id)) this.touched.add(job.card);
      if (!job.verdict || !job.card.isConnected) continue;
      // Recycled while the engine worked: the mutation that changed it brings it back.
      if (cardId(job.card, this.rules, type) !== job.id) continue;
      const kind = hintKind(job.verdict);
      const wantHost = this.show[kind] === true;
      const anchor = wantHost ? hintAnchor(job.card, type) : null;
      const existing = this.hostOf.get(job.card);
      const position = anchor !== null && !(existing?.isConnected && existing.parentNode === anchor) && needsPositioning(anchor);
      ready.push({ ...job, kind, anchor, position });
    }
    for (const job of ready) this.render(job);
    this.reportCount();
  }

  /**
   * Write one card's verdict attributes and hint (no layout reads here).
   * @param {{card: Element, id: string, key: string, verdict: import('../messages.js').Verdict,
   *   kind: import('../messages.js').HintKind, anchor: Element|null, position: boolean}} job
   */
  render({ card, id, key, verdict, kind, anchor, position }) {
    if (card.getAttribute('data-deinfluencer-verdict') !== verdict.verdict) {
      card.setAttribute('data-deinfluencer-verdict', verdict.verdict);
    }
    if (verdict.self_promo) card.setAttribute('data-deinfluencer-self-promo', 'true');
    else card.removeAttribute('data-deinfluencer-self-promo');
    const wantHost = anchor !== null;
    if (anchor) {
      const host = renderHint(anchor, this.hostOf.get(card) ?? null, verdict, kind, this.theme, position);
      this.hostOf.set(card, host);
    } else {
      this.hostOf.get(card)?.remove();
      this.hostOf.delete(card);
    }
    this.cardState.set(card, { id, key, wantHost });
    if (kind === 'undisclosed') this.undisclosed.add(id);
  }

  /** @param {Element} card */
  clearCard(card) {
    this.hostOf.get(card)?.remove();
    this.hostOf.delete(card);
    this.cardState.delete(card);
    card.removeAttribute('data-deinfluencer-verdict');
    card.removeAttribute('data-deinfluencer-self-promo');
  }

  updateTheme() {
    this.themeDirty = false;
    const theme = pageTheme();
    if (theme === this.theme) return;
    this.theme = theme;
    for (const host of allHosts()) setHintTheme(host, theme);
  }

  /**
   * Hand this frame's new verdicts to the service worker's per-creator ledger (one message per frame;
   * only the fields the ledger keeps: no caption text).
   * @param {import('../messages.js').Verdict[]} verdicts
   */
  recordVerdicts(verdicts) {
    if (verdicts.length === 0) return;
    const slim = verdicts.map((v) => ({
      id: v.id,
      creator: v.creator,
      verdict: v.verdict,
      self_promo: v.self_promo === true,
      evidence: Array.isArray(v.evidence) ? v.evidence.map((e) => ({ signal: e.signal })) : [],
    }));
    send({ type: MSG.RECORD_VERDICTS, load: PAGE_LOAD, verdicts: slim }).catch((error) => {
      if (!this.warnedLedger) console.warn('Deinfluencer: the ledger did not record verdicts:', error);
      this.warnedLedger = true;
    });
  }

  reportCount() {
    const count = this.undisclosed.size;
    if (count === this.reported) return;
    this.reported = count;
    send({ type: MSG.REPORT_COUNTS, undisclosed: count }).catch(() => {
      // the service worker is restarting: the next change reports again
    });
  }
}
