// The TikTok overlay, end to end in Firefox ESR (dist/firefox as a temporary add-on, driven over
// WebDriver BiDi), on the stand-in TikTok of tests/e2e/site.js: the same scenarios as the Chromium suite's
// core. Every card gets the right verdict and hint under TikTok's CSP and under a CSP that forbids wasm
// (Firefox, unlike Chrome, lets the content script compile wasm under both), markup in a caption stays
// text, cards appended or recycled later are judged, video/profile/search/tag pages and SPA navigation
// work, the popup's switch and the options' checkboxes remove and restore hints, and correcting a post
// from its hint changes the ledger's counts (and the popup's), pressing again undoes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STRICT_CSP, TIKTOK_CSP } from '../e2e/helpers.js';
import { EXPECTED, GENERATED_VERDICTS, IDS, OWN, generatedPage } from '../e2e/site.js';
import { assertFeedCards, hintCount, readCards } from '../e2e/tiktok.js';
import { pollUntil, sendFrom, waitForVerdicts, waitLoaded, withFirefox } from './firefox.js';

const LIMIT = { timeout: 90_000 };


/** The toolbar badge text of every tab, read from an extension page. */
function badges(extensionPage) {
  return extensionPage.evaluate(async () => {
    const api = globalThis.browser;
    const tabs = await api.tabs.query({});
    return Promise.all(tabs.map((tab) => api.action.getBadgeText({ tabId: tab.id })));
  });
}

/** The hint's button (in its open shadow root) of the card for `id`, as a pierce selector. */
const hintButton = (id) => `deinfluencer-hint[data-id="${id}"] >>> button.pill`;

for (const [name, csp] of [
  ["TikTok's CSP", TIKTOK_CSP],
  ['a CSP that forbids wasm', STRICT_CSP],
]) {
  test(`Firefox: For You feed under ${name}: each card gets its verdict and hint (engine in the content script); a caption's markup stays text`, LIMIT, async (t) => {
    await withFirefox(t, async (firefox) => {
      const { page, errors } = await firefox.openTikTok('/foryou', { csp });
      const cards = await waitForVerdicts(page, EXPECTED.feed);
      assertFeedCards(cards);
      // Firefox does not apply the page's CSP to wasm compiled in a content script (Chrome does).
      assert.equal(await page.evaluate(() => document.documentElement.dataset.deinfluencerEngine), 'content-script');
      assert.equal(
        await page.evaluate(() => document.documentElement.hasAttribute('data-deinfluencer-channel')),
        false,
        'the hook took the channel tag off <html> before the page could read it',
      );

      // The toolbar badge counts the tab's undisclosed posts.
      const undisclosed = cards.filter((c) => c.hint?.kind === 'undisclosed').length;
      assert.equal(undisclosed, 3);
      const popup = await firefox.openExtensionPage('popup.html');
      await pollUntil(() => badges(popup), (texts) => texts.includes(String(undisclosed)), { what: 'the badge' });

      // The caption carrying <img onerror> and <script> (and the same in the creator's name): with its
      // evidence open too, so every text the hint holds is in the DOM, nothing was injected or run.
      await page.click(hintButton(OWN.xss.id));
      const markup = await page.evaluate((id) => {
        const hosts = [...document.querySelectorAll('deinfluencer-hint, [data-deinfluencer-hint]')];
        const roots = [document, ...hosts.map((h) => h.shadowRoot)];
        const panel = document.querySelector(`deinfluencer-hint[data-id="${id}"]`).shadowRoot.querySelector('.panel');
        return {
          xss: window.__xss ?? null,
          images: roots.reduce((n, root) => n + root.querySelectorAll('img').length, 0),
          scripts: roots.slice(1).reduce((n, root) => n + root.querySelectorAll('script').length, 0),
          quoted: /code SAVE10/.test(panel.textContent),
        };
      }, OWN.xss.id);
      assert.deepEqual(markup, { xss: null, images: 0, scripts: 0, quoted: true }, 'no injected element, handler or script');

      assert.deepEqual(errors, [], 'no console errors');
      assert.deepEqual(firefox.leakedRequests(), [], 'no request left the browser');
      assert.ok(firefox.served.some((line) => line.includes('/api/recommend/item_list/')), 'the feed came from the stand-in API');

      // The recorder works: a request nobody intercepts (here from the extension's page) reaches the sink.
      await popup.evaluate(() => fetch('https://recorder-check.invalid/').catch(() => null));
      assert.deepEqual(firefox.leakedRequests(), ['proxy: CONNECT recorder-check.invalid:443 HTTP/1.1']);
    });
  });
}

