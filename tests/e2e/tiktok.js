// Helpers for driving the fake TikTok (site.js) with the extension loaded: open a route, wait for
// verdicts, read the hints (open shadow roots), collect console errors.
import assert from 'node:assert/strict';
import { serveTikTok, TIKTOK_CSP } from './helpers.js';
import { DOM_ONLY, EXPECTED, FEED_FIRST, NONCE, documentFor, makeItem, resourceFor } from './site.js';

export const ORIGIN = 'https://www.tiktok.com';

/** Serve the fake TikTok under `csp` in this context. */
export function serveSite(context, csp = TIKTOK_CSP) {
  return serveTikTok(context, { html: documentFor, resources: resourceFor, csp });
}

/**
 * Console errors and uncaught exceptions of a page, minus what the page itself causes on purpose
 * (the strict CSP refusing content-script wasm is the expected fallback, not an error of ours).
 */
export function watchConsole(page) {
  const errors = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (/WebAssembly|wasm-unsafe-eval|unsafe-eval/.test(text)) return;
    errors.push(`console: ${text}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

/**
 * Open `path` on the fake TikTok in a new tab and wait until its app rendered.
 * @returns {Promise<{page: import('playwright-core').Page, errors: string[]}>}
 */
export async function openTikTok(context, path) {
  const page = await context.newPage();
  const errors = watchConsole(page);
  await page.goto(ORIGIN + path);
  await waitLoaded(page);
  return { page, errors };
}

/** Wait until the fake app finished rendering its current route. */
export function waitLoaded(page, path) {
  return page.waitForFunction(
    (wanted) => document.body?.dataset.loaded && (!wanted || document.body.dataset.loaded === wanted),
    path ?? null,
    { timeout: 15_000 },
  );
}

/** In the page: every judged card as {id, verdict, selfPromo, hint: {kind, id, text} | null}. */
function readCardsInPage() {
  const idOf = (card) => {
    const link = card.querySelector('a[href*="/video/"], a[href*="/photo/"]');
    const fromLink = link && /\/(?:video|photo)\/(\d+)/.exec(link.getAttribute('href'))?.[1];
    const player = card.querySelector('div[id^="xgwrapper-"]');
    const fromPlayer = player && /-(\d+)$/.exec(player.id)?.[1];
    const fromPath = /\/video\/(\d+)/.exec(location.pathname)?.[1];
    return card.matches('[data-e2e="browse-video"]') ? fromPath : (fromLink ?? fromPlayer ?? null);
  };
  return [...document.querySelectorAll('[data-deinfluencer-verdict]')].map((card) => {
    const hosts = card.querySelectorAll('deinfluencer-hint, [data-deinfluencer-hint]');
    const host = hosts[0];
    return {
      id: idOf(card),
      verdict: card.getAttribute('data-deinfluencer-verdict'),
      selfPromo: card.getAttribute('data-deinfluencer-self-promo') === 'true',
      hosts: hosts.length,
      hint: host
        ? {
            kind: host.getAttribute('data-kind'),
            id: host.getAttribute('data-id'),
            theme: host.getAttribute('data-theme'),
            text: host.shadowRoot?.querySelector('.pill .text')?.textContent ?? null,
          }
        : null,
    };
  });
}

/** Put readCardsInPage into the page as window.__readCards (an expression: no eval under any CSP). */
async function installReader(page) {
  await page.evaluate(`window.__readCards = ${readCardsInPage.toString()}; true`);
}

/** Every judged card on the page. */
export function readCards(page) {
  return page.evaluate(readCardsInPage);
}

/**
 * Wait until every id in `expected` (id → verdict) has that verdict (and, for ids in `hints`, that
 * hint kind). Returns the cards.
 */
export async function waitForVerdicts(page, expected, timeout = 15_000) {
  try {
    await installReader(page);
    await page.waitForFunction(
      (want) => {
        const cards = window.__readCards();
        return Object.entries(want).every(([id, verdict]) => cards.some((c) => c.id === id && c.verdict === verdict));
      },
      expected,
      { timeout },
    );
  } catch (error) {
    const cards = await readCards(page).catch(() => []);
    throw new Error(`verdicts not reached: want ${JSON.stringify(expected)}, have ${JSON.stringify(cards.map((c) => [c.id, c.verdict]))}: ${error.message}`);
  }
  return readCards(page);
}

/** The number of hint hosts in the page. */
export function hintCount(page) {
  return page.evaluate(() => document.querySelectorAll('deinfluencer-hint, [data-deinfluencer-hint]').length);
}

// ---- the profile banner (shared by the Chromium and Firefox suites) ----

/** The 95 % Wilson score interval, computed here independently of the Rust core. */
export function wilson(successes, n) {
  const z = 1.959963984540054;
  const p = successes / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export const pct = (ratio) => `${Math.round(ratio * 100)}%`;

/** Per-verdict counts of the cards on the page (each id once). */
export function countVerdicts(cards) {
  const byId = new Map(cards.map((c) => [c.id, c.verdict]));
  const counts = { seen: byId.size, organic: 0, disclosed: 0, unclear: 0, undisclosed: 0 };
  for (const verdict of byId.values()) counts[verdict]++;
  return counts;
}

/** In the page: the open "Why?" panel of the hint host `element`, and what of `injected` it holds. */
export function readHintPanel(element, injected) {
  const shadow = element.shadowRoot;
  const visible = shadow.querySelector('.pill').getBoundingClientRect();
  return {
    open: !shadow.querySelector('.panel').hidden,
    text: shadow.querySelector('.panel').textContent,
    injected: shadow.querySelectorAll(injected).length,
    styles: shadow.querySelectorAll('style').length,
    pillShown: visible.width > 0 && visible.height > 0 && getComputedStyle(element).display !== 'none',
  };
}

/** Assert the hostile caption's open panel (`readHintPanel`): its quotes as text, nothing from the page. */
export function assertHostilePanel(panel) {
  assert.ok(panel.open, 'the Why panel opened');
  assert.match(panel.text, /Use code PWNED10/);
  assert.match(panel.text, /https:\/\/amzn\.to\/3pWn\?tag=x/);
  assert.equal(panel.injected, 0, 'no element came from page text');
  assert.ok(panel.styles <= 1, 'only our own stylesheet');
  assert.ok(panel.pillShown, "the caption's CSS did not hide the hint");
}

/** In the page: the banner's state and texts, or null when there is none. */
export function readBanner() {
  const hosts = document.querySelectorAll('deinfluencer-banner, [data-deinfluencer-banner]');
  const host = hosts[0];
  if (!host) return null;
  const root = host.shadowRoot;
  const region = root.querySelector('section');
  const grid = document.querySelector('[data-e2e="user-post-item-list"]');
  return {
    hosts: hosts.length,
    handle: host.getAttribute('data-handle'),
    state: host.getAttribute('data-state'),
    seen: Number(host.getAttribute('data-seen')),
    theme: host.getAttribute('data-theme'),
    beforeGrid: host.nextElementSibling === grid,
    role: region.getAttribute('role'),
    label: region.getAttribute('aria-label'),
    title: root.querySelector('h2')?.textContent,
    paragraphs: [...root.querySelectorAll('section > p')].map((p) => p.textContent),
    expanded: root.querySelector('button')?.getAttribute('aria-expanded') ?? null,
    whyHidden: root.querySelector('.why')?.hidden ?? null,
    counts: [...root.querySelectorAll('.counts li')].map((li) => li.textContent),
    signals: [...root.querySelectorAll('.signals li')].map((li) => [li.dataset.signal, li.textContent]),
  };
}

/**
 * Assert a banner for a creator with too few posts to judge: one host, right before the grid, a labelled
 * region, and the sample size in words.
 */
export function assertTooFewBanner(banner, handle, seen) {
  assert.equal(banner.hosts, 1);
  assert.ok(banner.beforeGrid, 'the banner sits right before the video grid');
  assert.equal(banner.role, 'region');
  assert.equal(banner.label, `Deinfluencer: posts you have seen from @${handle}`);
  assert.equal(banner.paragraphs[0], `${seen} posts seen: too few posts to judge`);
}

/**
 * Assert a banner's headline against the creator's counted cards (`countVerdicts`): the title and the
 * two ratio lines with their 95 % ranges, worded as the user reads them.
 */
export function assertBannerRatios(banner, handle, counts) {
  const commercial = counts.seen - counts.organic;
  const [shareLow, shareHigh] = wilson(commercial, counts.seen);
  const [rateLow, rateHigh] = wilson(counts.disclosed, commercial);
  assert.equal(banner.title, `Deinfluencer · @${handle}`);
  assert.equal(
    banner.paragraphs[0],
    `${pct(commercial / counts.seen)} of ${counts.seen} posts seen looked sponsored (95% range ${pct(shareLow)}–${pct(shareHigh)})`,
  );
  assert.equal(
    banner.paragraphs[1],
    `${pct(counts.disclosed / commercial)} of those ${commercial} were clearly disclosed (95% range ${pct(rateLow)}–${pct(rateHigh)})`,
  );
}

/** The banner's "Why?" lines per verdict for counted cards (no self-promotion, no corrections). */
export function bannerCountLines(counts) {
  return [
    `Sponsored, no disclosure: ${counts.undisclosed}`,
    `Sponsored, disclosure unclear: ${counts.unclear}`,
    `Disclosed ads: ${counts.disclosed}`,
    `Nothing detected: ${counts.organic}`,
    'Shop selling its own products: 0',
    'Corrected by you: 0',
  ];
}

/** Assert the banner's signal kinds against the ledger's `top_signals` for that creator. */
export function assertBannerSignals(banner, topSignals) {
  assert.ok(topSignals.length > 0, 'the sponsored posts had signals');
  assert.deepEqual(
    banner.signals.map(([signal]) => signal),
    topSignals.map((s) => s.signal),
    'the most frequent signal kinds, in the ledger’s order',
  );
  const discount = topSignals.find((s) => s.signal === 'discount_code');
  assert.ok(discount, 'discount codes are among the most frequent signs');
  assert.equal(banner.signals.find(([s]) => s === 'discount_code')?.[1], `discount code: ${discount.posts}`);
}

// ---- hostile pages (shared by the Chromium and Firefox suites) ----

/**
 * The stand-in TikTok as a hostile site: `firstScript` (source text) as the first <script> of every
 * document and the For You feed's first response (and later pages) replaced by `feed(cursor, count)`
 * when given. Returns the `{html, resources}` answers of serveTikTok() (Chromium) and newTikTokTab()
 * (Firefox).
 */
export function hostileSite({ firstScript = '', feed } = {}) {
  return {
    html: (url) => documentFor(url).replace('<head>', `<head>\n    <script nonce="${NONCE}">${firstScript}</script>`),
    resources: (url) => {
      if (feed && url.pathname === '/api/recommend/item_list/') {
        const itemList = feed(Number(url.searchParams.get('cursor') ?? 0), Number(url.searchParams.get('count') ?? 6));
        if (itemList) return { contentType: 'application/json; charset=utf-8', body: JSON.stringify({ itemList, hasMore: true, statusCode: 0 }) };
      }
      return resourceFor(url);
    },
  };
}

/**
 * Page CSS aimed at the hints, !important throughout: hide, move, shrink, blur, recolour and disable the
 * host (by its name, its fallback attribute, and as the player wrapper's last child, where it sits).
 * The hint's own `:host` declarations are !important too, and in the shadow cascade those win.
 */
export const HOSTILE_HINT_CSS = `
deinfluencer-hint, [data-deinfluencer-hint], [class*="DivBasicPlayerWrapper"] > :last-child {
  display: none !important; visibility: hidden !important; opacity: 0 !important;
  position: static !important; inset: 300px 0 0 300px !important; margin: 40px !important; float: right !important;
  width: 0 !important; height: 0 !important; max-width: 0 !important; overflow: hidden !important;
  transform: scale(0) !important; filter: blur(8px) !important; clip-path: inset(50%) !important;
  font-size: 0 !important; color: transparent !important; letter-spacing: 30px !important; direction: rtl !important;
  pointer-events: none !important; z-index: -1 !important;
}`;

/** A page's first script that adds {@link HOSTILE_HINT_CSS} as a style sheet (source text, for hostileSite). */
export const HOSTILE_HINT_CSS_SCRIPT = `{
  const style = document.createElement('style');
  style.textContent = ${JSON.stringify(HOSTILE_HINT_CSS)};
  document.head.append(style);
}`;

/**
 * In the page: each hint's box, as the user would see it: the host's computed pin, its offset from its
 * anchor's corner, the pill's size, font and colour, and whether the pill's centre hits the hint.
 */
export function readHintBoxes() {
  return [...document.querySelectorAll('deinfluencer-hint, [data-deinfluencer-hint]')].map((host) => {
    const style = getComputedStyle(host);
    const pill = host.shadowRoot?.querySelector('.pill');
    const hostRect = host.getBoundingClientRect();
    const anchorRect = host.parentElement.getBoundingClientRect();
    const pillRect = pill?.getBoundingClientRect();
    const pillStyle = pill ? getComputedStyle(pill) : null;
    host.scrollIntoView({ block: 'center' });
    const centre = pill?.getBoundingClientRect();
    const hit = centre ? document.elementFromPoint(centre.left + centre.width / 2, centre.top + centre.height / 2) : null;
    return {
      id: host.getAttribute('data-id'),
      display: style.display,
      position: style.position,
      visibility: style.visibility,
      opacity: style.opacity,
      transform: style.transform,
      filter: style.filter,
      pointerEvents: style.pointerEvents,
      offset: [Math.round(hostRect.left - anchorRect.left), Math.round(hostRect.top - anchorRect.top)],
      pill: pillRect ? [Math.round(pillRect.width), Math.round(pillRect.height)] : null,
      font: pillStyle ? [pillStyle.fontSize, pillStyle.letterSpacing, pillStyle.direction] : null,
      colour: pillStyle?.color,
      hit: hit === host,
    };
  });
}

/** Every hint in `boxes` (readHintBoxes) is where and as the extension drew it, whatever the page's CSS says. */
export function assertHintsUntouched(boxes, expectedIds) {
  assert.deepEqual(boxes.map((b) => b.id).sort(), [...expectedIds].sort(), 'a hint on every card that gets one');
  for (const box of boxes) {
    const what = `hint ${box.id}`;
    assert.deepEqual(
      [box.display, box.position, box.visibility, box.opacity, box.transform, box.filter, box.pointerEvents],
      ['block', 'absolute', 'visible', '1', 'none', 'none', 'auto'],
      `${what}: the page's CSS does not hide, move, transform or disable it`,
    );
    assert.deepEqual(box.offset, [8, 8], `${what}: pinned 8 px into its anchor's top-left corner`);
    assert.ok(box.pill && box.pill[0] >= 60 && box.pill[1] >= 28, `${what}: the pill keeps its size (${box.pill})`);
    assert.deepEqual(box.font, ['13px', 'normal', 'ltr'], `${what}: the pill's text is not shrunk, spaced or flipped`);
    assert.notEqual(box.colour, 'rgba(0, 0, 0, 0)', `${what}: the text is not transparent`);
    assert.ok(box.hit, `${what}: a click on the pill reaches the hint`);
  }
}

