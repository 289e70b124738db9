#!/usr/bin/env node
// Screenshots of the per-creator ledger's views, for the README, on the stand-in TikTok
// (tests/e2e/site.js). Run by hand after ./build.sh:
//
//   node tests/tools/ledger-screenshots.mjs
//
// docs/banner.png   the profile banner on /@ledger.lab (7 posts seen, "Why?" open), TikTok's light theme
// docs/popup.png    the popup for a For You tab: the switch, the tab's summary and its creators
// docs/options.png  the options page: language and retention settings, the chart of creators by
//                   sponsored share and the top of the creators table
//
// The ledger is filled the way a user's is: by scrolling the stand-in pages (the feed, two profiles),
// plus, for the chart, an imported export of 60 made-up creators (through the options page's import, the
// real code path), so the distribution has a shape.
import { join } from 'node:path';
import { ROOT, launch, openOptions, swEval } from '../e2e/helpers.js';
import { EXPECTED, LAB_PROFILE } from '../e2e/site.js';
import { ORIGIN, openTikTok, serveSite, waitForVerdicts } from '../e2e/tiktok.js';

const VERDICTS = ['organic', 'disclosed', 'unclear', 'undisclosed'];

/** An export of `creators` made-up creators with 5–24 posts each and sponsored shares spread out. */
function madeUpExport(creators) {
  const posts = [];
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const start = Date.now() - 120 * 24 * 3_600_000; // the last four months
  let id = 7_600_000_000_000_000_000n;
  for (let c = 0; c < creators; c++) {
    const share = random() ** 1.6; // most creators post few ads, a few post many
    const n = 5 + Math.floor(random() * 20);
    for (let p = 0; p < n; p++) {
      const commercial = random() < share;
      const verdict = commercial ? VERDICTS[1 + Math.floor(random() * 3)] : 'organic';
      const time = start + (c * 40 + p) * 3_600_000; // at most 100 days after start
      posts.push({
        id: String(id++),
        creator: `made.up.${String(c).padStart(2, '0')}`,
        verdict,
        self_promo: false,
        signals: commercial ? ['discount_code'] : [],
        first_seen: time,
        last_seen: time,
      });
    }
  }
  return JSON.stringify({ schema_version: 1, posts });
}

const saved = (path) => console.log(`saved ${path}`);

const extension = await launch();
try {
  const { context, serviceWorker, extensionId } = extension;
  await serveSite(context);

  // The feed in one tab (for the popup), the two profiles in another.
  const feed = await openTikTok(context, '/foryou');
  await waitForVerdicts(feed.page, EXPECTED.feed);
  const { page } = await openTikTok(context, '/@creator_profile_6');
  await waitForVerdicts(page, EXPECTED.profile);
  await page.setViewportSize({ width: 1000, height: 760 });
  await page.goto(`${ORIGIN}/@${LAB_PROFILE.handle}`);
  await waitForVerdicts(page, LAB_PROFILE.expected);
  await page.waitForFunction(
    (n) => document.querySelector('deinfluencer-banner')?.getAttribute('data-seen') === String(n),
    Object.keys(LAB_PROFILE.expected).length,
    { timeout: 15_000 },
  );
  await page.locator('deinfluencer-banner button').click();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.mouse.move(0, 0);
  let path = join(ROOT, 'docs', 'banner.png');
  await page.screenshot({ path });
  saved(path);

  // The popup, as a tab about the feed's tab (the toolbar popup is the same document).
  const [[feedTab]] = await swEval(serviceWorker, () => globalThis.deinfluencer.ledgerTabs());
  const popup = await context.newPage();
  await popup.setViewportSize({ width: 360, height: 600 });
  await popup.goto(`chrome-extension://${extensionId}/popup.html?tab=${feedTab}`);
  await popup.waitForSelector('#ledger[data-state="ready"]');
  path = join(ROOT, 'docs', 'popup.png');
  await popup.screenshot({ path, fullPage: true });
  saved(path);

  // The options page, after importing the made-up creators.
  const options = await openOptions(context, extensionId);
  await options.setViewportSize({ width: 820, height: 900 });
  await options.locator('#import-file').setInputFiles({ name: 'creators.json', mimeType: 'application/json', buffer: Buffer.from(madeUpExport(60)) });
  await options.waitForSelector('#data[data-state="imported"]');
  await options.waitForSelector('#ledger[data-state="ready"]');
  await options.locator('#engine-version[data-state="ready"]').waitFor();
  // From the top of the page to the table's 8th row.
  const bottom = await options.locator('#creators-table tbody tr:nth-child(8)').evaluate((row) => row.getBoundingClientRect().bottom + window.scrollY + 2);
  path = join(ROOT, 'docs', 'options.png');
  await options.screenshot({ path, fullPage: true, clip: { x: 0, y: 0, width: 820, height: Math.ceil(bottom) } });
  saved(path);
} finally {
  await extension.close();
}