test('Firefox: "Why?" opens by click and keyboard, and the click stays out of TikTok', LIMIT, async (t) => {
  await withFirefox(t, async (firefox) => {
    const { page, errors } = await firefox.openTikTok('/foryou');
    await waitForVerdicts(page, EXPECTED.feed);
    await page.evaluate(() => {
      window.__cardClicks = 0;
      document.addEventListener('click', (e) => {
        if (e.target.closest?.('article')) window.__cardClicks++;
      });
    });
    const state = () =>
      page.evaluate((id) => {
        const root = document.querySelector(`deinfluencer-hint[data-id="${id}"]`).shadowRoot;
        const panel = root.querySelector('.panel');
        return {
          expanded: root.querySelector('button.pill').getAttribute('aria-expanded'),
          panelShown: panel?.checkVisibility() ?? false,
          text: panel?.checkVisibility() ? panel.textContent : '',
          focused: root.activeElement?.matches('button.pill') ?? false,
        };
      }, OWN.glowSerum.id);

    assert.equal((await state()).expanded, 'false');
    await page.click(hintButton(OWN.glowSerum.id));
    const open = await state();
    assert.equal(open.expanded, 'true');
    assert.equal(open.panelShown, true);
    assert.match(open.text, /use code GLOW20/, 'the matched text is quoted');
    assert.match(open.text, /Discount or referral code/, "the engine's explanation is shown");
    assert.match(open.text, /not a judgement of the creator/);
    assert.equal(await page.evaluate(() => window.__cardClicks), 0, 'the click did not reach the card');
    await page.click(hintButton(OWN.glowSerum.id));
    assert.deepEqual(await state(), { expanded: 'false', panelShown: false, text: '', focused: true });

    // Keyboard: the button takes focus, Enter opens, Escape closes.
    await page.focus(hintButton(OWN.glowSerum.id));
    assert.equal((await state()).focused, true);
    await page.keyboard.press('Enter');
    assert.equal((await state()).expanded, 'true');
    await page.keyboard.press('Escape');
    assert.equal((await state()).expanded, 'false');
    assert.deepEqual(errors, []);
  });
});

test('Firefox: infinite scroll and recycled cards: new cards are judged, a recycled card is judged again', LIMIT, async (t) => {
  await withFirefox(t, async (firefox) => {
    const { page, errors } = await firefox.openTikTok('/foryou');
    await waitForVerdicts(page, EXPECTED.feed);

    // Cards appended later (the next /api/recommend/item_list/ page), twice.
    for (const cursor of [1, 2]) {
      await page.evaluate(() => window.__fixture.loadMore(10));
      const more = generatedPage(cursor, 10);
      await waitForVerdicts(page, Object.fromEntries(more.map((item) => [item.id, GENERATED_VERDICTS[item.author.uniqueId]])));
    }
    const cards = await readCards(page);
    assert.equal(cards.length, 9 + 20, 'every card was judged');
    for (const card of cards) assert.ok(card.hosts <= 1, `at most one hint on ${card.id}`);

    // A card TikTok reuses for another video: same element, new id and text.
    const recycleTo = async (id, verdict) => {
      await page.evaluate((to) => window.__fixture.recycle(0, to), id);
      return pollUntil(
        () =>
          page.evaluate(() => {
            const card = document.querySelector('article[data-scroll-index="0"]');
            const hosts = card.querySelectorAll('deinfluencer-hint, [data-deinfluencer-hint]');
            return { verdict: card.getAttribute('data-deinfluencer-verdict'), hosts: hosts.length, id: hosts[0]?.getAttribute('data-id') ?? null };
          }),
        (card) => card.verdict === verdict && (verdict === 'organic' ? card.hosts === 0 : card.id === id),
        { what: `card 0 recycled to ${id}` },
      );
    };
    assert.deepEqual(await recycleTo(IDS.twPlain, 'organic'), { verdict: 'organic', hosts: 0, id: null });
    assert.deepEqual(await recycleTo(IDS.jpAmbassador, 'unclear'), { verdict: 'unclear', hosts: 1, id: IDS.jpAmbassador });
    assert.deepEqual(await recycleTo(OWN.glowSerum.id, 'undisclosed'), { verdict: 'undisclosed', hosts: 1, id: OWN.glowSerum.id });
    assert.deepEqual(errors, []);
    assert.deepEqual(firefox.leakedRequests(), []);
  });
});

