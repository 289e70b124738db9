// Hostile pages, end to end in Firefox ESR (tests/e2e/hostile.test.js's first three scenarios): creator
// names and captions carrying markup, scripts, `javascript:` URLs, CSS and attribute-breaking quotes
// stay text in the hint, the Why panel, the popup and the options page, and nothing runs; page CSS aimed
// at the hints cannot hide, move or restyle them; a page that
// replaces fetch, JSON.parse, attachShadow and customElements (from its first script, or before any
// script) still gets every verdict and keeps working; one that hides fetch from the hook falls back to
// the DOM. The hostile site, its payloads and page scripts are shared with Chromium (tests/e2e/tiktok.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DOM_ONLY, EXPECTED, FEED_FIRST } from '../e2e/site.js';
import {
  HOSTILE_CSS,
  HOSTILE_HINT_CSS_SCRIPT,
  HOSTILE_HANDLE,
  HOSTILE_ITEM,
  INJECTED,
  assertHintsUntouched,
  assertHostilePanel,
  frozenFetch,
  hostileGlobals,
  hostileSite,
  pageLife,
  readCards,
  readHintBoxes,
  readHintPanel,
  watchConsole,
} from '../e2e/tiktok.js';
import { pollUntil, sendFrom, waitForVerdicts, withFirefox } from './firefox.js';

const LIMIT = { timeout: 90_000 };

/** Scroll and click like a user; the page's own handlers (pageLife) must still run. */
async function assertPageWorks(page) {
  const before = await page.evaluate(() => {
    document.body.style.minHeight = '300vh'; // room to scroll, however few cards the page has
    return { likes: window.__likes, scrolls: window.__scrolls };
  });
  await page.click('[data-e2e="like-icon"]');
  await page.evaluate(() => window.scrollTo(0, 600));
  await pollUntil(() => page.evaluate(() => window.__scrolls), (n) => n > before.scrolls, { timeout: 5_000, what: "the page's scroll handler ran" });
  assert.equal(await page.evaluate(() => window.__likes), before.likes + 1, "the page's click handler ran");
}

test('Firefox: markup in creator names and captions stays text: hint, Why panel, popup and options; nothing runs', LIMIT, async (t) => {
  await withFirefox(t, async (firefox) => {
    const site = hostileSite({ feed: (cursor) => (cursor === 0 ? [HOSTILE_ITEM, HOSTILE_CSS, ...FEED_FIRST.map((c) => c.item)] : null) });
    const { page, errors } = await firefox.openTikTok('/foryou', { site, initScripts: [pageLife] });
    await waitForVerdicts(page, { ...EXPECTED.feed, [HOSTILE_ITEM.id]: 'undisclosed', [HOSTILE_CSS.id]: 'disclosed' });

    // The hint and its Why panel: our own elements only, the quotes as text.
    await page.click(`deinfluencer-hint[data-id="${HOSTILE_ITEM.id}"] >>> button.pill`);
    const host = await page.$(`deinfluencer-hint[data-id="${HOSTILE_ITEM.id}"]`);
    assertHostilePanel(await host.evaluate(readHintPanel, INJECTED));

    // The ledger keeps the hostile handles as they are; the popup and options show them as text.
    const cards = await readCards(page);
    const posts = new Set(cards.map((c) => c.id)).size;
    const start = await firefox.openExtensionPage('popup.html');
    const creators = await pollUntil(
      () => sendFrom(start, { type: 'ledger-creators', limit: 100 }),
      (list) => list.reduce((n, c) => n + c.seen, 0) === posts,
      { what: `${posts} posts in the ledger` },
    );
    assert.ok(creators.some((c) => c.creator === HOSTILE_HANDLE), 'the ledger keeps the hostile handle as it is');
    const tabIds = await start.evaluate(() => globalThis.browser.tabs.query({ url: 'https://www.tiktok.com/*' }).then((tabs) => tabs.map((tab) => tab.id)));
    assert.equal(tabIds.length, 1);
    const popup = await firefox.openExtensionPage(`popup.html?tab=${tabIds[0]}`);
    const popupErrors = watchConsole(popup);
    await popup.waitForSelector('#ledger[data-state="ready"]');
    const listed = await popup.$$eval('#tab-creators li', (items) => items.map((li) => [li.dataset.creator, li.textContent]));
    for (const handle of [HOSTILE_HANDLE, HOSTILE_CSS.author.uniqueId]) {
      const matches = listed.filter(([, text]) => text.includes(handle));
      assert.equal(matches.length, 1, `the popup lists ${handle} as text`);
      assert.equal(matches[0][0], handle);
    }
    assert.equal(await popup.$eval('#tab-creators', (list, injected) => list.querySelectorAll(injected).length, INJECTED), 0);
    await popup.type('#creator-search', 'img src');
    await popup.waitForSelector('#search-results li');
    assert.equal(await popup.$eval('#search-results li', (li) => li.dataset.creator), HOSTILE_HANDLE);

    const options = await firefox.openExtensionPage('options.html');
    const optionsErrors = watchConsole(options);
    await options.waitForSelector('#ledger[data-state="ready"]');
    const rows = await options.$$eval('#creators-table tbody tr', (trs, handle) => trs.filter((tr) => tr.textContent.includes(handle)).length, HOSTILE_HANDLE);
    assert.equal(rows, 1, 'the options table lists the hostile handle');
    assert.equal(await options.$eval('#creators-table', (table, injected) => table.querySelectorAll(injected).length, INJECTED), 0);

    for (const view of [page, popup, options]) assert.equal(await view.evaluate(() => window.__pwned ?? null), null, `nothing ran in ${view.url()}`);
    assert.equal(await page.evaluate(() => document.querySelectorAll('img, svg[onload], iframe').length), 0, 'no element from page text in the page');
    await page.bringToFront();
    await assertPageWorks(page);
    assert.deepEqual([...errors, ...popupErrors, ...optionsErrors], [], 'no console errors');
    assert.deepEqual(firefox.leakedRequests(), [], 'no request left the browser');
  });
});

