// The per-creator ledger, end to end in Firefox ESR: two tabs of the stand-in For You feed record each
// post once per creator, with exact counts (read back by message from an extension page and in the
// popup), the background event page writes the ledger to storage.local, and the options page's erase
// and import work. Firefox suspends an idle event page (Chrome stops an idle service worker): nothing
// recorded is lost across that. A damaged stored ledger is kept aside under ledger_damaged_<ms>, the
// popup shows a notice until dismissed, and recording goes on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertDamagedKept } from '../e2e/helpers.js';
import { DOM_ONLY, EXPECTED, FEED_FIRST, GENERATED_VERDICTS, generatedPage } from '../e2e/site.js';
import { pollUntil, sendFrom, waitForVerdicts, withFirefox } from './firefox.js';

const LIMIT = { timeout: 90_000 };

/** id → creator handle for the For You page's first cards. */
const HANDLES = {
  ...Object.fromEntries(FEED_FIRST.map((c) => [c.item.id, c.item.author.uniqueId])),
  [DOM_ONLY.id]: DOM_ONLY.handle,
};

/**
 * Per-creator counts the feed must produce: each post once, with the verdict the fixtures expect
 * (the first page, plus `more`: generated items loaded later).
 */
function expectedCounts(more = []) {
  const out = {};
  const posts = [
    ...Object.entries(EXPECTED.feed).map(([id, verdict]) => [HANDLES[id], verdict]),
    ...more.map((item) => [item.author.uniqueId, GENERATED_VERDICTS[item.author.uniqueId]]),
  ];
  for (const [handle, verdict] of posts) {
    out[handle] ??= { seen: 0, organic: 0, disclosed: 0, unclear: 0, undisclosed: 0 };
    out[handle].seen++;
    out[handle][verdict]++;
  }
  return out;
}

/** The ledger's per-creator counts (by message from an extension page), once it holds `posts` posts. */
async function ledgerCounts(page, posts) {
  const creators = await pollUntil(
    () => sendFrom(page, { type: 'ledger-creators', limit: 100 }),
    (list) => list.reduce((n, c) => n + c.seen, 0) === posts,
    { what: `${posts} posts in the ledger` },
  );
  return Object.fromEntries(creators.map((c) => [c.creator, pick(c)]));
}

/** [tabId, summary] of every tab whose ledger summary lists posts. */
async function tabSummaries(page) {
  const tabs = await page.evaluate(() => globalThis.browser.tabs.query({}).then((list) => list.map((tab) => tab.id)));
  const summaries = [];
  for (const tabId of tabs) {
    const { summary } = await sendFrom(page, { type: 'ledger-tab-summary', tabId });
    if (summary.scanned > 0) summaries.push([tabId, summary]);
  }
  return summaries;
}

const pick = (c) => ({ seen: c.seen, organic: c.organic, disclosed: c.disclosed, unclear: c.unclear, undisclosed: c.undisclosed });