test('Firefox: video page (SSR blob), profile grid (blob + XHR), search (XHR), tag (fetch), and SPA navigation between them', LIMIT, async (t) => {
  await withFirefox(t, async (firefox) => {
    for (const [path, expected] of [
      [`/@brand_account_1/video/${IDS.isAd2026}`, EXPECTED.video2026],
      ['/@creator_profile_6', EXPECTED.profile],
      ['/search?q=serum', EXPECTED.search],
      ['/tag/skincare', EXPECTED.tag],
    ]) {
      const { page, errors } = await firefox.openTikTok(path);
      const cards = await waitForVerdicts(page, expected);
      for (const card of cards) assert.ok(card.hosts <= 1, `at most one hint per card on ${path}`);
      if (path === '/@creator_profile_6') assert.equal(cards.find((c) => c.id === OWN.profileRestock.id).hint.kind, 'self_promo');
      assert.deepEqual(errors, [], `no console errors on ${path}`);
      await page.close();
    }

    // One document, routes changed by pushState and the back button: each route scanned with its rules.
    const { page, errors } = await firefox.openTikTok('/foryou');
    await waitForVerdicts(page, EXPECTED.feed);
    await page.evaluate(() => window.__fixture.navigate('/tag/skincare'));
    await waitLoaded(page, '/tag/skincare');
    await waitForVerdicts(page, EXPECTED.tag);
    await page.evaluate(() => window.__fixture.navigate('/search?q=serum'));
    await waitLoaded(page, '/search');
    const cards = await waitForVerdicts(page, EXPECTED.search);
    assert.equal(cards.find((c) => c.id === '7400000000000000202').hint.kind, 'self_promo');
    await page.evaluate(() => history.back()); // popstate → the tag page again
    await waitLoaded(page, '/tag/skincare');
    await waitForVerdicts(page, EXPECTED.tag);
    assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation').length), 1, 'no reload');
    assert.deepEqual(errors, []);
    assert.deepEqual(firefox.leakedRequests(), []);
  });
});