test("Firefox: page CSS aimed at the hints (!important: hide, move, shrink, recolour, disable) leaves them as drawn", LIMIT, async (t) => {
  await withFirefox(t, async (firefox) => {
    const site = hostileSite({ firstScript: HOSTILE_HINT_CSS_SCRIPT });
    const { page, errors } = await firefox.openTikTok('/foryou', { site, initScripts: [pageLife] });
    await waitForVerdicts(page, EXPECTED.feed);
    const hinted = [...FEED_FIRST.filter((c) => c.hint).map((c) => c.item.id), DOM_ONLY.id];
    assertHintsUntouched(await page.evaluate(readHintBoxes), hinted);
    await assertPageWorks(page);
    assert.deepEqual(errors, [], 'no console errors');
  });
});

test('Firefox: a page replacing fetch, JSON.parse, attachShadow and customElements: cards still judged, the page keeps working', LIMIT, async (t) => {
  await withFirefox(t, async (firefox) => {
    // Before the page's own scripts (its first <script>, after the extension's document_start hook) ...
    const inPage = await firefox.openTikTok('/foryou', { site: hostileSite({ firstScript: `(${hostileGlobals.toString()})();` }), initScripts: [pageLife] });
    // ... and before everything (a preload script, at document creation).
    const early = await firefox.openTikTok('/foryou', { initScripts: [pageLife, hostileGlobals] });
    for (const { page, errors } of [inPage, early]) {
      await page.bringToFront();
      // The hook still copies the feed's JSON: the verdicts that need the JSON (a shop's disclosure) are there.
      const cards = await waitForVerdicts(page, EXPECTED.feed);
      const hosts = await page.evaluate(() => {
        const all = [...document.querySelectorAll('deinfluencer-hint, [data-deinfluencer-hint]')];
        return {
          hostile: window.__hostile === true,
          parses: window.__parses,
          tags: [...new Set(all.map((h) => h.localName))],
          drawn: all.filter((h) => h.shadowRoot?.querySelector('.pill .text')?.textContent).length,
          hijacked: window.__hijacked ?? 0,
        };
      });
      assert.equal(hosts.hostile, true, "the page's replacements are installed");
      assert.ok(hosts.parses > 0, "the page's own JSON.parse ran");
      assert.ok(hosts.drawn > 0, 'hints drawn');
      assert.equal(hosts.drawn, cards.filter((c) => c.hint).length, 'every hint drawn in its own open shadow root');
      t.diagnostic(`hosts: ${hosts.tags.join(', ')}; page constructor ran ${hosts.hijacked} times`);
      await assertPageWorks(page);
      assert.deepEqual(errors, [], 'no exception escaped into the page');
    }

    // A page that hides fetch from the hook (another realm's fetch, frozen) and throws from JSON.parse:
    // its own app fails to read its feed, the extension falls back to the DOM and still judges every card.
    const frozen = await firefox.newTikTokTab(undefined, { initScripts: [pageLife, frozenFetch] });
    await frozen.page.goto('https://www.tiktok.com/foryou');
    await waitForVerdicts(frozen.page, { [DOM_ONLY.id]: EXPECTED.feed[DOM_ONLY.id] });
    const unjudged = await frozen.page.evaluate(() => document.querySelectorAll('article:not([data-deinfluencer-verdict])').length);
    assert.equal(unjudged, 0, 'every card judged');
    await assertPageWorks(frozen.page);
    // (puppeteer over BiDi prints the app's logged error object as "JSHandle@error")
    const own = frozen.errors.filter((e) => !/^console: fixture app: (SyntaxError: this page parses no JSON|JSHandle@error)$/.test(e));
    assert.ok(frozen.errors.length > own.length, "the page's own app failed to read its feed");
    assert.deepEqual(own, [], "only the page's own failure was logged");
    assert.deepEqual(firefox.leakedRequests(), [], 'no request left the browser');
  });
});