/**
 * The page's own life, installed before anything else runs: a trap every injected payload would set,
 * a like counter (delegated clicks) and a scroll counter, so a test can see the page still works.
 */
export function pageLife() {
  window.__likes = 0;
  window.__scrolls = 0;
  document.addEventListener('click', (event) => {
    if (event.target instanceof Element && event.target.closest('[data-e2e="like-icon"]')) window.__likes++;
  });
  addEventListener('scroll', () => window.__scrolls++, { passive: true });
  // The main thread's long tasks (> 50 ms), whoever ran them.
  window.__longTasks = [];
  new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => [e.startTime, e.duration]))).observe({ type: 'longtask' });
}

/** Every payload sets window.__pwned if it ever runs. */
export const HOSTILE_HANDLE = `x"><img src=x onerror=window.__pwned=1>`;
export const HOSTILE_NICKNAME = `<script>window.__pwned=2</script></style><b>`;
export const HOSTILE_CAPTION =
  `Use code PWNED10 <img src=x onerror="window.__pwned=3"> </style><style>*{display:none!important}</style> ` +
  `"'><svg onload=window.__pwned=4> shop https://amzn.to/3pWn?tag=x"><img/src=x/onerror=window.__pwned=5> ` +
  `<a href="javascript:window.__pwned=6">here</a> javascript:window.__pwned=7 link in bio`;
