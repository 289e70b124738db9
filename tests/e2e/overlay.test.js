// The TikTok overlay, end to end in Chromium, on the fake TikTok of site.js (TikTok's markup, TikTok's
// JSON from tests/fixtures/tiktok/ plus own cases, fetched by the page itself): every card gets the
// right verdict and hint under TikTok's CSP and under a CSP that forbids wasm, through infinite scroll,
// recycled cards, SPA navigation and switching off and on, without disturbing the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, STRICT_CSP, TIKTOK_CSP, leakedRequests, openOptions, openPopup, swEval, withExtension } from './helpers.js';
import { EXPECTED, GENERATED_VERDICTS, IDS, OWN, generatedPage } from './site.js';
import { assertFeedCards, hintCount, openTikTok, readCards, serveSite, waitForVerdicts, waitLoaded } from './tiktok.js';

const LIMIT = { timeout: 90_000 };


/** Geometry of every TikTok element inside the cards (our hosts excluded), to compare before/after. */
function cardGeometry(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('article[data-e2e="recommend-list-item-container"]')].map((card) => {
      const elements = [card, ...card.querySelectorAll('*')].filter(
        (e) => !e.closest('deinfluencer-hint, [data-deinfluencer-hint]'),
      );
      return elements.map((e) => {
        const r = e.getBoundingClientRect();
        return `${e.tagName}#${e.id}.${e.className}:${r.x},${r.y},${r.width},${r.height}`;
      });
    }),
  );
}

/** Turn hints on or off with the popup's switch, as a user would. */
async function flipPopupSwitch(context, extensionId, wanted) {
  const popup = await openPopup(context, extensionId);
  const toggle = popup.getByRole('switch');
  if ((await toggle.isChecked()) !== wanted) {
    await toggle.click();
    await popup.waitForSelector('html[data-state="ready"]');
  }
  assert.equal(await toggle.isChecked(), wanted);
  await popup.close();
}

/** The toolbar badge texts of every tab (and the global one). */
function badges(serviceWorker) {
  return swEval(serviceWorker, async () => {
    const tabs = await chrome.tabs.query({});
    const perTab = await Promise.all(tabs.map(async (tab) => [tab.url ?? '', await chrome.action.getBadgeText({ tabId: tab.id })]));
    return { global: await chrome.action.getBadgeText({}), perTab };
  });
}

