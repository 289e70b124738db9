// The extension's foundation, end to end in Chromium: the engine answers on TikTok pages (in the
// content script when the page's CSP allows wasm, through the service worker when it does not), the
// switch persists, the options page shows the wasm's version, and nothing leaves the browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DIST_CHROME,
  STRICT_CSP,
  TIKTOK_CSP,
  VIDEO_URL,
  fixture,
  leakedRequests,
  openOptions,
  openPopup,
  serveTikTok,
  swEval,
  withExtension,
} from './helpers.js';

const VERDICTS = ['organic', 'disclosed', 'unclear', 'undisclosed'];
/** Per test: a hung browser fails the test instead of the whole run hanging. */
const LIMIT = { timeout: 60_000 };

/** Open the fixture video page under `csp` and wait for the content script's answer. */
async function engineAnswer(context, csp) {
  await serveTikTok(context, { html: await fixture('video.html'), csp });
  const page = await context.newPage();
  await page.goto(VIDEO_URL);
  // The detail container is the page's one card; its id comes from the URL (no JSON on this page).
  await page.waitForSelector('[data-e2e="browse-video"][data-deinfluencer-verdict]', { state: 'attached', timeout: 15_000 });
  const answer = await page.evaluate(() => ({
    engine: document.documentElement.dataset.deinfluencerEngine,
    verdict: document.querySelector('[data-e2e="browse-video"]').getAttribute('data-deinfluencer-verdict'),
  }));
  return { page, ...answer };
}

/** The version string the shipped wasm reports, loaded straight in Node. */
async function shippedEngineVersion() {
  // dist/ has no package.json, so copy the glue to an .mjs to load it as an ES module.
  const dir = await mkdtemp(join(tmpdir(), 'deinfluencer-glue-'));
  try {
    await copyFile(join(DIST_CHROME, 'pkg', 'deinfluencer.js'), join(dir, 'deinfluencer.mjs'));
    const glue = await import(pathToFileURL(join(dir, 'deinfluencer.mjs')).href);
    await glue.default({ module_or_path: await readFile(join(DIST_CHROME, 'pkg', 'deinfluencer_bg.wasm')) });
    return glue.engineVersion();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('with TikTok CSP, the engine runs in the content script and answers', LIMIT, async (t) => {
  await withExtension(t, async ({ context }) => {
    const { engine, verdict } = await engineAnswer(context, TIKTOK_CSP);
    assert.equal(engine, 'content-script');
    assert.ok(VERDICTS.includes(verdict), `verdict attribute: ${verdict}`);
  });
});

test('with a CSP that forbids wasm, the page still gets a verdict via the service worker', LIMIT, async (t) => {
  await withExtension(t, async ({ context }) => {
    const { engine, verdict } = await engineAnswer(context, STRICT_CSP);
    assert.equal(engine, 'service-worker');
    assert.ok(VERDICTS.includes(verdict), `verdict attribute: ${verdict}`);
  });
});

test('the popup switch persists across reopening and is stored by the service worker', LIMIT, async (t) => {
  await withExtension(t, async ({ context, extensionId, serviceWorker }) => {
    let popup = await openPopup(context, extensionId);
    const toggle = popup.getByRole('switch');
    assert.equal(await toggle.isChecked(), true, 'hints are on by default');
    assert.ok((await popup.locator('label[for="enabled"]').textContent()).trim().length > 0, 'the switch has a label');

    await toggle.click();
    await popup.waitForSelector('html[data-state="ready"]');
    assert.equal(await toggle.isChecked(), false);
    await popup.close();

    popup = await openPopup(context, extensionId);
    assert.equal(await popup.getByRole('switch').isChecked(), false, 'still off after reopening');

    const stored = await swEval(serviceWorker, async () => (await chrome.storage.sync.get('settings')).settings);
    assert.equal(stored.enabled, false);
  });
});

test('the options page shows the engine version reported by the wasm', LIMIT, async (t) => {
  await withExtension(t, async ({ context, extensionId }) => {
    const expected = await shippedEngineVersion();
    assert.ok(expected.length > 0);
    const options = await openOptions(context, extensionId);
    const version = options.locator('#engine-version[data-state="ready"]');
    await version.waitFor();
    assert.equal((await version.textContent()).trim(), expected);
    assert.equal(await options.getByRole('switch').isChecked(), true);
  });
});

test('no request leaves the browser except the routed TikTok documents', LIMIT, async (t) => {
  await withExtension(t, async (extension) => {
    const { context, extensionId } = extension;
    const tiktok = await engineAnswer(context, TIKTOK_CSP);
    assert.ok(VERDICTS.includes(tiktok.verdict));
    const options = await openOptions(context, extensionId);
    await options.locator('#engine-version[data-state="ready"]').waitFor();
    const popup = await openPopup(context, extensionId);
    await popup.getByRole('switch').click();
    await popup.waitForSelector('html[data-state="ready"]');
    // A second page under the strict CSP exercises the service-worker path too.
    await serveTikTok(context, { html: await fixture('video.html'), csp: STRICT_CSP });
    const strict = await context.newPage();
    await popup.getByRole('switch').click(); // back on, so the second page boots
    await popup.waitForSelector('html[data-state="ready"]');
    await strict.goto(VIDEO_URL);
    await strict.waitForSelector('[data-deinfluencer-verdict]', { state: 'attached', timeout: 15_000 });
    await strict.waitForTimeout(500); // give any stray request a chance to show up

    assert.ok(extension.requests.length >= 2, 'the recorder saw the two TikTok documents');
    assert.deepEqual(leakedRequests(extension), []);
  });
});
