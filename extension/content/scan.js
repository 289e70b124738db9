/**
 * The incremental scanner: finds TikTok's post cards as they enter the page, joins each to the item
 * from TikTok's JSON by video id, asks the engine for a verdict and draws the hint.
 *
 * - TikTok's JSON (captured API responses, the page blob) goes to the engine as text, once: it keeps
 *   the items and judges each right away, usually before the page renders their cards. A card that
 *   adds nothing to its item (no pill, none of the few fields the item lacks) then costs a lookup
 *   and the drawing; only the others go back to the engine, which joins them to the item it kept.
 *
 * - One MutationObserver (childList + subtree, plus `href`/`id` attributes so a recycled card whose
 *   link or player id changed is seen) collects added nodes. Added elements are processed in a
 *   microtask right after the page's mutation (one engine call per batch), so the hint is in the DOM
 *   before the frame that first shows the card is styled and painted; other changes (attributes, theme)
 *   wait for the next animation frame. No work per scroll event.
 * - Reads before writes: every card of a batch is read (ids, text, anchors, computed position) before
 *   anything is written, so a batch costs one style pass. Only the fields the item lacks are read from
 *   the DOM (TikTok's JSON item usually has them all).
 * - Messages to the service worker that nothing waits for (the ledger's record-verdicts, the badge
 *   count) are coalesced and sent when the page is idle (at most ~1 s later, and at once on pagehide).
 * - Everything is keyed by video id. A card remembers the id (and inputs) it was judged for; when
 *   TikTok recycles it for another video, the id differs and it is judged again.
 * - Items from TikTok's JSON (SSR blob, captured API responses) stay in the engine (the last 500
 *   added; `items` here mirrors them with their verdicts); a card judged from the DOM alone is judged
 *   again when its item arrives.
 * - SPA navigation: `location.href` is checked on every flush (and on popstate / Navigation API
 *   events); a new route picks its page type's selectors and rescans the whole document.
 * - stop() disconnects the observer and removes every hint and attribute synchronously.
 */
import { MSG, MAX_BATCH, MAX_JSON_CHARS, send } from '../messages.js';
import { ITEM_LIMIT } from './boot.js';
import { NEEDS, addsNothing, cardId, hintAnchor, labelTexts, pageTypeFor, readCard } from './page.js';
import {
  POSITIONED_ATTRIBUTE,
  allHosts,
  forgetPositions,
  hintKind,
  isOurs,
  needsPositioning,
  pageTheme,
  renderHint,
  setHintActions,
  setHintTheme,
  showCorrectionOf,
} from './overlay.js';

/** This document's id for the ledger's per-tab list (a reload or new page starts a new list). */
const PAGE_LOAD = Math.random().toString(36).slice(2) + Date.now().toString(36);
const VERDICT_CACHE_SIZE = 1000;
/** Cards per engine call. */
const BATCH = 200;
/** How many cards showing one video id the scanner keeps track of. */
const MAX_CARDS_PER_ID = 4;
/** The longest a ledger record or badge count waits for an idle moment. */
const IDLE_TIMEOUT_MS = 1000;
/** Chrome and Firefox have requestIdleCallback; a timer stands in where it is missing. */
const whenIdle = (fn) =>
  typeof requestIdleCallback === 'function' ? requestIdleCallback(fn, { timeout: IDLE_TIMEOUT_MS }) : setTimeout(fn, 50);
const cancelIdle = (handle) => (typeof cancelIdleCallback === 'function' ? cancelIdleCallback(handle) : clearTimeout(handle));
/** The page-state blobs that hold items (tiktok-page.md §5). The For You page's has none. */
const BLOB_IDS = ['__UNIVERSAL_DATA_FOR_REHYDRATION__', 'SIGI_STATE', '__NEXT_DATA__'];