for (const [name, csp, backend] of [
  ["TikTok's CSP", TIKTOK_CSP, 'content-script'],
  ['a CSP that forbids wasm', STRICT_CSP, 'service-worker'],
]) {
  test(`For You feed under ${name}: each card gets its verdict and hint (engine: ${backend})`, LIMIT, async (t) => {
    await withExtension(t, async (extension) => {
      const { context, serviceWorker } = extension;
      await serveSite(context, csp);
      const { page, errors } = await openTikTok(context, '/foryou');
      const cards = await waitForVerdicts(page, EXPECTED.feed);
      assertFeedCards(cards);
      assert.equal(await page.evaluate(() => document.documentElement.dataset.deinfluencerEngine), backend);
      assert.equal(
        await page.evaluate(() => document.documentElement.hasAttribute('data-deinfluencer-channel')),
        false,
        'the hook took the channel tag off <html> before the page could read it',
      );

      // The hint sits in the media area's top-left corner, over the video, not over caption or pills.
      const placement = await page.evaluate((id) => {
        const host = document.querySelector(`deinfluencer-hint[data-id="${id}"]`);
        const media = host.parentElement;
        const card = host.closest('article');
        const h = host.getBoundingClientRect();
        const m = media.getBoundingClientRect();
        const caption = card.querySelector('[data-e2e="video-desc"]').getBoundingClientRect();
        const actions = card.querySelector('[class*="SectionActionBarContainer"]').getBoundingClientRect();
        const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        return {
          inMedia: /DivBasicPlayerWrapper/.test(media.className),
          position: getComputedStyle(host).position,
          nearTopLeft: h.left - m.left <= 12 && h.top - m.top <= 12,
          insideMedia: h.right <= m.right + 0.5 && h.bottom <= m.bottom + 0.5,
          overCaption: overlaps(h, caption),
          overActions: overlaps(h, actions),
          focusable: host.shadowRoot.querySelector('button').tabIndex === 0,
        };
      }, OWN.glowSerum.id);
      assert.deepEqual(placement, {
        inMedia: true,
        position: 'absolute',
        nearTopLeft: true,
        insideMedia: true,
        overCaption: false,
        overActions: false,
        focusable: true,
      });

      // The badge counts the tab's undisclosed posts.
      const undisclosed = cards.filter((c) => c.hint?.kind === 'undisclosed').length;
      assert.equal(undisclosed, 3);
      await assert.doesNotReject(async () => {
        for (let i = 0; i < 50; i++) {
          const { perTab } = await badges(serviceWorker);
          if (perTab.some(([, text]) => text === String(undisclosed))) return;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        throw new Error(`no tab badge shows ${undisclosed}: ${JSON.stringify(await badges(serviceWorker))}`);
      });

      assert.deepEqual(errors, [], 'no console errors');
      assert.deepEqual(leakedRequests(extension), [], 'no request left the browser');
    });
  });
}

test('"Why?" opens the evidence by click and by keyboard, and the click stays out of TikTok', LIMIT, async (t) => {
  await withExtension(t, async ({ context }) => {
    await serveSite(context);
    const { page, errors } = await openTikTok(context, '/foryou');
    await waitForVerdicts(page, EXPECTED.feed);
    // TikTok opens the video when its card is clicked: the hint must not trigger that.
    await page.evaluate(() => {
      window.__cardClicks = 0;
      document.addEventListener('click', (e) => {
        if (e.target.closest?.('article')) window.__cardClicks++;
      });
    });
    const host = page.locator(`deinfluencer-hint[data-id="${OWN.glowSerum.id}"]`);
    const button = host.locator('button.pill');
    const panel = host.locator('.panel');
    assert.equal(await button.getAttribute('aria-expanded'), 'false');
    assert.equal(await panel.isVisible(), false);

    await button.click();
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    assert.equal(await panel.isVisible(), true);
    const text = await panel.textContent();
    assert.match(text, /use code GLOW20/, 'the matched text is quoted');
    assert.match(text, /Discount or referral code/, "the engine's explanation is shown");
    assert.match(text, /not a judgement of the creator/);
    assert.equal(await page.evaluate(() => window.__cardClicks), 0, 'the click did not reach the card');

    await button.click();
    assert.equal(await button.getAttribute('aria-expanded'), 'false');

    // Keyboard: focus the button, Enter opens, Escape closes.
    await button.focus();
    await page.keyboard.press('Enter');
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    await page.keyboard.press('Escape');
    assert.equal(await button.getAttribute('aria-expanded'), 'false');
    assert.deepEqual(errors, []);
  });
});

test('infinite scroll and recycled cards: new cards are judged, a recycled card is judged again', LIMIT, async (t) => {
  await withExtension(t, async ({ context }) => {
    await serveSite(context);
    const { page, errors } = await openTikTok(context, '/foryou');
    await waitForVerdicts(page, EXPECTED.feed);

    // Cards appended later (the next /api/recommend/item_list/ page).
    const more = generatedPage(1, 10);
    await page.evaluate(() => window.__fixture.loadMore(10));
    const expectedMore = Object.fromEntries(more.map((item) => [item.id, GENERATED_VERDICTS[item.author.uniqueId]]));
    await waitForVerdicts(page, expectedMore);

    // A card TikTok reuses for another video: same element, new id and text.
    const cardZero = () =>
      page.evaluate(() => {
        const card = document.querySelector('article[data-scroll-index="0"]');
        const hosts = card.querySelectorAll('deinfluencer-hint, [data-deinfluencer-hint]');
        return {
          player: card.querySelector('div[id^="xgwrapper-"]').id.replace('xgwrapper-0-', ''),
          verdict: card.getAttribute('data-deinfluencer-verdict'),
          hosts: hosts.length,
          id: hosts[0]?.getAttribute('data-id') ?? null,
          kind: hosts[0]?.getAttribute('data-kind') ?? null,
        };
      });
    const recycleTo = async (id, verdict) => {
      await page.evaluate((to) => window.__fixture.recycle(0, to), id);
      await page.waitForFunction(
        ([to, want]) => {
          const card = document.querySelector('article[data-scroll-index="0"]');
          const host = card.querySelector('deinfluencer-hint');
          return card.getAttribute('data-deinfluencer-verdict') === want && (want === 'organic' ? !host : host?.getAttribute('data-id') === to);
        },
        [id, verdict],
      );
      return cardZero();
    };
    assert.deepEqual(await cardZero(), { player: OWN.glowSerum.id, verdict: 'undisclosed', hosts: 1, id: OWN.glowSerum.id, kind: 'undisclosed' });
    assert.deepEqual(await recycleTo(IDS.twPlain, 'organic'), { player: IDS.twPlain, verdict: 'organic', hosts: 0, id: null, kind: null });
    assert.deepEqual(await recycleTo(IDS.jpAmbassador, 'unclear'), { player: IDS.jpAmbassador, verdict: 'unclear', hosts: 1, id: IDS.jpAmbassador, kind: 'unclear' });
    // And back to the first video: the hint follows the id.
    assert.deepEqual(await recycleTo(OWN.glowSerum.id, 'undisclosed'), { player: OWN.glowSerum.id, verdict: 'undisclosed', hosts: 1, id: OWN.glowSerum.id, kind: 'undisclosed' });
    assert.deepEqual(errors, []);
  });
});

test('SPA navigation: a pushState route change is scanned with its own page rules, and back again', LIMIT, async (t) => {
  await withExtension(t, async ({ context }) => {
    await serveSite(context);
    const { page, errors } = await openTikTok(context, '/foryou');
    await waitForVerdicts(page, EXPECTED.feed);
    const loads = await page.evaluate(() => performance.getEntriesByType('navigation').length);

    await page.evaluate(() => window.__fixture.navigate('/tag/skincare'));
    await waitLoaded(page, '/tag/skincare');
    let cards = await waitForVerdicts(page, EXPECTED.tag);
    assert.equal(cards.find((c) => c.id === OWN.glowSerum.id).hint.kind, 'undisclosed');

    await page.evaluate(() => window.__fixture.navigate('/search?q=serum'));
    await waitLoaded(page, '/search');
    cards = await waitForVerdicts(page, EXPECTED.search);
    assert.equal(cards.find((c) => c.id === '7400000000000000202').hint.kind, 'self_promo');

    await page.goBack(); // popstate → the tag page again
    await waitLoaded(page, '/tag/skincare');
    await waitForVerdicts(page, EXPECTED.tag);

    assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation').length), loads, 'no reload');
    assert.equal(new URL(page.url()).pathname, '/tag/skincare');
    assert.deepEqual(errors, []);
  });
});

test('video page (real SSR blob), profile grid (blob + XHR), search (XHR), tag (fetch)', LIMIT, async (t) => {
  await withExtension(t, async (extension) => {
    const { context } = extension;
    await serveSite(context);
    for (const [path, expected] of [
      [`/@brand_account_1/video/${IDS.isAd2026}`, EXPECTED.video2026],
      [`/@glowbyrina/video/${OWN.glowSerum.id}`, EXPECTED.videoGlow],
      ['/@creator_profile_6', EXPECTED.profile],
      ['/search?q=serum', EXPECTED.search],
      ['/tag/skincare', EXPECTED.tag],
    ]) {
      const { page, errors } = await openTikTok(context, path);
      const cards = await waitForVerdicts(page, expected);
      for (const card of cards) assert.ok(card.hosts <= 1, `at most one hint per card on ${path}`);
      assert.deepEqual(errors, [], `no console errors on ${path}`);
      if (path.startsWith('/@creator_profile_6')) {
        assert.equal(cards.find((c) => c.id === OWN.profileRestock.id).hint.kind, 'self_promo');
      }
      await page.close();
    }
    assert.deepEqual(leakedRequests(extension), []);
  });
});

test('a video page under the strict CSP is judged from its SSR blob through the service worker', LIMIT, async (t) => {
  await withExtension(t, async ({ context }) => {
    await serveSite(context, STRICT_CSP);
    const { page, errors } = await openTikTok(context, `/@brand_account_1/video/${IDS.isAd2026}`);
    const cards = await waitForVerdicts(page, EXPECTED.video2026);
    assert.equal(cards[0].hint.kind, 'disclosed');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.deinfluencerEngine), 'service-worker');
    assert.deepEqual(errors, []);
  });
});