test('Firefox: the popup switch removes every hint from every TikTok tab and brings them back without reload', LIMIT, async (t) => {
  await withFirefox(t, async (firefox) => {
    const feed = await firefox.openTikTok('/foryou');
    const tag = await firefox.openTikTok('/tag/skincare');
    await waitForVerdicts(feed.page, EXPECTED.feed);
    await waitForVerdicts(tag.page, EXPECTED.tag);
    await feed.page.evaluate(() => {
      window.__marker = 'same document';
    });
    const popup = await firefox.openExtensionPage('popup.html');
    const isOn = () => popup.$eval('#enabled', (input) => input.checked);
    const ours = (p) =>
      p.evaluate(
        () =>
          document.querySelectorAll('deinfluencer-hint, [data-deinfluencer-hint], [data-deinfluencer-verdict], [data-deinfluencer-positioned]').length,
      );
    assert.equal(await isOn(), true);
    assert.equal(await popup.$eval('#enabled', (input) => input.getAttribute('role')), 'switch');
    // Firefox accepted and bound the shortcut. (WebDriver key presses reach the page, not the browser's
    // shortcut handlers, so the key itself cannot be pressed here; it sets the same setting.)
    const commands = await popup.evaluate(() => globalThis.browser.commands.getAll());
    assert.deepEqual(
      commands.map((c) => [c.name, c.shortcut]),
      [['toggle-hints', 'Alt+Shift+D']],
    );

    // Off, with the keyboard as a user would: focus the switch and press Space.
    await popup.focus('#enabled');
    await popup.keyboard.press(' ');
    for (const p of [feed.page, tag.page]) await pollUntil(() => ours(p), (n) => n === 0, { timeout: 3_000, what: 'no hints left' });
    assert.equal(await isOn(), false);
    assert.equal((await sendFrom(popup, { type: 'get-settings' })).enabled, false, 'the background stored "off"');
    await pollUntil(() => badges(popup), (texts) => texts.every((text) => text === 'off'), { what: 'every tab\'s badge says "off"' });

    // New cards while off are left alone.
    await feed.page.evaluate(() => window.__fixture.loadMore(3));
    await feed.page.waitForFunction(() => document.querySelectorAll('article').length === 12);
    assert.equal(await hintCount(feed.page), 0);

    // On again, with a click: both tabs are judged again, the new cards too, without a reload.
    await popup.click('#enabled');
    await waitForVerdicts(feed.page, EXPECTED.feed);
    await waitForVerdicts(tag.page, EXPECTED.tag);
    const more = generatedPage(1, 3);
    await waitForVerdicts(feed.page, Object.fromEntries(more.map((item) => [item.id, GENERATED_VERDICTS[item.author.uniqueId]])));
    assert.equal(await isOn(), true);
    assert.equal(await feed.page.evaluate(() => window.__marker), 'same document', 'no reload');
    assert.deepEqual(feed.errors, []);
    assert.deepEqual(tag.errors, []);
    assert.deepEqual(firefox.leakedRequests(), []);
  });
});

test("Firefox: the options page's checkboxes decide which hints are drawn, live", LIMIT, async (t) => {
  await withFirefox(t, async (firefox) => {
    const { page, errors } = await firefox.openTikTok('/foryou');
    assertFeedCards(await waitForVerdicts(page, EXPECTED.feed));
    const options = await firefox.openExtensionPage('options.html');
    await options.waitForSelector('#show[data-state="ready"]');
    const box = (kind) => `#show input[name="${kind}"]`;
    const checked = (kind) => options.$eval(box(kind), (input) => input.checked);
    assert.equal(await checked('undisclosed'), true);
    assert.equal(await checked('disclosed'), true);
    assert.equal(await checked('organic'), false);

    await options.click(box('disclosed'));
    await options.waitForSelector('#show[data-state="ready"]');
    await options.click(box('organic'));
    await options.waitForSelector('#show[data-state="ready"]');
    const kinds = () => page.evaluate(() => [...document.querySelectorAll('deinfluencer-hint')].map((h) => h.dataset.kind));
    await pollUntil(kinds, (list) => !list.includes('disclosed') && list.includes('organic'), { what: 'disclosed hints gone, organic shown' });
    const cards = await readCards(page);
    const organic = cards.find((c) => c.id === IDS.twPlain);
    assert.equal(organic.hint.kind, 'organic');
    assert.equal(organic.hint.text, 'Nothing detected');
    assert.ok(cards.filter((c) => c.verdict === 'disclosed').every((c) => c.hosts === 0), 'no hint on disclosed posts');
    assert.equal(cards.filter((c) => c.hint?.kind === 'undisclosed').length, 3, 'other kinds stay');
    assert.deepEqual((await sendFrom(options, { type: 'get-settings' })).show, {
      undisclosed: true,
      unclear: true,
      self_promo: true,
      disclosed: false,
      organic: true,
    });
    assert.deepEqual(errors, []);
    assert.deepEqual(firefox.leakedRequests(), []);
  });
});

