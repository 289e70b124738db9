// The per-creator ledger, end to end: two tabs of the fake TikTok feed record each post once; the popup
// shows the tab's summary; export → erase → import restores the creators; a damaged stored ledger is
// kept aside, a notice is shown, and nothing crashes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openOptions, openPopup, swEval, withExtension } from './helpers.js';
import { DOM_ONLY, EXPECTED, FEED_FIRST } from './site.js';
import { openTikTok, serveSite, waitForVerdicts } from './tiktok.js';

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

/** Poll the service worker until the ledger holds `size` posts. */
async function waitForLedgerSize(serviceWorker, size) {
  let have = -1;
  for (let i = 0; i < 100; i++) {
    have = await swEval(serviceWorker, async () => (await globalThis.deinfluencer.ledger()).size);
    if (have === size) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the ledger holds ${have} posts, want ${size}`);
}

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
    await waitForLedgerSize(serviceWorker, ids.size);

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
    await waitForLedgerSize(serviceWorker, new Set(cards.map((c) => c.id)).size);
    const all = await swEval(serviceWorker, async () => {
      await globalThis.deinfluencer.flushLedger();
      return chrome.storage.local.get(null);
    });
    const kept = Object.entries(all).filter(([key]) => key.startsWith('ledger_damaged_'));
    assert.equal(kept.length, 1, 'the damaged text is kept');
    assert.equal(kept[0][1], damaged);
    assert.equal(all.ledgerNotice?.kind, 'damaged');
    assert.equal(typeof all.ledger, 'string');
    assert.notEqual(all.ledger, damaged, 'a good ledger replaced the damaged one');

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
    await waitForLedgerSize(serviceWorker, size);
    const after = await swEval(serviceWorker, async () => {
      const area = chrome.storage.local;
      const set = area.set.bind(area);
      let refused = 0;
      // The first ledger write fails as Chrome's does when storage.local is full.
      area.set = (items) => {
        if ('ledger' in items && refused === 0) {
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
    });
    assert.equal(after.refused, 1, 'the write was refused once');
    assert.equal(after.size, Math.floor(size / 2), 'pruned to half');
    assert.equal(after.stored.ledgerNotice?.kind, 'pruned');
    assert.equal(typeof after.stored.ledger, 'string', 'saved on the retry');
  });
});
