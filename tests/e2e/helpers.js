// End-to-end helpers: Debian's Chromium, headless, with the built extension (dist/chrome) loaded into a
// fresh profile, and TikTok pages served from fixtures at their real URLs. Nothing reaches the network:
// every request that is not an extension resource or a routed TikTok document is aborted and recorded.
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST_CHROME = join(ROOT, 'dist', 'chrome');
export const ARTIFACTS = join(ROOT, 'tests', 'e2e', 'artifacts');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** TikTok's CSP as quoted in public threads (tiktok-page.md §11): allows 'unsafe-eval', hence wasm. */
export const TIKTOK_CSP = [
  "default-src 'self' 'unsafe-eval' 'unsafe-inline' blob: bytedance: data: *.tiktok.com *.tiktokcdn.com *.ttwstatic.com",
  "script-src 'nonce-dGVzdC1ub25jZQ' 'unsafe-eval' sf16-website-login.neutral.ttwstatic.com s20.tiktokcdn.com *.tiktokcdn-us.com",
].join('; ');

/** A strict CSP with neither 'unsafe-eval' nor 'wasm-unsafe-eval': Chrome refuses content-script wasm. */
export const STRICT_CSP = "default-src 'self'; script-src 'self'; object-src 'none'";

/** The real URL of a TikTok video page (tiktok-page.md §2). */
export const VIDEO_URL = 'https://www.tiktok.com/@someone/video/7234567890123456789';

/** The TikTok documents serveTikTok() answered, per context. */
const SERVED = new WeakMap();

/** Requests that never leave the browser. */
const isLocal = (url) => /^(chrome-extension|data|blob|about|chrome):/.test(url);

/**
 * Launch Chromium with an unpacked extension in a fresh, throw-away profile.
 * @param {string} [extensionDir]
 * @param {{lang?: string, profile?: string}} [options]  `lang`: the browser's UI language (the extension's
 *   locale); `profile`: a user-data directory to use and keep (a browser restart), else a fresh one removed on close
 * @returns {Promise<{context: import('playwright-core').BrowserContext, extensionId: string,
 *   serviceWorker: import('playwright-core').Worker, requests: import('playwright-core').Request[],
 *   close: () => Promise<void>}>}  `requests` records every request that was not extension-local.
 */
export async function launch(extensionDir = DIST_CHROME, { lang, profile: kept } = {}) {
  const profile = kept ?? (await mkdtemp(join(tmpdir(), 'deinfluencer-e2e-')));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        `--disable-extensions-except=${extensionDir}`,
        `--load-extension=${extensionDir}`,
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        ...(lang ? [`--lang=${lang}`] : []),
      ],
      ...(lang ? { locale: lang, env: { ...process.env, LANGUAGE: lang, LANG: `${lang}.UTF-8` } } : {}),
    });
  } catch (error) {
    if (!kept) await rm(profile, { recursive: true, force: true });
    throw error;
  }

  // The recorder: every non-local request any page or worker of this context makes.
  /** @type {import('playwright-core').Request[]} */
  const requests = [];
  context.on('request', (request) => {
    if (!isLocal(request.url())) requests.push(request);
  });
  SERVED.set(context, new Set());
  // Block everything; serveTikTok() adds a more specific route (later routes win).
  await context.route('**', (route) => (isLocal(route.request().url()) ? route.continue() : route.abort('blockedbyclient')));

  const close = async () => {
    await context.close().catch(() => {});
    if (!kept) await rm(profile, { recursive: true, force: true });
  };

  let [serviceWorker] = context.serviceWorkers();
  try {
    serviceWorker ??= await context.waitForEvent('serviceworker', { timeout: 15_000 });
  } catch (error) {
    await close();
    throw new Error(`the extension's service worker did not start (is ${extensionDir} built and valid?): ${error.message}`);
  }
  const extensionId = new URL(serviceWorker.url()).host;
  return { context, extensionId, serviceWorker, requests, close };
}

/**
 * Serve TikTok at its real URLs, with the given CSP header on documents. `html` answers navigations
 * to https://www.tiktok.com/… (a string, or a function of the URL for a multi-page site); `resources`
 * (optional, a function of the URL returning `{contentType, body}` or undefined) answers the page's
 * other requests (its scripts, styles and /api/… calls). Anything else asked of tiktok.com gets a 404
 * and stays in the recorder as not served.
 * @param {import('playwright-core').BrowserContext} context
 * @param {{html: string | ((url: URL) => string), csp?: string,
 *   resources?: (url: URL) => ({contentType: string, body: string} | undefined)}} site
 */
export async function serveTikTok(context, { html, csp = TIKTOK_CSP, resources }) {
  await context.route('https://www.tiktok.com/**', (route) => {
    const request = route.request();
    const url = new URL(request.url());
    if (!request.isNavigationRequest()) {
      const resource = resources?.(url);
      if (!resource) return route.fulfill({ status: 404, body: '' });
      SERVED.get(context)?.add(request);
      return route.fulfill({ status: 200, headers: { 'content-type': resource.contentType }, body: resource.body });
    }
    SERVED.get(context)?.add(request);
    return route.fulfill({
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp },
      body: typeof html === 'function' ? html(url) : html,
    });
  });
}