export const HOSTILE_ITEM = makeItem({ id: '7350000000000000777', handle: HOSTILE_HANDLE, nickname: HOSTILE_NICKNAME, desc: HOSTILE_CAPTION });
export const HOSTILE_CSS = makeItem({
  id: '7350000000000000778',
  handle: `'};--x:url(javascript:window.__pwned=8)`,
  desc: `#ad </style></head><body onload=window.__pwned=9> <iframe srcdoc="<script>parent.__pwned=10</script>"> code STYLE5`,
});

/** In an extension page or shadow root: elements that must never come from page text. */
export const INJECTED = 'img, script, svg:not(.icon), iframe, a[href^="javascript:"], [onerror], [onload], b';

/** Page scripts that wrap fetch (as TikTok's own interceptors do), count JSON.parse, break shadow roots and custom elements. */
export function hostileGlobals() {
  if (window.__hostile) return; // installed once: by the init script, else by the document's first script
  window.__hostile = true;
  const fetch = window.fetch;
  window.fetch = async function pageFetch(input, init) {
    const response = await fetch.call(this, input, init);
    return new Response(await response.text(), { status: response.status, headers: response.headers });
  };
  const parse = JSON.parse;
  window.__parses = 0;
  JSON.parse = function pageParse(text, reviver) {
    window.__parses++;
    return parse.call(JSON, text, reviver);
  };
  // The page takes the extension's element name first, with its own (closed) shadow root.
  const attach = HTMLElement.prototype.attachShadow;
  customElements.define(
    'deinfluencer-hint',
    class extends HTMLElement {
      constructor() {
        super();
        attach.call(this, { mode: 'closed' });
        window.__hijacked = (window.__hijacked ?? 0) + 1;
      }
    },
  );
  Element.prototype.attachShadow = function attachShadow() {
    throw new DOMException('this page allows no shadow roots', 'NotSupportedError');
  };
  customElements.define = () => {
    throw new Error('this page allows no custom elements');
  };
  customElements.get = () => class Fake extends HTMLElement {};
}

