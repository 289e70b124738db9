#!/usr/bin/env node
// Screenshots of the overlay on the fake TikTok For You feed (tests/e2e/site.js), for the README:
// docs/feed-light.png (TikTok's light theme, a desktop window, one hint's "Why?" open) and
// docs/feed-dark.png (TikTok's dark theme, a phone-sized window). docs/options.png, docs/popup.png and
// docs/banner.png come from tests/tools/ledger-screenshots.mjs. Run by hand after ./build.sh:
//
//   node tests/tools/overlay-screenshots.mjs
//
// (Captions hold emoji: install Debian's fonts-noto-color-emoji first, or they show as boxes.)
import { join } from 'node:path';
import { ROOT, launch } from '../e2e/helpers.js';
import { EXPECTED, OWN } from '../e2e/site.js';
import { openTikTok, serveSite, waitForVerdicts } from '../e2e/tiktok.js';

const SHOTS = [
  { file: 'feed-light.png', theme: 'light', viewport: { width: 1000, height: 900 }, open: OWN.glowSerum.id, top: OWN.glowSerum.id },
  { file: 'feed-dark.png', theme: 'dark', viewport: { width: 390, height: 844 }, open: OWN.sp.id, top: OWN.sp.id },
];

const extension = await launch();
try {
  await serveSite(extension.context);
  for (const shot of SHOTS) {
    const { page } = await openTikTok(extension.context, `/foryou?theme=${shot.theme}`);
    await page.setViewportSize(shot.viewport);
    await waitForVerdicts(page, EXPECTED.feed);
    // Open one hint's "Why?" (by script: a click would scroll), then put a card at the top.
    await page.locator(`deinfluencer-hint[data-id="${shot.open}"] button.pill`).evaluate((button) => button.click());
    await page.evaluate((id) => {
      const card = [...document.querySelectorAll('article')].find((a) => a.querySelector(`[id$="-${id}"]`));
      window.scrollTo(0, card.getBoundingClientRect().top + window.scrollY - 12);
    }, shot.top);
    await page.mouse.move(0, 0);
    const path = join(ROOT, 'docs', shot.file);
    await page.screenshot({ path });
    console.log(`saved ${path}`);
    await page.close();
  }
} finally {
  await extension.close();
}
