// The per-creator ledger, end to end: two tabs of the fake TikTok feed record each post once; the popup
// shows the tab's summary; export → erase → import restores the creators; a damaged stored ledger is
// kept aside, a notice is shown, and nothing crashes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, assertDamagedKept, openOptions, openPopup, swEval, waitForLedgerSize, withExtension } from './helpers.js';
import { DOM_ONLY, EXPECTED, FEED_FIRST, LAB_PROFILE } from './site.js';
import { ORIGIN, openTikTok, serveSite, waitForVerdicts } from './tiktok.js';

const LIMIT = { timeout: 90_000 };

/** id → creator handle for the For You page's first cards. */
const HANDLES = {
  ...Object.fromEntries(FEED_FIRST.map((c) => [c.item.id, c.item.author.uniqueId])),
  [DOM_ONLY.id]: DOM_ONLY.handle,
};

/** Expected per-creator counts from the cards' verdict attributes (each post once). */
function expectedCounts(cards) {
  const byId = new Map(cards.map((c) => [c.id, c.verdict]));
  const out = {};
  for (const [id, verdict] of byId) {
    const handle = HANDLES[id];
    assert.ok(handle, `card ${id} is a known feed card`);
    out[handle] ??= { seen: 0, organic: 0, disclosed: 0, unclear: 0, undisclosed: 0 };
    out[handle].seen++;
    out[handle][verdict]++;
  }
  return out;
}

const pick = (c) => ({ seen: c.seen, organic: c.organic, disclosed: c.disclosed, unclear: c.unclear, undisclosed: c.undisclosed });

/** Send a typed message from an extension page (so the sender checks pass). */
function sendFrom(page, message) {
  return page.evaluate(async (m) => {
    const reply = await chrome.runtime.sendMessage(m);
    if (!reply.ok) throw new Error(reply.error);
    return reply.result;
  }, message);
}