/** A Map that forgets its least recently used entries beyond `limit`. */
class Lru {
  constructor(limit) {
    this.limit = limit;
    /** @type {Map<string, any>} */
    this.map = new Map();
  }
  /** The value, without counting this as a use. */
  peek(key) {
    return this.map.get(key);
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
    /** What the engine said of each item of TikTok's JSON, by video id: the same items, in the same
     * order, as the engine keeps (only {@link addJson} adds; lookups do not count as uses).
     * @type {Lru} of {@link import('./boot.js').ItemInfo} */
    this.items = new Lru(ITEM_LIMIT);
    this.verdicts = new Lru(VERDICT_CACHE_SIZE);
    /** The user's corrections made or seen on this page, by post id (the hint shows them). */
    this.corrections = new Lru(VERDICT_CACHE_SIZE);
    /** @type {WeakMap<Element, {id: string, key: string, wantHost: boolean}>} */
    this.cardState = new WeakMap();
    /** @type {WeakMap<Element, Element>} card → its hint host */
    this.hostOf = new WeakMap();
    /** Video id → the cards last judged for it (weakly held: TikTok drops cards), so an item that
     * arrives later finds its cards without querying the whole document. */
    this.cardsOf = new Lru(VERDICT_CACHE_SIZE);
    /** @type {Map<string, Element>} new cards waiting a moment for their item (see scan()), by id */
    this.waiting = new Map();
    /** The item of a waiting card arrived: the next flush is a microtask, not a frame away. */
    this.itemsArrived = false;
    /** @type {Set<Node>} */
    this.added = new Set();
    /** @type {Set<Node>} */
    this.touched = new Set();
    this.full = false;
    /** @type {Set<Promise<void>>} */
    this.pendingJson = new Set();
    this.frame = 0;
    /** A microtask flush is queued. */
    this.soon = false;
    this.busy = false;
    /** @type {import('../messages.js').Verdict[]} judged, not yet sent to the ledger */
    this.unrecorded = [];
    this.idle = 0;
    /** The ledger sends in flight (a correction waits for them: the ledger must know the post first). */
    this.recording = Promise.resolve();
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
      this.schedule(true);
    };
    this.onPageHide = () => void this.sendIdleWork();
  }

  // ---- on / off ----

  start() {
    if (this.running) return;
    this.running = true;
    setHintActions({
      correctionOf: (id) => this.corrections.get(id) ?? null,
      correct: (verdict, correction) => this.correct(verdict, correction),
      ledgerInfo: (verdict) => this.ledgerInfo(verdict),
    });
    this.observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['href', 'id'] });
    this.observeTheme();
    addEventListener('popstate', this.onNavigate);
    globalThis.navigation?.addEventListener?.('navigatesuccess', this.onNavigate);
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', this.onThemeQuery);
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', this.onReady, { once: true });
    addEventListener('pagehide', this.onPageHide);
    this.href = '';
    this.full = true;
    this.themeDirty = true;
    this.schedule(true);
  }

  /** Synchronous: every hint and attribute is gone when this returns. */
  stop() {
    if (!this.running) return;
    this.running = false;
    setHintActions(null);
    this.observer.disconnect();
    this.themeObserver.disconnect();
    removeEventListener('popstate', this.onNavigate);
    globalThis.navigation?.removeEventListener?.('navigatesuccess', this.onNavigate);
    matchMedia('(prefers-color-scheme: dark)').removeEventListener('change', this.onThemeQuery);
    document.removeEventListener('DOMContentLoaded', this.onReady);
    removeEventListener('pagehide', this.onPageHide);
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.sendIdleWork(false); // what was judged while on is still recorded (the badge says "off")
    this.added.clear();
    this.touched.clear();
    this.waiting.clear();
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
    forgetPositions();
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

  /**
   * Hand a JSON text (captured API response or page blob) to the engine, which keeps its items and
   * judges each (usually before the page has rendered their cards). Untrusted input.
   */
  addJson(text) {
    if (!this.running || typeof text !== 'string' || text.length === 0 || text.length > MAX_JSON_CHARS) return;
    const job = this.engine
      .addJson(text, this.lang)
      .then((infos) => {
        if (!Array.isArray(infos)) return;
        const ids = new Set();
        for (const info of infos) {
          if (!info || typeof info.id !== 'string' || info.id === '') continue;
          this.items.set(info.id, info);
          ids.add(info.id);
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
    let any = false;
    let waited = false;
    for (const id of ids) {
      const card = this.waiting.get(id);
      if (card) {
        this.touched.add(card);
        this.itemsArrived = waited = true;
      }
      for (const ref of this.cardsOf.get(id) ?? []) {
        const card = ref.deref();
        if (card?.isConnected && this.cardState.get(card)?.id === id) {
          this.touched.add(card);
          any = true;
        }
      }
    }
    if (waited) this.schedule(true);
    else if (any) this.schedule();
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
    let added = false;
    for (const record of records) {
      if (onlyOurs(record)) continue;
      if (record.type === 'childList') {
        for (const node of record.addedNodes) {
          if (node.nodeType === Node.ELEMENT_NODE && !isOurs(node)) {
            this.added.add(node);
            added = true;
          }
        }
      }
      this.touched.add(record.target);
      any = true;
    }
    if (any) this.schedule(added);
  }

  /**
   * Flush in a microtask (`soon`: elements were added, their hints should be drawn before the next
   * frame is styled and painted) or at the next animation frame.
   */
  schedule(soon = false) {
    if (!this.running) return;
    if (soon) {
      if (this.soon) return;
      this.soon = true;
      queueMicrotask(() => {
        this.soon = false;
        this.flush(true);
      });
    } else if (!this.frame && !this.soon) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.flush();
      });
    }
  }

  /** @param {boolean} [soon]  called right after a mutation, not at an animation frame */
  async flush(soon = false) {
    // While the document is still parsing, DOMContentLoaded schedules the first full scan.
    if (!this.running || this.busy || document.readyState === 'loading') return;
    this.busy = true;
    try {
      await this.scan(soon);
    } catch (error) {
      if (!this.warned) console.warn('Deinfluencer: scanning failed:', error);
      this.warned = true;
    } finally {
      this.busy = false;
      if (this.running && (this.full || this.added.size > 0 || this.touched.size > 0)) {
        this.schedule(this.full || this.added.size > 0 || this.itemsArrived);
      }
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
    forgetPositions();
    this.type = pageTypeFor(this.rules, location.pathname);
    this.full = true;
    this.undisclosed.clear();
    this.reportCount();
  }

  /** @param {boolean} soon  see {@link flush} */
  async scan(soon) {
    this.itemsArrived = false;
    // At a frame every waiting card is among the touched ones: judged now, from the DOM if need be.
    if (!soon) this.waiting.clear();
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
      const item = this.items.peek(id);
      // A new card without its item: the page usually renders from a response whose copy reaches us a
      // moment later. Judge it at the next frame (from the DOM if the item has not come), not twice.
      if (soon && !item && !state) {
        this.touched.add(card);
        this.waiting.set(id, card);
        continue;
      }
      this.waiting.delete(id);
      const labels = labelTexts(card, type);
      const key = `${id}\u241f${item ? 'json' : 'dom'}\u241f${labels.join('\u241e')}`;
      const host = this.hostOf.get(card);
      if (state && state.key === key && (!state.wantHost || (host && host.isConnected))) continue;
      jobs.push({ card, id, key, labels, item, verdict: this.verdicts.get(key) });
    }
    if (jobs.length === 0) return;

    /** @type {import('../messages.js').Verdict[]} newly judged this frame, for the ledger */
    const judged = [];
    /** Cards the engine must judge: their DOM adds something to their item, or they have none. */
    const toJudge = [];
    for (const job of jobs) {
      if (job.verdict) continue;
      const reading = readCard(job.card, job.id, type, job.labels, job.item ? job.item.needs : NEEDS.ALL);
      // Usually the card adds nothing to its item: the item's own verdict, judged when its JSON came.
      if (job.item?.verdict && addsNothing(reading)) this.gotVerdict(job, job.item.verdict, judged);
      else toJudge.push({ job, reading });
    }
    // Cards can change while the engine works (below): only then are they read again.
    const waited = toJudge.length > 0;
    for (let start = 0; start < toJudge.length; start += BATCH) {
      const batch = toJudge.slice(start, start + BATCH);
      const verdicts = await this.engine.judgeCards(batch.map((entry) => entry.reading), this.lang);
      batch.forEach(({ job }, index) => this.gotVerdict(job, verdicts?.[index], judged));
    }
    this.recordVerdicts(judged);
    if (!this.running || this.type !== type) return;
    // Reads first (ids, anchors, computed positions: one style pass), then every write.
    const ready = [];
    for (const job of jobs) {
      // The item arrived while the engine worked on the DOM-only card: judge it again next frame.
      if (!job.item && waited && this.items.peek(job.id)) this.touched.add(job.card);
      if (!job.verdict) continue;
      // Removed or recycled while the engine worked: the mutation that changed it brings it back.
      if (waited && (!job.card.isConnected || cardId(job.card, this.rules, type) !== job.id)) continue;
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

  /** `job` got `verdict` from the engine (if it is one): cached, and queued for the ledger. */
  gotVerdict(job, verdict, judged) {
    if (!verdict || typeof verdict.verdict !== 'string') return;
    job.verdict = verdict;
    this.verdicts.set(job.key, verdict);
    judged.push(verdict);
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
    this.rememberCard(id, card);
    if (kind === 'undisclosed') this.undisclosed.add(id);
  }

  /** Note that `card` shows `id` (a few cards per id at most: the feed and a video modal, say). */
  rememberCard(id, card) {
    const refs = this.cardsOf.get(id) ?? [];
    if (refs.some((ref) => ref.deref() === card)) return;
    const live = refs.filter((ref) => ref.deref()?.isConnected);
    live.push(new WeakRef(card));
    this.cardsOf.set(id, live.slice(-MAX_CARDS_PER_ID));
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
   * Queue newly judged verdicts for the service worker's per-creator ledger; they are sent together when
   * the page is idle (only the fields the ledger keeps: no caption text).
   * @param {import('../messages.js').Verdict[]} verdicts
   */
  recordVerdicts(verdicts) {
    if (verdicts.length === 0) return;
    this.unrecorded.push(...verdicts);
    this.whenIdle();
  }

  whenIdle() {
    if (!this.idle) this.idle = whenIdle(() => this.sendIdleWork());
  }

  /**
   * Send the queued ledger records and (unless `count` is false) the badge count now.
   * @returns {Promise<void>} when the ledger has every record sent so far
   */
  sendIdleWork(count = true) {
    if (this.idle) cancelIdle(this.idle);
    this.idle = 0;
    if (count) this.sendCount();
    if (this.unrecorded.length === 0) return this.recording;
    const slim = this.unrecorded.splice(0).map((v) => ({
      id: v.id,
      creator: v.creator,
      verdict: v.verdict,
      self_promo: v.self_promo === true,
      evidence: Array.isArray(v.evidence) ? v.evidence.map((e) => ({ signal: e.signal })) : [],
    }));
    const sends = [];
    for (let start = 0; start < slim.length; start += MAX_BATCH) {
      const message = { type: MSG.RECORD_VERDICTS, load: PAGE_LOAD, verdicts: slim.slice(start, start + MAX_BATCH) };
      // A worker stopped before it logged the batch never replies: send once more (recording is idempotent).
      sends.push(
        send(message)
          .catch(() => send(message))
          .catch((error) => {
            if (!this.warnedLedger) console.warn('Deinfluencer: the ledger did not record verdicts:', error);
            this.warnedLedger = true;
          }),
      );
    }
    this.recording = Promise.all([this.recording, ...sends]).then(() => {});
    return this.recording;
  }

  /**
   * The user corrected post `verdict.id` from its hint (null: undo). Its verdict reaches the ledger
   * first (the ledger only corrects posts it holds). Rejects with the service worker's error.
   * @param {import('../messages.js').Verdict} verdict
   * @param {string|null} correction
   */
  async correct(verdict, correction) {
    await this.sendIdleWork();
    await send({ type: MSG.LEDGER_CORRECT, postId: verdict.id, correction });
    this.corrections.set(verdict.id, correction);
    showCorrectionOf(verdict.id, correction);
  }

  /**
   * The post's ledger record and its creator's numbers, for the hint's "Why?" panel.
   * @param {import('../messages.js').Verdict} verdict
   */
  async ledgerInfo(verdict) {
    await this.sendIdleWork();
    const info = await send({ type: MSG.LEDGER_POST, postId: verdict.id, creator: verdict.creator });
    if (info?.post) this.corrections.set(verdict.id, info.post.correction ?? null);
    return info;
  }

  /** The toolbar badge's count may have changed: it goes with the next idle work. */
  reportCount() {
    if (this.undisclosed.size !== this.reported) this.whenIdle();
  }

  sendCount() {
    const count = this.undisclosed.size;
    if (count === this.reported) return;
    this.reported = count;
    send({ type: MSG.REPORT_COUNTS, undisclosed: count }).catch(() => {
      // the service worker is restarting: the next change reports again
    });
  }
}