test('popup switch: off removes every hint from every TikTok tab at once, on brings them back without reload; cards keep their size', LIMIT, async (t) => {
  await withExtension(t, async ({ context, extensionId, serviceWorker }) => {
    await serveSite(context);
    // Start with hints off, to measure TikTok's own layout untouched.
    await flipPopupSwitch(context, extensionId, false);
    const { page, errors } = await openTikTok(context, '/foryou');
    const second = await openTikTok(context, '/tag/skincare');
    await page.waitForFunction(() => document.querySelectorAll('article').length === 9);
    const before = await cardGeometry(page);
    assert.equal(await hintCount(page), 0);
    assert.equal((await badges(serviceWorker)).global, 'off');

    await flipPopupSwitch(context, extensionId, true);
    await waitForVerdicts(page, EXPECTED.feed);
    await waitForVerdicts(second.page, EXPECTED.tag);
    assert.deepEqual(await cardGeometry(page), before, 'no TikTok element moved or changed size');
    assert.equal((await badges(serviceWorker)).global, '');

    await page.evaluate(() => {
      window.__marker = 'same document';
    });
    await flipPopupSwitch(context, extensionId, false);
    for (const p of [page, second.page]) {
      await p.waitForFunction(
        () =>
          document.querySelectorAll('deinfluencer-hint, [data-deinfluencer-hint], [data-deinfluencer-verdict], [data-deinfluencer-positioned]')
            .length === 0,
        null,
        { timeout: 2_000 },
      );
    }
    assert.deepEqual(await cardGeometry(page), before);
    const offBadges = await badges(serviceWorker);
    assert.equal(offBadges.global, 'off');
    assert.ok(offBadges.perTab.every(([, text]) => text === 'off'), `every tab shows "off": ${JSON.stringify(offBadges)}`);

    // New cards while off are left alone.
    await page.evaluate(() => window.__fixture.loadMore(3));
    await page.waitForFunction(() => document.querySelectorAll('article').length === 12);
    assert.equal(await hintCount(page), 0);

    await flipPopupSwitch(context, extensionId, true);
    await waitForVerdicts(page, EXPECTED.feed);
    await waitForVerdicts(second.page, EXPECTED.tag);
    assert.equal(await page.evaluate(() => window.__marker), 'same document', 'no reload');
    assert.deepEqual(errors, []);
    assert.deepEqual(second.errors, []);
  });
});