/** Like hostileGlobals, but out of the extension's reach: fetch from another realm behind a frozen property. */
export function frozenFetch() {
  if (window !== window.top) return; // not in the helper frame it creates
  let native = null;
  // A fresh realm's fetch, taken at the first call (the document has no elements yet at this point).
  const otherRealmFetch = () => {
    if (!native) {
      const frame = document.createElement('iframe');
      frame.hidden = true;
      document.body.append(frame);
      native = frame.contentWindow.fetch;
    }
    return native;
  };
  Object.defineProperty(window, 'fetch', {
    value: (input, init) => otherRealmFetch()(new URL(String(input), location.href).href, init),
    writable: false,
    configurable: false,
  });
  JSON.parse = () => {
    throw new SyntaxError('this page parses no JSON');
  };
}

/** The hint kind each first-page feed card must show (null: no hint by default). */
export const FEED_HINTS = {
  ...Object.fromEntries(FEED_FIRST.map((c) => [c.item.id, c.hint])),
  [DOM_ONLY.id]: 'undisclosed',
};

/** Assert the verdicts, hints and attributes of the For You page's first cards (Chromium and Firefox). */
export function assertFeedCards(cards) {
  for (const [id, verdict] of Object.entries(EXPECTED.feed)) {
    const card = cards.find((c) => c.id === id);
    assert.ok(card, `card ${id} was judged`);
    assert.equal(card.verdict, verdict, `verdict of ${id}`);
    const kind = FEED_HINTS[id];
    if (kind) {
      assert.equal(card.hosts, 1, `one hint in card ${id}`);
      assert.equal(card.hint.kind, kind, `hint kind of ${id}`);
      assert.equal(card.hint.id, id, `the hint remembers the id of ${id}`);
      assert.ok(card.hint.text && card.hint.text.length > 3, `hint text of ${id}`);
    } else {
      assert.equal(card.hosts, 0, `no hint on ${id} (${verdict})`);
    }
  }
  const shop = cards.find((c) => c.id === FEED_FIRST.find((f) => f.selfPromo).item.id);
  assert.equal(shop.selfPromo, true, 'the shop post carries data-deinfluencer-self-promo');
  assert.equal(cards.filter((c) => c.selfPromo).length, 1, 'only the shop post is self-promotion');
}
