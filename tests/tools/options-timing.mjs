#!/usr/bin/env node
// How long the options page takes to show the per-creator table with a big ledger. Run by hand after
// ./build.sh:
//
//   node tests/tools/options-timing.mjs [creators=10000] [posts=50000] [runs=5]
//
// The ledger is seeded in the service worker with the real code: a generated export (every creator with
// posts/creators posts, mixed verdicts and signals) goes through the wasm Ledger's importJson, the same
// call the options page's import uses; it is not written to storage.local (50,000 posts plus the backup
// copy exceed its 10 MB quota, and the write would prune them). Each run opens options.html afresh and
// reads, in the page (ms since navigation start):
//   - first rows: the `ledger-table-first-rows` mark, set by options.js when the most recently seen
//     creators (the table's first 200 rows, the default order) are in the DOM,
//   - ready: the `ledger-table-ready` mark: every creator loaded, the table (re)rendered with them, the
//     count line and the chart drawn; sorting and the filter work on everyone from here,
//   - painted: the first animation frame after that (the table is on screen and takes input),
//   - filter: typing one character in the filter until the next frame,
//   - sort: clicking the "Sponsored" column until the next frame.
// Prints each run and the medians.
import { launch, swEval } from '../e2e/helpers.js';

const [creators = 10_000, posts = 50_000, runs = 5] = process.argv.slice(2).map(Number);
const VERDICTS = ['organic', 'disclosed', 'unclear', 'undisclosed'];
const SIGNALS = ['discount_code', 'link_in_bio', 'affiliate_link', 'ambiguous_disclosure', 'clear_disclosure', 'shop_cta'];

/** A ledger export (schema 1) with `posts` posts spread evenly over `creators` creators. */
function syntheticExport() {
  const list = [];
  const start = Date.UTC(2026, 0, 1);
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < posts; i++) {
    const verdict = VERDICTS[Math.floor(random() * random() * 4.99) % 4];
    const time = start + i * 60_000;
    list.push({
      id: String(7_500_000_000_000_000_000n + BigInt(i)),
      creator: `creator.${String(i % creators).padStart(5, '0')}`,
      verdict,
      self_promo: false,
      signals: verdict === 'organic' ? [] : [SIGNALS[i % SIGNALS.length]],
      first_seen: time,
      last_seen: time,
    });
  }
  return JSON.stringify({ schema_version: 1, retention: Math.max(posts, 1), posts: list });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const extension = await launch();
try {
  const { context, serviceWorker, extensionId } = extension;
  const text = syntheticExport();
  const seeded = await swEval(
    serviceWorker,
    async (json) => {
      const ledger = await globalThis.deinfluencer.ledger();
      ledger.setRetention(1_000_000);
      const t0 = performance.now();
      const report = ledger.importJson(json);
      return { report, ms: performance.now() - t0, size: ledger.size, creators: ledger.creators('', 1_000_000).length };
    },
    text,
  );
  console.log(
    `seeded ${seeded.size} posts of ${seeded.creators} creators (${(text.length / 1e6).toFixed(1)} MB export; importJson ${seeded.ms.toFixed(0)} ms)`,
  );
  const results = [];
  for (let run = 0; run < runs; run++) {
    const page = await context.newPage();
    await page.setViewportSize({ width: 1000, height: 900 });
    await page.goto(`chrome-extension://${extensionId}/options.html`);
    await page.waitForSelector('#ledger[data-state="ready"]', { timeout: 60_000 });
    const result = await page.evaluate(async () => {
      const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      const ready = performance.getEntriesByName('ledger-table-ready')[0]?.startTime ?? NaN;
      const first = performance.getEntriesByName('ledger-table-first-rows')[0]?.startTime ?? NaN;
      await nextFrame();
      const painted = performance.now();
      const rows = document.querySelectorAll('#creators-table tbody tr[data-creator]').length;
      const filter = document.getElementById('creator-filter');
      let t0 = performance.now();
      filter.value = '7';
      filter.dispatchEvent(new Event('input', { bubbles: true }));
      await nextFrame();
      const filtered = performance.now() - t0;
      filter.value = '';
      filter.dispatchEvent(new Event('input', { bubbles: true }));
      await nextFrame();
      t0 = performance.now();
      document.querySelector('#creators-table th[data-key="sponsored_share"] button').click();
      await nextFrame();
      const sorted = performance.now() - t0;
      return { first, ready, painted, rows, filtered, sorted, count: document.getElementById('creators-count').textContent };
    });
    results.push(result);
    console.log(
      `run ${run + 1}: first rows ${result.first.toFixed(0)} ms, all ready ${result.ready.toFixed(0)} ms, painted ${result.painted.toFixed(0)} ms after navigation; ` +
        `${result.rows} rows in the DOM ("${result.count}"); filter ${result.filtered.toFixed(0)} ms, sort ${result.sorted.toFixed(0)} ms`,
    );
    await page.close();
  }
  const m = (key) => median(results.map((r) => r[key])).toFixed(0);
  console.log(`median of ${runs}: first rows ${m('first')} ms, all ready ${m('ready')} ms, painted ${m('painted')} ms, filter ${m('filtered')} ms, sort ${m('sorted')} ms`);
} finally {
  await extension.close();
}