test('keyboard shortcut (the toggle-hints command) switches hints off and on', LIMIT, async (t) => {
  await withExtension(t, async ({ context, serviceWorker }) => {
    await serveSite(context);
    const { page, errors } = await openTikTok(context, '/foryou');
    await waitForVerdicts(page, EXPECTED.feed);
    assert.ok((await hintCount(page)) > 0);

    // Headless Chromium does not route key presses to `commands`; call what the command runs.
    const command = await swEval(serviceWorker, async () => {
      const manifest = chrome.runtime.getManifest();
      await globalThis.deinfluencer.onCommand('toggle-hints');
      return manifest.commands['toggle-hints'];
    });
    assert.equal(command.suggested_key.default, 'Alt+Shift+D');
    await page.waitForFunction(() => document.querySelectorAll('deinfluencer-hint').length === 0, null, { timeout: 2_000 });
    assert.equal((await swEval(serviceWorker, async () => (await chrome.storage.sync.get('settings')).settings)).enabled, false);

    await swEval(serviceWorker, () => globalThis.deinfluencer.onCommand('toggle-hints'));
    await waitForVerdicts(page, EXPECTED.feed);
    assert.ok((await hintCount(page)) > 0);
    assert.deepEqual(errors, []);
  });
});

test('options: the verdict checkboxes decide which hints are drawn, live', LIMIT, async (t) => {
  await withExtension(t, async ({ context, extensionId, serviceWorker }) => {
    await serveSite(context);
    const { page, errors } = await openTikTok(context, '/foryou');
    let cards = await waitForVerdicts(page, EXPECTED.feed);
    assertFeedCards(cards);

    const options = await openOptions(context, extensionId);
    await options.waitForSelector('#show[data-state="ready"]');
    const box = (kind) => options.locator(`#show input[name="${kind}"]`);
    assert.equal(await box('undisclosed').isChecked(), true);
    assert.equal(await box('organic').isChecked(), false);

    await box('disclosed').uncheck();
    await options.waitForSelector('#show[data-state="ready"]');
    await box('organic').check();
    await options.waitForSelector('#show[data-state="ready"]');
    await page.waitForFunction(
      () =>
        document.querySelectorAll('deinfluencer-hint[data-kind="disclosed"]').length === 0 &&
        document.querySelectorAll('deinfluencer-hint[data-kind="organic"]').length > 0,
    );
    cards = await readCards(page);
    const organic = cards.find((c) => c.id === IDS.twPlain);
    assert.equal(organic.hint.kind, 'organic');
    assert.equal(organic.hint.text, 'Nothing detected');
    assert.ok(cards.filter((c) => c.verdict === 'disclosed').every((c) => c.hosts === 0));
    assert.ok(cards.filter((c) => c.hint?.kind === 'undisclosed').length === 3, 'other kinds stay');

    const stored = await swEval(serviceWorker, async () => (await chrome.storage.sync.get('settings')).settings);
    assert.deepEqual(stored.show, { undisclosed: true, unclear: true, self_promo: true, disclosed: false, organic: true });
    assert.deepEqual(errors, []);
  });
});

