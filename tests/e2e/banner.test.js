// The creator profile banner, end to end: on a profile page it shows the ledger's numbers for that
// creator (counted from the cards' own verdicts), its "Why?" breakdown by keyboard, follows SPA
// navigation between profiles and away, and goes and comes back with the hints switch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openOptions, openPopup, swEval, withExtension } from './helpers.js';
import { EXPECTED, LAB_PROFILE } from './site.js';
import {
  ORIGIN,
  assertBannerRatios,
  assertTooFewBanner,
  assertBannerSignals,
  bannerCountLines,
  countVerdicts,
  openTikTok,
  pct,
  readBanner,
  serveSite,
  waitForVerdicts,
  waitLoaded,
} from './tiktok.js';

const LIMIT = { timeout: 90_000 };

/** Wait until the banner is for `handle` with `seen` posts (the ledger is written ~1 s after recording). */
async function waitForBanner(page, handle, seen) {
  try {
    await page.waitForFunction(
      ([h, n]) => {
        const host = document.querySelector('deinfluencer-banner, [data-deinfluencer-banner]');
        return host?.getAttribute('data-handle') === h && host.getAttribute('data-seen') === String(n) && host.isConnected;
      },
      [handle, seen],
      { timeout: 15_000 },
    );
  } catch (error) {
    throw new Error(`banner not shown for @${handle} with ${seen} posts: ${JSON.stringify(await page.evaluate(readBanner))}: ${error.message}`);
  }
  return page.evaluate(readBanner);
}

test('profile banner: exact counts and intervals, "Why?" by keyboard, SPA navigation, hides when off', LIMIT, async (t) => {
  await withExtension(t, async ({ context, serviceWorker, extensionId }) => {
    await serveSite(context);

    // A creator with 4 posts seen: too few to judge, but the breakdown counts them.
    const { page, errors } = await openTikTok(context, '/@creator_profile_6');
    const few = countVerdicts(await waitForVerdicts(page, EXPECTED.profile));
    let banner = await waitForBanner(page, 'creator_profile_6', few.seen);
    assertTooFewBanner(banner, 'creator_profile_6', few.seen);

    // The lab profile: 7 posts, scrolled into view one by one, then judged.
    await page.goto(`${ORIGIN}/@${LAB_PROFILE.handle}`);
    await waitLoaded(page);
    for (const id of Object.keys(LAB_PROFILE.expected)) {
      await page.locator(`a[href$="/video/${id}"]`).first().scrollIntoViewIfNeeded();
    }
    const lab = countVerdicts(await waitForVerdicts(page, LAB_PROFILE.expected));
    assert.equal(lab.seen, 7);
    banner = await waitForBanner(page, LAB_PROFILE.handle, lab.seen);
    assertBannerRatios(banner, LAB_PROFILE.handle, lab);
    assert.equal(banner.state, 'ready');
    assert.equal(banner.theme, 'light');

    // "Why?" by keyboard: Tab to the button, Enter opens, Escape closes.
    assert.equal(banner.whyHidden, true);
    const button = page.locator('deinfluencer-banner button');
    await button.focus();
    await page.keyboard.press('Enter');
    banner = await page.evaluate(readBanner);
    assert.equal(banner.expanded, 'true');
    assert.equal(banner.whyHidden, false);
    assert.deepEqual(banner.counts, bannerCountLines(lab));
    const fromWorker = await swEval(serviceWorker, async (h) => (await globalThis.deinfluencer.ledger()).creator(h), LAB_PROFILE.handle);
    assertBannerSignals(banner, fromWorker.top_signals);
    await page.keyboard.press('Escape');
    banner = await page.evaluate(readBanner);
    assert.equal(banner.expanded, 'false');
    assert.equal(banner.whyHidden, true);
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'DEINFLUENCER-BANNER', 'focus stays on the banner');

    // SPA navigation: to the other profile (pushState), back (popstate), and off the profile pages.
    await page.evaluate(() => window.__fixture.navigate('/@creator_profile_6'));
    banner = await waitForBanner(page, 'creator_profile_6', few.seen);
    assert.equal(banner.hosts, 1, 'one banner, not one per visit');
    await page.goBack();
    banner = await waitForBanner(page, LAB_PROFILE.handle, lab.seen);
    assert.ok(banner.beforeGrid);
    await page.evaluate(() => window.__fixture.navigate('/foryou'));
    await page.waitForFunction(() => !document.querySelector('deinfluencer-banner'));
    await page.goBack();
    await waitForBanner(page, LAB_PROFILE.handle, lab.seen);

    // Off: the banner is gone at once and TikTok's grid keeps its size; on: it comes back.
    const gridBox = () => page.locator('[data-e2e="user-post-item-list"]').evaluate((g) => [g.offsetWidth, g.offsetHeight]);
    const withBanner = await gridBox();
    const popup = await openPopup(context, extensionId);
    await popup.locator('#enabled').click();
    await page.waitForFunction(() => !document.querySelector('deinfluencer-banner, [data-deinfluencer-banner]'));
    assert.deepEqual(await gridBox(), withBanner, 'the banner never resized the grid');
    await popup.locator('#enabled').click();
    banner = await waitForBanner(page, LAB_PROFILE.handle, lab.seen);
    assert.ok(banner.beforeGrid);
    assert.deepEqual(errors, [], 'no console errors on the page');
  });
});

