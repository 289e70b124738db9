// The creator profile banner, end to end in Firefox ESR: on a profile page it shows the ledger's numbers
// for that creator (counted from the cards' own verdicts, with Wilson intervals computed here), its
// "Why?" breakdown by keyboard, follows SPA navigation between profiles and away, and goes and comes
// back with the popup's hints switch. The same scenario as tests/e2e/banner.test.js's first test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXPECTED, LAB_PROFILE } from '../e2e/site.js';
import { assertBannerRatios, assertBannerSignals, assertTooFewBanner, bannerCountLines, countVerdicts, readBanner } from '../e2e/tiktok.js';
import { ORIGIN, pollUntil, sendFrom, waitForVerdicts, waitLoaded, withFirefox } from './firefox.js';

const LIMIT = { timeout: 90_000 };

/** Wait until the page's banner is for `handle` with `seen` posts (the ledger is written ~1 s after recording). */
function waitForBanner(page, handle, seen) {
  return pollUntil(
    () => page.evaluate(readBanner),
    (banner) => banner?.handle === handle && banner.seen === seen,
    { timeout: 15_000, what: `the banner for @${handle} with ${seen} posts` },
  );
}

const noBanner = (page) => page.evaluate(() => !document.querySelector('deinfluencer-banner, [data-deinfluencer-banner]'));

test('Firefox: profile banner: exact counts and intervals, "Why?" by keyboard, SPA navigation, hides when off', LIMIT, async (t) => {
  await withFirefox(t, async (firefox) => {
    // A creator with 4 posts seen: too few to judge.
    const { page, errors } = await firefox.openTikTok('/@creator_profile_6');
    const few = countVerdicts(await waitForVerdicts(page, EXPECTED.profile));
    let banner = await waitForBanner(page, 'creator_profile_6', few.seen);
    assertTooFewBanner(banner, 'creator_profile_6', few.seen);

    // The lab profile: 7 posts, scrolled into view one by one, then judged.
    await page.goto(`${ORIGIN}/@${LAB_PROFILE.handle}`);
    await waitLoaded(page);
    for (const id of Object.keys(LAB_PROFILE.expected)) {
      await page.evaluate((v) => document.querySelector(`a[href$="/video/${v}"]`)?.scrollIntoView({ block: 'center' }), id);
    }
    const lab = countVerdicts(await waitForVerdicts(page, LAB_PROFILE.expected));
    assert.equal(lab.seen, 7);
    banner = await waitForBanner(page, LAB_PROFILE.handle, lab.seen);
    assertBannerRatios(banner, LAB_PROFILE.handle, lab);
    assert.equal(banner.state, 'ready');
    assert.equal(banner.theme, 'light');

    // "Why?" by keyboard: focus the button, Enter opens, Escape closes.
    assert.equal(banner.whyHidden, true);
    await page.focus('deinfluencer-banner >>> button');
    await page.keyboard.press('Enter');
    banner = await page.evaluate(readBanner);
    assert.equal(banner.expanded, 'true');
    assert.equal(banner.whyHidden, false);
    assert.deepEqual(banner.counts, bannerCountLines(lab));
    const popup = await firefox.openExtensionPage('popup.html');
    const fromLedger = await sendFrom(popup, { type: 'ledger-creator', handle: LAB_PROFILE.handle });
    assertBannerSignals(banner, fromLedger.top_signals);
    await page.bringToFront();
    await page.keyboard.press('Escape');
    banner = await page.evaluate(readBanner);
    assert.equal(banner.expanded, 'false');
    assert.equal(banner.whyHidden, true);
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'DEINFLUENCER-BANNER', 'focus stays on the banner');

    // SPA navigation: to the other profile (pushState), back (popstate), and off the profile pages.
    await page.evaluate(() => window.__fixture.navigate('/@creator_profile_6'));
    banner = await waitForBanner(page, 'creator_profile_6', few.seen);
    assert.equal(banner.hosts, 1, 'one banner, not one per visit');
    await page.evaluate(() => history.back());
    banner = await waitForBanner(page, LAB_PROFILE.handle, lab.seen);
    assert.ok(banner.beforeGrid);
    await page.evaluate(() => window.__fixture.navigate('/foryou'));
    await pollUntil(() => noBanner(page), Boolean, { timeout: 5_000, what: 'no banner off the profile pages' });
    await page.evaluate(() => history.back());
    await waitForBanner(page, LAB_PROFILE.handle, lab.seen);
    assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation').length), 1, 'no reload');

    // Off: the banner is gone and TikTok's grid keeps its size; on: it comes back.
    const gridBox = () => page.evaluate(() => {
      const grid = document.querySelector('[data-e2e="user-post-item-list"]');
      return [grid.offsetWidth, grid.offsetHeight];
    });
    const withBanner = await gridBox();
    await popup.bringToFront();
    await popup.click('#enabled');
    await pollUntil(() => noBanner(page), Boolean, { timeout: 5_000, what: 'the banner removed when hints are off' });
    assert.deepEqual(await gridBox(), withBanner, 'the banner never resized the grid');
    await popup.click('#enabled');
    banner = await waitForBanner(page, LAB_PROFILE.handle, lab.seen);
    assert.ok(banner.beforeGrid);
    assert.equal(banner.hosts, 1);
    assert.deepEqual(errors, [], 'no console errors on the page');
    assert.deepEqual(firefox.leakedRequests(), [], 'no request left the browser');
  });
});