test('two tabs of the feed: each post counted once per creator; popup summary; export → erase → import', LIMIT, async (t) => {
  await withExtension(t, async ({ context, serviceWorker, extensionId }) => {
    await serveSite(context);
    const one = await openTikTok(context, '/foryou');
    const cards = await waitForVerdicts(one.page, EXPECTED.feed);
    const two = await openTikTok(context, '/foryou');
    const cards2 = await waitForVerdicts(two.page, EXPECTED.feed);
    assert.deepEqual(
      cards2.map((c) => [c.id, c.verdict]).sort(),
      cards.map((c) => [c.id, c.verdict]).sort(),
      'both tabs judged the same posts',
    );
    const expected = expectedCounts(cards);
    const ids = new Set(cards.map((c) => c.id));
    await waitForLedgerSize(serviceWorker, ids.size, 10_000);

    // Flush, and the stored JSON reloads to the same numbers.
    const stored = await swEval(serviceWorker, async (handles) => {
      await globalThis.deinfluencer.flushLedger();
      const { ledger } = await chrome.storage.local.get('ledger');
      const ledgerNow = await globalThis.deinfluencer.ledger();
      return {
        text: typeof ledger === 'string' && ledger.length > 0,
        creators: Object.fromEntries(handles.map((h) => [h, ledgerNow.creator(h)])),
        tabs: globalThis.deinfluencer.ledgerTabs(),
      };
    }, Object.keys(expected));
    assert.ok(stored.text, 'the ledger was written to storage.local');
    for (const [handle, counts] of Object.entries(expected)) {
      assert.ok(stored.creators[handle], `creator ${handle} recorded`);
      assert.deepEqual(pick(stored.creators[handle]), counts, `counts of ${handle}`);
    }
    assert.equal(stored.tabs.length, 2, 'two tabs reported posts');
    for (const [, size] of stored.tabs) assert.equal(size, ids.size, 'each tab lists every post it showed');

    // The popup for the first tab: "N posts scanned: …" and its creators.
    const tabId = stored.tabs[0][0];
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/popup.html?tab=${tabId}`);
    await popup.waitForSelector('#ledger[data-state="ready"]');
    const total = Object.values(expected).reduce(
      (a, c) => ({ u: a.u + c.undisclosed, q: a.q + c.unclear, d: a.d + c.disclosed }),
      { u: 0, q: 0, d: 0 },
    );
    assert.equal(
      await popup.locator('#tab-summary').textContent(),
      `${ids.size} posts scanned: ${total.u} undisclosed, ${total.q} unclear, ${total.d} disclosed`,
    );
    const listed = await popup.locator('#tab-creators li').evaluateAll((lis) => lis.map((li) => li.dataset.creator).sort());
    assert.deepEqual(listed, Object.keys(expected).sort());
    const oneLine = await popup.locator('#tab-creators li .line').first().textContent();
    assert.match(oneLine, /too few posts to judge/, 'below 5 posts: too few to judge');
    await popup.locator('#creator-search').fill(Object.keys(expected)[0].slice(0, 4));
    await popup.waitForSelector(`#search-results li[data-creator="${Object.keys(expected)[0]}"]`);
    await popup.close();

    // Options: the table; export, erase, import restores the same table.
    const options = await openOptions(context, extensionId);
    await options.waitForSelector('#ledger[data-state="ready"]');
    const tableRows = () =>
      options.locator('#creators-table tbody tr[data-creator]').evaluateAll((rows) =>
        rows.map((r) => [...r.children].slice(0, 4).map((c) => c.textContent)).sort(),
      );
    const before = await tableRows();
    assert.equal(before.length, Object.keys(expected).length);
    const exported = await sendFrom(options, { type: 'ledger-export' });
    assert.match(exported.csv, new RegExp(Object.keys(expected)[0].replace(/\./g, '\\.')));
    // The button saves the same JSON through a Blob URL and <a download>.
    const [download] = await Promise.all([options.waitForEvent('download'), options.locator('#export-json').click()]);
    assert.match(download.suggestedFilename(), /^deinfluencer-creators-\d{4}-\d\d-\d\d\.json$/);
    const chunks = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk);
    assert.equal(Buffer.concat(chunks).toString('utf8'), exported.json, 'the downloaded file is the export');
    await options.locator('#erase').click();
    await options.locator('#erase-yes').click();
    await options.waitForFunction(() => document.querySelectorAll('#creators-table tbody tr[data-creator]').length === 0);
    assert.equal(await swEval(serviceWorker, async () => (await globalThis.deinfluencer.ledger()).size), 0);
    assert.deepEqual(await swEval(serviceWorker, () => chrome.storage.local.get('ledger')), {});

    await options.locator('#import-file').setInputFiles({ name: 'ledger.json', mimeType: 'application/json', buffer: Buffer.from(exported.json) });
    await options.waitForSelector('#data[data-state="imported"]');
    await options.waitForSelector('#ledger[data-state="ready"]');
    assert.match(await options.locator('#data-status').textContent(), new RegExp(`${ids.size} added`));
    assert.deepEqual(await tableRows(), before, 'import restored the same creators table');

    // A bad file changes nothing and says why.
    await options.locator('#import-file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"not":"a ledger"') });
    await options.waitForSelector('#data[data-state="import-failed"]');
    assert.deepEqual(await tableRows(), before);
  });
});

test('a damaged stored ledger is kept aside, a notice is shown, and recording goes on', LIMIT, async (t) => {
  await withExtension(t, async ({ context, serviceWorker, extensionId }) => {
    const damaged = '{"version": 1, "posts": [trunc';
    await swEval(serviceWorker, (text) => chrome.storage.local.set({ ledger: text }), damaged);
    await serveSite(context);
    const { page, errors } = await openTikTok(context, '/foryou');
    const cards = await waitForVerdicts(page, EXPECTED.feed);
    await waitForLedgerSize(serviceWorker, new Set(cards.map((c) => c.id)).size, 10_000);
    const all = await swEval(serviceWorker, async () => {
      await globalThis.deinfluencer.flushLedger();
      return chrome.storage.local.get(null);
    });
    assertDamagedKept(all, damaged);

    const popup = await openPopup(context, extensionId);
    await popup.waitForSelector('#ledger-notice:not([hidden])');
    assert.match(await popup.locator('#ledger-notice-text').textContent(), /damaged/);
    await popup.locator('#ledger-notice-dismiss').click();
    await popup.waitForSelector('#ledger-notice[hidden]', { state: 'attached' });
    assert.deepEqual(errors, [], 'no console errors on the page');
  });
});