test('profile banner follows TikTok’s dark theme, and a new post of the creator updates it', LIMIT, async (t) => {
  await withExtension(t, async ({ context, extensionId }) => {
    await serveSite(context);
    const { page } = await openTikTok(context, `/@${LAB_PROFILE.handle}?theme=dark`);
    const lab = countVerdicts(await waitForVerdicts(page, LAB_PROFILE.expected));
    const banner = await waitForBanner(page, LAB_PROFILE.handle, lab.seen);
    assert.equal(banner.theme, 'dark');
    // The region's colours come from the dark palette (light text on a dark background).
    const colours = await page.evaluate(() => {
      const section = document.querySelector('deinfluencer-banner').shadowRoot.querySelector('section');
      const style = getComputedStyle(section);
      return [style.color, style.backgroundColor];
    });
    assert.deepEqual(colours, ['rgb(244, 244, 246)', 'rgb(30, 31, 36)']);

    // One more post of this creator is recorded elsewhere (the message a content script sends from
    // another tab): the ledger is written and the banner counts it without a reload.
    const popup = await openPopup(context, extensionId);
    const outcomes = await popup.evaluate(async (handle) => {
      const verdicts = [{ id: '7419999999999999999', creator: handle, verdict: 'disclosed', self_promo: false, evidence: [{ signal: 'clear_disclosure' }] }];
      const reply = await chrome.runtime.sendMessage({ type: 'record-verdicts', load: 'other-tab', verdicts });
      return reply.result;
    }, LAB_PROFILE.handle);
    assert.deepEqual(outcomes, ['new']);
    const updated = await waitForBanner(page, LAB_PROFILE.handle, lab.seen + 1);
    assert.match(updated.paragraphs[1], new RegExp(`^${pct((lab.disclosed + 1) / (lab.seen + 1 - lab.organic))} of those ${lab.seen + 1 - lab.organic} `));

    // The language setting (from the options page) applies to the open banner at once.
    const options = await openOptions(context, extensionId);
    await options.locator('#language').selectOption('id');
    await page.waitForFunction(
      (title) => document.querySelector('deinfluencer-banner')?.shadowRoot.querySelector('section')?.getAttribute('aria-label') === title,
      'Deinfluencer: postingan @ledger.lab yang sudah Anda lihat',
    );
    const translated = await page.evaluate(readBanner);
    assert.match(translated.paragraphs[0], /^\d+% dari 8 postingan yang dilihat tampak bersponsor/);
  });
});