test('a caption carrying <img onerror> and <script> stays text: nothing injected, nothing run', LIMIT, async (t) => {
  await withExtension(t, async ({ context }) => {
    for (const csp of [TIKTOK_CSP, STRICT_CSP]) {
      await serveSite(context, csp); // the later route wins
      const { page, errors } = await openTikTok(context, '/foryou');
      const cards = await waitForVerdicts(page, { [OWN.xss.id]: 'undisclosed' });
      const card = cards.find((c) => c.id === OWN.xss.id);
      assert.equal(card.hint.kind, 'undisclosed');
      // Open its evidence too, so every text the hint holds is in the DOM.
      await page.locator(`deinfluencer-hint[data-id="${OWN.xss.id}"] button.pill`).click();
      const result = await page.evaluate(() => {
        const roots = [document, ...[...document.querySelectorAll('deinfluencer-hint, [data-deinfluencer-hint]')].map((h) => h.shadowRoot)];
        return {
          xss: window.__xss ?? null,
          images: roots.reduce((n, root) => n + root.querySelectorAll('img').length, 0),
          scripts: roots.slice(1).reduce((n, root) => n + root.querySelectorAll('script').length, 0),
          captionText: document.querySelector('article [data-e2e="video-desc"] span')?.textContent ?? '',
        };
      });
      assert.equal(result.xss, null, 'no injected script or handler ran');
      assert.equal(result.images, 0, 'no <img> element anywhere');
      assert.equal(result.scripts, 0, 'no <script> in any hint');
      assert.deepEqual(errors, []);
      await page.close();
    }
  });
});