test("Firefox: dark theme and a phone-sized window: hints are styled in the shadow root, follow TikTok's theme, keep AA contrast and fit the video", LIMIT, async (t) => {
  await withFirefox(t, async (firefox) => {
    for (const [theme, viewport] of [
      ['light', { width: 1280, height: 720 }],
      ['dark', { width: 390, height: 844 }],
    ]) {
      const { page, errors } = await firefox.newTikTokTab();
      await page.setViewport(viewport);
      await page.goto(`https://www.tiktok.com/foryou?theme=${theme}`);
      await waitLoaded(page);
      await waitForVerdicts(page, EXPECTED.feed);
      const hints = await page.evaluate(() => {
        const rgb = (color) => color.match(/[\d.]+/g).slice(0, 3).map(Number);
        const luminance = (color) =>
          rgb(color)
            .map((v) => v / 255)
            .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
            .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
        const contrast = (a, b) => {
          const [hi, lo] = [luminance(a), luminance(b)].sort((p, q) => q - p);
          return (hi + 0.05) / (lo + 0.05);
        };
        return [...document.querySelectorAll('deinfluencer-hint')].map((host) => {
          const pill = getComputedStyle(host.shadowRoot.querySelector('.pill'));
          const icon = getComputedStyle(host.shadowRoot.querySelector('.icon'));
          const h = host.getBoundingClientRect();
          const video = host.parentElement.getBoundingClientRect();
          return {
            theme: host.getAttribute('data-theme'),
            kind: host.getAttribute('data-kind'),
            position: getComputedStyle(host).position,
            fits: h.left >= video.left && h.right <= video.right + 0.5 && h.height <= 80,
            font: parseFloat(pill.fontSize),
            text: contrast(pill.color, pill.backgroundColor),
            icon: contrast(icon.color, pill.backgroundColor),
          };
        });
      });
      assert.ok(hints.length >= 6, `${theme}: hints drawn`);
      for (const hint of hints) {
        const what = `${theme} ${hint.kind} at ${viewport.width}px`;
        assert.equal(hint.theme, theme, what);
        assert.equal(hint.position, 'absolute', `${what}: the shadow root's styles apply`);
        assert.ok(hint.fits, `${what}: fits its video`);
        // 13px, the compact 12px in a phone-sized window (the sheet's own media query must win over its :host font)
        assert.equal(hint.font, viewport.width <= 480 ? 12 : 13, `${what}: text size`);
        assert.ok(hint.text >= 4.5, `${what}: text contrast ${hint.text.toFixed(2)}`);
        assert.ok(hint.icon >= 3, `${what}: icon contrast ${hint.icon.toFixed(2)}`);
      }
      assert.deepEqual(errors, []);
      await page.close();
    }
  });
});