test('Firefox: two tabs of the feed: each post counted once per creator, in the popup and in storage; export → erase → import', LIMIT, async (t) => {
  await withFirefox(t, async (firefox) => {
    const one = await firefox.openTikTok('/foryou');
    const cards = await waitForVerdicts(one.page, EXPECTED.feed);
    const two = await firefox.openTikTok('/foryou');
    const cards2 = await waitForVerdicts(two.page, EXPECTED.feed);
    const verdicts = (list) => list.map((c) => `${c.id}:${c.verdict}`).sort();
    assert.deepEqual(verdicts(cards2), verdicts(cards), 'both tabs judged the same posts');
    const expected = expectedCounts();
    const posts = Object.keys(EXPECTED.feed).length;
    assert.equal(cards.length, posts);

    // Read the ledger back by message, as the popup and options page do.
    const page = await firefox.openExtensionPage('popup.html');
    assert.deepEqual(await ledgerCounts(page, posts), expected, 'exact per-creator counts, each post once although two tabs showed it');

    // Each TikTok tab's summary lists every post it showed.
    const summaries = await tabSummaries(page);
    assert.equal(summaries.length, 2, 'two tabs reported posts');
    const total = Object.values(expected).reduce(
      (a, c) => ({ u: a.u + c.undisclosed, q: a.q + c.unclear, d: a.d + c.disclosed }),
      { u: 0, q: 0, d: 0 },
    );
    for (const [, summary] of summaries) {
      assert.deepEqual(
        { scanned: summary.scanned, undisclosed: summary.undisclosed, unclear: summary.unclear, disclosed: summary.disclosed },
        { scanned: posts, undisclosed: total.u, unclear: total.q, disclosed: total.d },
      );
    }

    // The popup for the first tab says so, and lists that tab's creators.
    const popup = await firefox.openExtensionPage(`popup.html?tab=${summaries[0][0]}`);
    await popup.waitForSelector('#ledger[data-state="ready"]');
    assert.equal(
      await popup.$eval('#tab-summary', (p) => p.textContent),
      `${posts} posts scanned: ${total.u} undisclosed, ${total.q} unclear, ${total.d} disclosed`,
    );
    const listed = await popup.$$eval('#tab-creators li', (items) => items.map((li) => li.dataset.creator).sort());
    assert.deepEqual(listed, Object.keys(expected).sort());

    // Flushed to storage.local by the background event page.
    await sendFrom(popup, { type: 'ledger-flush' });
    const stored = await popup.evaluate(async () => (await globalThis.browser.storage.local.get('ledger')).ledger);
    assert.equal(typeof stored, 'string');
    for (const handle of Object.keys(expected)) assert.ok(stored.includes(JSON.stringify(handle)), `${handle} is in the stored ledger`);

    // Options: export (by message, what its buttons save), erase and import through the page: the same
    // counts come back, and a bad file changes nothing.
    const options = await firefox.openExtensionPage('options.html');
    await options.waitForSelector('#ledger[data-state="ready"]');
    const rows = () => options.$$eval('#creators-table tbody tr[data-creator]', (trs) => trs.map((tr) => tr.dataset.creator).sort());
    assert.deepEqual(await rows(), Object.keys(expected).sort());
    const exported = await sendFrom(options, { type: 'ledger-export' });
    await options.click('#erase');
    await options.click('#erase-yes');
    await options.waitForFunction(() => document.querySelectorAll('#creators-table tbody tr[data-creator]').length === 0);
    assert.deepEqual(await sendFrom(options, { type: 'ledger-creators', limit: 100 }), []);
    assert.deepEqual(await options.evaluate(() => globalThis.browser.storage.local.get('ledger')), {}, 'erased from storage.local');

    const dir = await mkdtemp(join(tmpdir(), 'deinfluencer-firefox-'));
    try {
      const good = join(dir, 'ledger.json');
      const bad = join(dir, 'bad.json');
      await writeFile(good, exported.json);
      await writeFile(bad, '{"not":"a ledger"');
      const input = await options.$('#import-file');
      await input.uploadFile(good);
      await options.waitForSelector('#data[data-state="imported"]');
      assert.match(await options.$eval('#data-status', (p) => p.textContent), new RegExp(`${posts} added`));
      assert.deepEqual(await ledgerCounts(options, posts), expected, 'import restored the same counts');
      await options.waitForFunction((n) => document.querySelectorAll('#creators-table tbody tr[data-creator]').length === n, {}, Object.keys(expected).length);

      await input.uploadFile(bad);
      await options.waitForSelector('#data[data-state="import-failed"]');
      assert.deepEqual(await ledgerCounts(options, posts), expected, 'a bad file changed nothing');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    assert.deepEqual(one.errors, []);
    assert.deepEqual(two.errors, []);
    assert.deepEqual(firefox.leakedRequests(), [], 'no request left the browser');
  });
});

test('Firefox: the idle background event page is suspended and wakes again with nothing lost', LIMIT, async (t) => {
  await withFirefox(
    t,
    async (firefox) => {
      const feed = await firefox.openTikTok('/foryou');
      await waitForVerdicts(feed.page, EXPECTED.feed);
      const posts = Object.keys(EXPECTED.feed).length;
      const page = await firefox.openExtensionPage('popup.html');
      assert.deepEqual(await ledgerCounts(page, posts), expectedCounts());

      // The other extension views: the background page while it runs (asking for them does not wake it).
      const otherViews = () => page.evaluate(() => globalThis.browser.extension.getViews().filter((view) => view !== window).length);
      await pollUntil(otherViews, (n) => n === 0, { what: 'the event page suspended' });

      // Woken by the next message: the ledger and the tab's post list come back from storage.
      assert.deepEqual(await ledgerCounts(page, posts), expectedCounts());
      assert.equal(await otherViews(), 1, 'the message woke the event page');
      let [[, summary]] = await tabSummaries(page);
      assert.equal(summary.scanned, posts);

      // Suspended again, then new cards on the open tab are judged and recorded as before.
      await pollUntil(otherViews, (n) => n === 0, { what: 'the event page suspended again' });
      await feed.page.evaluate(() => window.__fixture.loadMore(5));
      const more = generatedPage(1, 5);
      await waitForVerdicts(feed.page, Object.fromEntries(more.map((item) => [item.id, GENERATED_VERDICTS[item.author.uniqueId]])));
      assert.deepEqual(await ledgerCounts(page, posts + more.length), expectedCounts(more));
      [[, summary]] = await tabSummaries(page);
      assert.equal(summary.scanned, posts + more.length);
      assert.deepEqual(feed.errors, []);
      assert.deepEqual(firefox.leakedRequests(), []);
    },
    // Firefox suspends an idle event page after 30 s; 1.5 s here so the test need not wait that long.
    { prefs: { 'extensions.background.idle.timeout': 1500 } },
  );
});

test('Firefox: a damaged stored ledger is kept aside, a notice is shown, and recording goes on', LIMIT, async (t) => {
  await withFirefox(
    t,
    async (firefox) => {
      // Let the event page suspend first (opening the popup wakes it, and it may still save the empty
      // ledger it loaded), then damage the stored ledger from an extension page: the next event page
      // loads the ledger from storage, as after a browser restart.
      const damaged = '{"version": 1, "posts": [trunc';
      const page = await firefox.openExtensionPage('popup.html');
      const otherViews = () => page.evaluate(() => globalThis.browser.extension.getViews().filter((view) => view !== window).length);
      await pollUntil(otherViews, (n) => n === 0, { what: 'the event page suspended' });
      await page.evaluate((text) => globalThis.browser.storage.local.set({ ledger: text }), damaged);
      assert.equal((await page.evaluate(() => globalThis.browser.storage.local.get('ledger'))).ledger, damaged, 'still damaged before the load');

      const feed = await firefox.openTikTok('/foryou');
      await waitForVerdicts(feed.page, EXPECTED.feed);
      const posts = Object.keys(EXPECTED.feed).length;
      assert.deepEqual(await ledgerCounts(page, posts), expectedCounts(), 'recording went on, into a fresh ledger');

      await sendFrom(page, { type: 'ledger-flush' });
      const all = await page.evaluate(() => globalThis.browser.storage.local.get(null));
      assertDamagedKept(all, damaged);
      assert.equal(JSON.parse(all.ledger).posts.length, posts, 'the saved ledger holds the new posts');

      // The popup shows the notice until dismissed.
      const popup = await firefox.openExtensionPage('popup.html');
      await popup.waitForSelector('#ledger-notice:not([hidden])');
      assert.match(await popup.$eval('#ledger-notice-text', (p) => p.textContent), /damaged/);
      await popup.click('#ledger-notice-dismiss');
      await popup.waitForSelector('#ledger-notice[hidden]');
      assert.equal((await popup.evaluate(() => globalThis.browser.storage.local.get('ledgerNotice'))).ledgerNotice, undefined, 'dismissed for good');
      assert.deepEqual(feed.errors, [], 'no console errors on the page');
      assert.deepEqual(firefox.leakedRequests(), []);
    },
    // Firefox suspends an idle event page after 30 s; 1.5 s here so the test need not wait that long.
    { prefs: { 'extensions.background.idle.timeout': 1500 } },
  );
});