test('the extension never writes HTML from strings and makes no network requests (static check)', async () => {
  const dir = join(ROOT, 'extension');
  const files = [];
  const walk = async (path) => {
    for (const entry of await readdir(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.name.endsWith('.js')) files.push(full);
    }
  };
  await walk(dir);
  assert.ok(files.length >= 10);
  for (const file of files) {
    const source = (await readFile(file, 'utf8')).replace(/^\s*(\/\/|\*).*$/gm, '');
    for (const pattern of [/\.innerHTML\b/, /\.outerHTML\s*=/, /insertAdjacentHTML/, /document\.write/, /\beval\(/, /new Function\(/, /XMLHttpRequest\(\)/]) {
      assert.doesNotMatch(source, pattern, `${file}: ${pattern}`);
    }
  }
});

test('dark theme and a phone-sized window: hints follow TikTok\'s theme, keep AA contrast and fit the video', LIMIT, async (t) => {
  await withExtension(t, async ({ context }) => {
    await serveSite(context);
    for (const [theme, viewport] of [
      ['light', { width: 1280, height: 720 }],
      ['dark', { width: 390, height: 844 }],
    ]) {
      const page = await context.newPage();
      await page.setViewportSize(viewport);
      await page.goto(`https://www.tiktok.com/foryou?theme=${theme}`);
      await waitLoaded(page);
      await waitForVerdicts(page, EXPECTED.feed);
      // 13px text, the compact 12px in a phone-sized window (the sheet's media query must win over its :host font)
      const font = viewport.width <= 480 ? 12 : 13;
      const fits = await page.evaluate(
        (font) =>
          [...document.querySelectorAll('deinfluencer-hint')].every((host) => {
            const h = host.getBoundingClientRect();
            const a = host.parentElement.getBoundingClientRect();
            const size = parseFloat(getComputedStyle(host.shadowRoot.querySelector('.pill')).fontSize);
            return h.left >= a.left && h.right <= a.right + 0.5 && h.height <= 80 && size === font;
          }),
        font,
      );
      assert.ok(fits, `every ${theme} hint fits its video at ${viewport.width}px, in ${font}px text`);
      const contrast = await page.evaluate(() => {
        const parse = (c) => c.match(/[\d.]+/g).slice(0, 3).map(Number);
        const lum = ([r, g, b]) =>
          [r, g, b]
            .map((v) => v / 255)
            .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
            .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
        const ratio = (a, b) => {
          const [x, y] = [lum(parse(a)), lum(parse(b))].sort((p, q) => q - p);
          return (x + 0.05) / (y + 0.05);
        };
        return [...document.querySelectorAll('deinfluencer-hint')].map((host) => {
          const pill = host.shadowRoot.querySelector('.pill');
          const style = getComputedStyle(pill);
          const icon = getComputedStyle(host.shadowRoot.querySelector('.icon'));
          return {
            theme: host.getAttribute('data-theme'),
            kind: host.getAttribute('data-kind'),
            text: ratio(style.color, style.backgroundColor),
            icon: ratio(icon.color, style.backgroundColor),
          };
        });
      });
      assert.ok(contrast.length >= 6);
      for (const c of contrast) {
        assert.equal(c.theme, theme);
        assert.ok(c.text >= 4.5, `${theme} ${c.kind}: text contrast ${c.text.toFixed(2)}`);
        assert.ok(c.icon >= 3, `${theme} ${c.kind}: icon contrast ${c.icon.toFixed(2)}`);
      }
      await page.close();
    }
  });
});

for (const [lang, hint, explanation] of [
  ['vi', 'Có vẻ là quảng cáo — không thấy công khai', 'Mã giảm giá hoặc mã giới thiệu'],
  ['id', 'Tampak bersponsor — tanpa keterangan iklan', 'Kode diskon atau referal'],
]) {
  test(`a browser in "${lang}" gets hints and the engine's explanations in that language`, LIMIT, async (t) => {
    await withExtension(
      t,
      async ({ context }) => {
        await serveSite(context);
        const { page, errors } = await openTikTok(context, '/foryou');
        const cards = await waitForVerdicts(page, EXPECTED.feed);
        assert.equal(cards.find((c) => c.id === OWN.glowSerum.id).hint.text, hint);
        const host = page.locator(`deinfluencer-hint[data-id="${OWN.glowSerum.id}"]`);
        await host.locator('button.pill').click();
        assert.match(await host.locator('.panel').textContent(), new RegExp(explanation));
        assert.deepEqual(errors, []);
      },
      { lang },
    );
  });
}

test('correcting a post from its hint: "Not an ad" / "This is an ad" change the ledger and the popup, pressing again undoes', LIMIT, async (t) => {
  await withExtension(t, async ({ context, serviceWorker, extensionId }) => {
    await serveSite(context);
    const { page, errors } = await openTikTok(context, '/foryou');
    const cards = await waitForVerdicts(page, EXPECTED.feed);
    const handle = OWN.glowSerum.author.uniqueId;
    const creator = () =>
      swEval(serviceWorker, async (h) => {
        const c = (await globalThis.deinfluencer.ledger()).creator(h);
        return c && { seen: c.seen, organic: c.organic, undisclosed: c.undisclosed, corrections: c.corrections };
      }, handle);
    await swEval(serviceWorker, () => globalThis.deinfluencer.flushLedger());
    const [[tabId]] = await swEval(serviceWorker, () => globalThis.deinfluencer.ledgerTabs());
    const undisclosedOnTab = cards.filter((c) => c.verdict === 'undisclosed').length;
    /** The popup's tab summary for the feed tab ("N posts scanned: X undisclosed, …"). */
    const popupSummary = async () => {
      const popup = await context.newPage();
      await popup.goto(`chrome-extension://${extensionId}/popup.html?tab=${tabId}`);
      await popup.waitForSelector('#ledger[data-state="ready"]');
      const text = await popup.locator('#tab-summary').textContent();
      await popup.close();
      return text;
    };

    const host = page.locator(`deinfluencer-hint[data-id="${OWN.glowSerum.id}"]`);
    const pillText = host.locator('.pill .text');
    const notAd = host.getByRole('button', { name: 'Not an ad', exact: true });
    const isAd = host.getByRole('button', { name: 'This is an ad', exact: true });
    const pressed = async () => [await notAd.getAttribute('aria-pressed'), await isAd.getAttribute('aria-pressed')];
    const waitForCreator = async (want) => {
      let have;
      for (let i = 0; i < 50; i++) {
        have = await creator();
        if (JSON.stringify(have) === JSON.stringify(want)) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.deepEqual(have, want);
    };

    await host.locator('button.pill').click();
    assert.equal(await host.getByRole('group', { name: 'Correct this hint' }).isVisible(), true);
    assert.deepEqual(await pressed(), ['false', 'false']);
    // The creator's numbers from the ledger, worded as in the popup.
    await host.locator('.creator', { hasText: `@${handle}` }).waitFor();
    assert.match(await host.locator('.creator').textContent(), /(^|\D)1 post seen: too few posts to judge/);
    await waitForCreator({ seen: 1, organic: 0, undisclosed: 1, corrections: 0 });
    assert.match(await popupSummary(), new RegExp(`: ${undisclosedOnTab} undisclosed,`));

    // "Not an ad": pressed, the hint says it was corrected, the engine's evidence stays; the ledger counts it.
    await notAd.click();
    await page.waitForFunction((id) => document.querySelector(`deinfluencer-hint[data-id="${id}"]`)?.getAttribute('data-corrected') === 'not_an_ad', OWN.glowSerum.id);
    assert.deepEqual(await pressed(), ['true', 'false']);
    assert.equal(await pillText.textContent(), 'Not an ad — corrected by you');
    assert.match(await host.locator('.status').textContent(), /You corrected this hint\. The automatic verdict was: Looks sponsored — no disclosure found/);
    assert.match(await host.locator('.panel').textContent(), /use code GLOW20/, 'the evidence is still shown');
    assert.equal(await page.evaluate((id) => document.querySelector(`article [data-id="${id}"]`)?.closest('article')?.getAttribute('data-deinfluencer-verdict'), OWN.glowSerum.id), 'undisclosed', "the card keeps the engine's verdict");
    await waitForCreator({ seen: 1, organic: 1, undisclosed: 0, corrections: 1 });
    assert.match(await popupSummary(), new RegExp(`: ${undisclosedOnTab - 1} undisclosed,`));

    // Pressing it again undoes the correction.
    await notAd.click();
    await page.waitForFunction((id) => !document.querySelector(`deinfluencer-hint[data-id="${id}"]`)?.hasAttribute('data-corrected'), OWN.glowSerum.id);
    assert.deepEqual(await pressed(), ['false', 'false']);
    assert.equal(await pillText.textContent(), 'Looks sponsored — no disclosure found');
    await waitForCreator({ seen: 1, organic: 0, undisclosed: 1, corrections: 0 });
    assert.match(await popupSummary(), new RegExp(`: ${undisclosedOnTab} undisclosed,`));

    // "This is an ad" by keyboard; it is kept in the ledger, so a reload shows it pressed again.
    await isAd.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => document.querySelector(`deinfluencer-hint[data-id="${id}"]`)?.getAttribute('data-corrected') === 'is_an_ad', OWN.glowSerum.id);
    assert.deepEqual(await pressed(), ['false', 'true']);
    await waitForCreator({ seen: 1, organic: 0, undisclosed: 1, corrections: 1 });
    await page.keyboard.press('Escape');
    assert.equal(await host.locator('button.pill').getAttribute('aria-expanded'), 'false');

    await page.reload();
    await waitForVerdicts(page, EXPECTED.feed);
    await host.locator('button.pill').click();
    await page.waitForFunction((id) => document.querySelector(`deinfluencer-hint[data-id="${id}"]`)?.getAttribute('data-corrected') === 'is_an_ad', OWN.glowSerum.id);
    assert.deepEqual(await pressed(), ['false', 'true']);
    assert.equal(await pillText.textContent(), 'An ad — corrected by you');
    assert.deepEqual(errors, []);
  });
});

test('a correction the service worker refuses is shown in the hint and changes nothing', LIMIT, async (t) => {
  await withExtension(t, async ({ context, extensionId }) => {
    await serveSite(context);
    const { page } = await openTikTok(context, '/foryou');
    await waitForVerdicts(page, EXPECTED.feed);
    const host = page.locator(`deinfluencer-hint[data-id="${OWN.glowSerum.id}"]`);
    await host.locator('button.pill').click();
    await host.locator('.creator', { hasText: '@' }).waitFor();
    // "Erase all data" in another page: the ledger and the tab's list no longer hold the post.
    const popup = await openPopup(context, extensionId);
    await popup.evaluate(async () => {
      const reply = await chrome.runtime.sendMessage({ type: 'ledger-erase' });
      if (!reply.ok) throw new Error(reply.error);
    });
    await popup.close();
    const notAd = host.getByRole('button', { name: 'Not an ad', exact: true });
    await notAd.click();
    const alert = host.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), /^Your correction was not saved: .+/);
    assert.equal(await notAd.getAttribute('aria-pressed'), 'false');
    assert.equal(await host.locator('.pill .text').textContent(), 'Looks sponsored — no disclosure found');
    assert.equal(await host.getAttribute('data-corrected'), null);
  });
});