test('a full storage.local: the ledger is pruned to half, saved again, and the user is told', LIMIT, async (t) => {
  await withExtension(t, async ({ context, serviceWorker }) => {
    await serveSite(context);
    const { page } = await openTikTok(context, '/foryou');
    const cards = await waitForVerdicts(page, EXPECTED.feed);
    const size = new Set(cards.map((c) => c.id)).size;
    await waitForLedgerSize(serviceWorker, size, 10_000);
    const after = await swEval(serviceWorker, async (fits) => {
      const area = chrome.storage.local;
      const set = area.set.bind(area);
      let refused = 0;
      // A storage.local with room for `fits` posts: a bigger ledger write fails as Chrome's does when
      // it is full (whatever else the worker tries first, e.g. dropping its backup copy).
      area.set = (items) => {
        if (typeof items.ledger === 'string' && JSON.parse(items.ledger).posts.length > fits) {
          refused++;
          return Promise.reject(new Error('QUOTA_BYTES quota exceeded'));
        }
        return set(items);
      };
      try {
        await globalThis.deinfluencer.flushLedger();
      } finally {
        area.set = set;
      }
      const stored = await chrome.storage.local.get(['ledger', 'ledgerNotice']);
      return { refused, size: (await globalThis.deinfluencer.ledger()).size, stored };
    }, Math.floor(size / 2));
    assert.ok(after.refused >= 1, 'the full-size write was refused');
    assert.equal(after.size, Math.floor(size / 2), 'pruned to half');
    assert.equal(after.stored.ledgerNotice?.kind, 'pruned');
    assert.equal(typeof after.stored.ledger, 'string', 'saved on the retry');
    assert.equal(JSON.parse(after.stored.ledger).posts.length, Math.floor(size / 2), 'the pruned ledger is what was saved');
  });
});

/** A message of one of the extension's locales, as the pages show it (no placeholders). */
function localeText(lang, key) {
  const file = join(ROOT, 'extension', '_locales', lang, 'messages.json');
  return JSON.parse(readFileSync(file, 'utf8'))[key].message;
}