/**
 * The recorded requests that were not a TikTok document or resource served by serveTikTok(): everything that
 * would have left the browser. Each as "METHOD URL (resource type, initiator frame or worker)".
 * @param {{context: import('playwright-core').BrowserContext, requests: import('playwright-core').Request[]}} extension
 */
export function leakedRequests({ context, requests }) {
  const served = SERVED.get(context) ?? new Set();
  return requests
    .filter((request) => !served.has(request))
    .map((request) => `${request.method()} ${request.url()} (${request.resourceType()})`);
}

/** Read a fixture page from tests/e2e/pages/. */
export function fixture(name) {
  return readFile(join(ROOT, 'tests', 'e2e', 'pages', name), 'utf8');
}

/** Open an extension page and wait until its settings have loaded (`<html data-state="ready">`). */
async function openExtensionPage(context, extensionId, path) {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/${path}`);
  await page.waitForSelector('html[data-state="ready"]');
  return page;
}

/** The toolbar popup, opened as a tab (same document, same code). */
export const openPopup = (context, extensionId) => openExtensionPage(context, extensionId, 'popup.html');

/** The options page. */
export const openOptions = (context, extensionId) => openExtensionPage(context, extensionId, 'options.html');

/**
 * Run a function inside the extension's service worker (e.g. to read chrome.storage).
 * @template T, A
 * @param {import('playwright-core').Worker} serviceWorker
 * @param {(arg: A) => T | Promise<T>} fn
 * @param {A} [arg]
 */
export function swEval(serviceWorker, fn, arg) {
  return serviceWorker.evaluate(fn, arg);
}

/**
 * Poll the service worker until its ledger holds `size` posts (the content scripts report once per frame).
 * @param {import('playwright-core').Worker} serviceWorker
 * @param {number} size
 */
export async function waitForLedgerSize(serviceWorker, size, timeout = 15_000) {
  let have = -1;
  for (const end = Date.now() + timeout; Date.now() < end; ) {
    have = await swEval(serviceWorker, async () => (await globalThis.deinfluencer.ledger()).size);
    if (have === size) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the ledger holds ${have} posts, want ${size}`);
}

/**
 * Assert what a damaged stored ledger leaves in `storage.local` (`stored`: all of it) once recording went
 * on: the damaged text kept aside once, the notice set, a good ledger in its place.
 */
export function assertDamagedKept(stored, damaged) {
  const kept = Object.entries(stored).filter(([key]) => key.startsWith('ledger_damaged_'));
  assert.equal(kept.length, 1, 'the damaged text is kept');
  assert.equal(kept[0][1], damaged);
  assert.equal(stored.ledgerNotice?.kind, 'damaged');
  assert.equal(typeof stored.ledger, 'string');
  assert.notEqual(stored.ledger, damaged, 'a good ledger replaced the damaged one');
}

/**
 * Stop the extension's service worker as Chrome does when it kills an idle or stuck worker (CDP
 * `ServiceWorker.stopAllWorkers`, through `page`'s session), then wake a new one by opening an extension
 * page. Returns the worker: Playwright's handle (same target) then evaluates in the new worker's realm.
 * @param {import('playwright-core').BrowserContext} context
 * @param {import('playwright-core').Page} page  any open page
 * @param {string} extensionId
 */
export async function restartServiceWorker(context, page, extensionId) {
  const cdp = await context.newCDPSession(page);
  let status = '';
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const v of versions) if (v.scriptURL.startsWith(`chrome-extension://${extensionId}/`)) status = v.runningStatus;
  });
  const reached = async (wanted) => {
    for (const end = Date.now() + 15_000; status !== wanted; await new Promise((resolve) => setTimeout(resolve, 20))) {
      if (Date.now() > end) throw new Error(`the service worker is ${status}, not ${wanted}`);
    }
  };
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await reached('stopped');
  const waker = await context.newPage();
  await waker.goto(`chrome-extension://${extensionId}/options.html`);
  await reached('running');
  await waker.close();
  await cdp.detach();
  const serviceWorker = context.serviceWorkers().find((worker) => worker.url().startsWith(`chrome-extension://${extensionId}/`));
  if (!serviceWorker) throw new Error('the service worker did not start again');
  return serviceWorker;
}

/**
 * Launch, run `fn`, and always close. On failure, save a screenshot of every open page to
 * tests/e2e/artifacts/ before re-throwing.
 * @param {import('node:test').TestContext} t
 * @param {(extension: Awaited<ReturnType<typeof launch>>) => Promise<void>} fn
 * @param {{lang?: string}} [options]  `lang`: the browser's UI language (e.g. `vi`), so the extension's
 *   strings come from that locale
 */
export async function withExtension(t, fn, options) {
  const extension = await launch(DIST_CHROME, options);
  try {
    await fn(extension);
  } catch (error) {
    await saveScreenshots(t.name, extension.context);
    throw error;
  } finally {
    await extension.close();
  }
}

async function saveScreenshots(testName, context) {
  await mkdir(ARTIFACTS, { recursive: true });
  const slug = testName.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').slice(0, 80);
  let index = 0;
  for (const page of context.pages()) {
    if (page.url() === 'about:blank') continue;
    const file = join(ARTIFACTS, `${slug}-${index++}.png`);
    try {
      await page.screenshot({ path: file, fullPage: true, timeout: 5_000 });
      console.error(`screenshot saved: ${file} (${page.url()})`);
    } catch {
      // a closed or crashed page has nothing to show
    }
  }
}