test('Firefox: correcting a post from its hint: "Not an ad" / "This is an ad" change the ledger and the popup, pressing again undoes', LIMIT, async (t) => {
  await withFirefox(t, async (firefox) => {
    const { page, errors } = await firefox.openTikTok('/foryou');
    const cards = await waitForVerdicts(page, EXPECTED.feed);
    const id = OWN.glowSerum.id;
    const handle = OWN.glowSerum.author.uniqueId;
    const undisclosedOnTab = cards.filter((c) => c.verdict === 'undisclosed').length;
    const ext = await firefox.openExtensionPage('popup.html');
    const [tabId] = await ext.evaluate(() => globalThis.browser.tabs.query({ url: 'https://www.tiktok.com/*' }).then((tabs) => tabs.map((tab) => tab.id)));
    const creator = async () => {
      const c = await sendFrom(ext, { type: 'ledger-creator', handle });
      return c && { seen: c.seen, organic: c.organic, undisclosed: c.undisclosed, corrections: c.corrections };
    };
    const waitForCreator = (want) =>
      pollUntil(creator, (have) => JSON.stringify(have) === JSON.stringify(want), { timeout: 5_000, what: `@${handle} counted as ${JSON.stringify(want)}` });
    /** The popup's tab summary for the feed tab ("N posts scanned: X undisclosed, …"). */
    const popupSummary = async () => {
      const popup = await firefox.openExtensionPage(`popup.html?tab=${tabId}`);
      await popup.waitForSelector('#ledger[data-state="ready"]');
      const text = await popup.$eval('#tab-summary', (p) => p.textContent);
      await popup.close();
      await page.bringToFront();
      return text;
    };
    const inHint = (fn) => page.evaluate(fn, id);
    const hint = () =>
      inHint((postId) => {
        const host = document.querySelector(`deinfluencer-hint[data-id="${postId}"]`);
        const root = host.shadowRoot;
        const pressed = (kind) => root.querySelector(`button[data-correction="${kind}"]`)?.getAttribute('aria-pressed') ?? null;
        return {
          corrected: host.getAttribute('data-corrected'),
          pressed: [pressed('not_an_ad'), pressed('is_an_ad')],
          expanded: root.querySelector('button.pill').getAttribute('aria-expanded'),
          pill: root.querySelector('.pill .text').textContent,
          status: root.querySelector('.status')?.textContent ?? '',
          panel: root.querySelector('.panel')?.textContent ?? '',
          creator: root.querySelector('.creator')?.textContent ?? '',
          group: root.querySelector('[role="group"]')?.getAttribute('aria-label') ?? null,
          verdict: host.closest('article')?.getAttribute('data-deinfluencer-verdict') ?? null,
        };
      });
    const button = (kind) => `deinfluencer-hint[data-id="${id}"] >>> button[data-correction="${kind}"]`;
    const waitForHint = (done, what) => pollUntil(hint, done, { timeout: 5_000, what });

    await waitForCreator({ seen: 1, organic: 0, undisclosed: 1, corrections: 0 });
    assert.match(await popupSummary(), new RegExp(`: ${undisclosedOnTab} undisclosed,`));
    await page.click(`deinfluencer-hint[data-id="${id}"] >>> button.pill`);
    // The creator's numbers from the ledger, worded as in the popup.
    let state = await waitForHint((h) => h.creator.includes(`@${handle}`), "the creator's numbers in the panel");
    assert.equal(state.group, 'Correct this hint');
    assert.deepEqual(state.pressed, ['false', 'false']);
    assert.match(state.creator, /(^|\D)1 post seen: too few posts to judge/);

    // "Not an ad": pressed, the hint says it was corrected, the engine's evidence stays; the ledger counts it.
    await page.click(button('not_an_ad'));
    state = await waitForHint((h) => h.corrected === 'not_an_ad', 'the hint corrected to "not an ad"');
    assert.deepEqual(state.pressed, ['true', 'false']);
    assert.equal(state.pill, 'Not an ad — corrected by you');
    assert.match(state.status, /You corrected this hint\. The automatic verdict was: Looks sponsored — no disclosure found/);
    assert.match(state.panel, /use code GLOW20/, 'the evidence is still shown');
    assert.equal(state.verdict, 'undisclosed', "the card keeps the engine's verdict");
    await waitForCreator({ seen: 1, organic: 1, undisclosed: 0, corrections: 1 });
    assert.match(await popupSummary(), new RegExp(`: ${undisclosedOnTab - 1} undisclosed,`));

    // Pressing it again undoes the correction.
    await page.click(button('not_an_ad'));
    state = await waitForHint((h) => h.corrected === null, 'the correction undone');
    assert.deepEqual(state.pressed, ['false', 'false']);
    assert.equal(state.pill, 'Looks sponsored — no disclosure found');
    await waitForCreator({ seen: 1, organic: 0, undisclosed: 1, corrections: 0 });
    assert.match(await popupSummary(), new RegExp(`: ${undisclosedOnTab} undisclosed,`));

    // "This is an ad" by keyboard; it is kept in the ledger, so a reload shows it pressed again.
    await page.focus(button('is_an_ad'));
    await page.keyboard.press('Enter');
    state = await waitForHint((h) => h.corrected === 'is_an_ad', 'the hint corrected to "is an ad"');
    assert.deepEqual(state.pressed, ['false', 'true']);
    await waitForCreator({ seen: 1, organic: 0, undisclosed: 1, corrections: 1 });
    await page.keyboard.press('Escape');
    assert.equal((await hint()).expanded, 'false');

    await page.reload();
    await waitLoaded(page);
    await waitForVerdicts(page, EXPECTED.feed);
    await page.click(`deinfluencer-hint[data-id="${id}"] >>> button.pill`);
    state = await waitForHint((h) => h.corrected === 'is_an_ad', 'the correction shown again after a reload');
    assert.deepEqual(state.pressed, ['false', 'true']);
    assert.equal(state.pill, 'An ad — corrected by you');
    assert.deepEqual(errors, []);
    assert.deepEqual(firefox.leakedRequests(), []);
  });
});