test('options: chart = table, corrections column, retention prunes, language switches options and popup', LIMIT, async (t) => {
  await withExtension(t, async ({ context, serviceWorker, extensionId }) => {
    await serveSite(context);
    // Two creators: one with 4 posts (too few to judge), one with 7.
    const { page } = await openTikTok(context, '/@creator_profile_6');
    await waitForVerdicts(page, EXPECTED.profile);
    await page.goto(`${ORIGIN}/@${LAB_PROFILE.handle}`);
    await waitForVerdicts(page, LAB_PROFILE.expected);
    const total = Object.keys(EXPECTED.profile).length + Object.keys(LAB_PROFILE.expected).length;
    await waitForLedgerSize(serviceWorker, total, 10_000);

    // A correction of one post shows in the table's Corrections column.
    const options = await openOptions(context, extensionId);
    const [corrected] = Object.keys(LAB_PROFILE.expected);
    await sendFrom(options, { type: 'ledger-correct', postId: corrected, correction: 'not_an_ad' });
    await options.reload();
    await options.waitForSelector('#ledger[data-state="ready"]');
    const rows = await options.locator('#creators-table tbody tr[data-creator]').evaluateAll((trs) =>
      trs.map((tr) => ({
        creator: tr.dataset.creator,
        share: Number(tr.dataset.share),
        judged: tr.dataset.judged === 'true',
        corrections: tr.children[4].textContent,
      })),
    );
    assert.deepEqual(rows.map((r) => [r.creator, r.corrections]).sort(), [
      ['creator_profile_6', '0'],
      [LAB_PROFILE.handle, '1'],
    ]);

    // The chart's table equivalent counts the table's judged creators per tenth of sponsored share.
    const chart = await options.locator('#share-table tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.children[0].textContent, tr.children[1].textContent]));
    const expectedBuckets = new Array(10).fill(0);
    for (const r of rows) if (r.judged) expectedBuckets[Math.min(9, Math.floor(r.share * 10 + 1e-9))]++;
    assert.deepEqual(
      chart,
      expectedBuckets.map((n, i) => [`${i * 10}%–${i === 9 ? 100 : i * 10 + 9}%`, String(n)]),
    );
    // Concretely: the lab's 7 posts, one corrected to "not an ad", are 4 of 7 sponsored (57%).
    assert.equal(chart[5][1], '1');
    assert.equal(await options.locator('#share-chart-note').textContent(), '1 creator with at least 5 posts seen; 1 with fewer are not shown.');
    const bars = await options.locator('#share-bars .bar-value').allTextContents();
    assert.deepEqual(bars, chart.map(([, n]) => n), 'the bars show the same numbers');

    // Retention: a bad number changes nothing and says why; 5 keeps the 5 posts seen last.
    const retention = options.locator('#retention');
    assert.equal(await retention.inputValue(), '50000', 'the default');
    await retention.fill('0');
    await options.locator('#retention-form button[type="submit"]').click();
    await options.waitForSelector('#retention-form[data-state="invalid"]');
    assert.equal(await options.locator('#retention-status').textContent(), 'Enter a whole number from 1 to 500,000.');
    assert.equal(await retention.getAttribute('aria-invalid'), 'true');
    await retention.fill('5');
    await retention.press('Enter');
    await options.waitForSelector('#retention-form[data-state="saved"]');
    assert.equal(await options.locator('#retention-status').textContent(), `Keeping at most 5 posts; ${total - 5} older posts removed.`);
    const kept = await swEval(serviceWorker, async () => {
      await globalThis.deinfluencer.flushLedger();
      const { ledger } = await chrome.storage.local.get('ledger');
      const { settings } = await chrome.storage.sync.get('settings');
      return { size: (await globalThis.deinfluencer.ledger()).size, stored: JSON.parse(ledger).posts.length, retention: settings.retention };
    });
    assert.deepEqual(kept, { size: 5, stored: 5, retention: 5 });
    await options.waitForFunction(() => document.getElementById('creators-count').textContent === '1 of 1 creator');

    // Language: Tiếng Việt for this page (reloaded, focus kept on the select) and the popup; then back.
    await options.locator('#language').selectOption('vi');
    await options.waitForFunction(() => document.documentElement.lang === 'vi' && document.documentElement.dataset.state === 'ready');
    await options.waitForSelector('#language[data-state="ready"]');
    assert.equal(await options.locator('#ledger-heading').textContent(), localeText('vi', 'optionsLedgerHeading'));
    assert.equal(await options.locator('#retention-form button[type="submit"]').textContent(), localeText('vi', 'optionsRetentionSave'));
    assert.equal(await options.evaluate(() => document.activeElement?.id), 'language');
    const popup = await openPopup(context, extensionId);
    assert.equal(await popup.locator('label[for="enabled"]').textContent(), localeText('vi', 'switchLabel'));
    assert.equal(await popup.locator('#ledger-heading').textContent(), localeText('vi', 'ledgerTabHeading'));
    await options.locator('#language').selectOption('auto');
    await options.waitForFunction(() => document.documentElement.lang === 'en' && document.documentElement.dataset.state === 'ready');
    assert.equal(await options.locator('#ledger-heading').textContent(), localeText('en', 'optionsLedgerHeading'));
  });
});

test('options with more creators than one page of rows: the first 200, then "Show more"', LIMIT, async (t) => {
  await withExtension(t, async ({ context, extensionId }) => {
    const posts = Array.from({ length: 250 }, (_, i) => ({
      id: String(7_700_000_000_000_000_000n + BigInt(i)),
      creator: `paged.${String(i).padStart(3, '0')}`,
      verdict: i % 2 ? 'undisclosed' : 'organic',
      first_seen: 1_760_000_000_000 + i,
      last_seen: 1_760_000_000_000 + i,
    }));
    const options = await openOptions(context, extensionId);
    await options.waitForSelector('#ledger[data-state="ready"]');
    await options.locator('#import-file').setInputFiles({
      name: 'ledger.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ schema_version: 1, posts })),
    });
    await options.waitForSelector('#data[data-state="imported"]');
    await options.waitForSelector('#ledger[data-state="ready"]');
    const rowCount = () => options.locator('#creators-table tbody tr[data-creator]').count();
    assert.equal(await rowCount(), 200);
    assert.equal(await options.locator('#creators-count').textContent(), '250 of 250 creators');
    assert.equal(await options.locator('#creators-shown').textContent(), 'Showing the first 200 of 250 rows.');
    // The newest first; the rest come with "Show more", which then goes away.
    assert.equal(await options.locator('#creators-table tbody tr').first().getAttribute('data-creator'), 'paged.249');
    await options.locator('#creators-more').click();
    assert.equal(await rowCount(), 250);
    assert.equal(await options.locator('#creators-more').isHidden(), true);
    assert.equal(await options.locator('#creators-shown').isHidden(), true);
    // A filter works on every creator, not just the rows shown.
    await options.locator('#creator-filter').fill('paged.00');
    assert.equal(await rowCount(), 10);
    // Reopened with 250 creators: the first rows come before everyone is loaded, then the same table.
    const again = await openOptions(context, extensionId);
    await again.waitForSelector('#ledger[data-state="ready"]');
    assert.equal(await again.locator('#creators-table tbody tr[data-creator]').count(), 200);
    assert.equal(await again.locator('#creators-count').textContent(), '250 of 250 creators');
    assert.equal(await again.evaluate(() => performance.getEntriesByName('ledger-table-first-rows').length), 1);
  });
});
