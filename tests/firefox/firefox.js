// End-to-end helpers for Firefox ESR (Debian `firefox-esr`), driven by puppeteer-core over WebDriver BiDi:
// the built extension (dist/firefox) installed as a temporary add-on into a fresh profile, and the stand-in
// TikTok of tests/e2e/site.js served at its real https://www.tiktok.com URLs by BiDi request interception.
//
// Nothing can reach the network unnoticed: Firefox is pointed at a local "sink" proxy that records every
// connection it is asked for and refuses it, and DNS is switched off. Intercepted TikTok requests are
// answered inside the browser (they never reach the proxy), so the sink must stay empty.
import puppeteer from 'puppeteer-core';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ARTIFACTS, ROOT, TIKTOK_CSP } from '../e2e/helpers.js';
import { documentFor, resourceFor } from '../e2e/site.js';
import { readCards, watchConsole } from '../e2e/tiktok.js';

export const DIST_FIREFOX = join(ROOT, 'dist', 'firefox');
export const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';
export const ORIGIN = 'https://www.tiktok.com';

/** The add-on id from the built manifest (installExtension answers with it). */
function addonId() {
  const manifest = JSON.parse(readFileSync(join(DIST_FIREFOX, 'manifest.json'), 'utf8'));
  return manifest.browser_specific_settings.gecko.id;
}

/**
 * A local HTTP proxy that answers every request with 403 and records what was asked: the place every
 * connection the browser tries ends up (its CONNECT line, or the plain-HTTP request line).
 * @returns {Promise<{port: number, hits: string[], close: () => Promise<void>}>}
 */
async function startSinkProxy() {
  const hits = [];
  const sockets = new Set();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.once('data', (data) => {
      hits.push(data.toString('latin1').split('\r\n', 1)[0]);
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: /** @type {import('node:net').AddressInfo} */ (server.address()).port,
    hits,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Firefox preferences: every connection through the sink, no DNS, no background chatter. */
function quietPrefs(proxyPort, uuid, id) {
  return {
    'network.proxy.type': 1,
    'network.proxy.http': '127.0.0.1',
    'network.proxy.http_port': proxyPort,
    'network.proxy.ssl': '127.0.0.1',
    'network.proxy.ssl_port': proxyPort,
    'network.proxy.no_proxies_on': '',
    'network.proxy.allow_hijacking_localhost': true,
    // Proves interception happens before any lookup: a request that escaped could not even resolve.
    'network.dns.disabled': true,
    'network.dns.disablePrefetch': true,
    'network.predictor.enabled': false,
    'network.prefetch-next': false,
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    // Remote Settings ignores this override on release builds unless MOZ_REMOTE_SETTINGS_DEVTOOLS=1.
    'services.settings.server': 'data:,#remote-settings-dummy/v1',
    // The browser's own favicon request is not the page's nor the extension's.
    'browser.chrome.site_icons': false,
    // A known moz-extension://<uuid>/ for the add-on, so tests can open its pages.
    'extensions.webextensions.uuids': JSON.stringify({ [id]: uuid }),
  };
}

/**
 * Launch Firefox ESR headless with dist/firefox installed as a temporary add-on, in a fresh profile
 * (puppeteer creates it and deletes it on close).
 * @param {{prefs?: Record<string, string | number | boolean>}} [options]  extra Firefox preferences
 */
export async function launchFirefox({ prefs = {} } = {}) {
  const sink = await startSinkProxy();
  const id = addonId();
  const uuid = randomUUID();
  let browser;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      // Lets WebDriver BiDi navigate a tab to moz-extension:// (the popup and options pages).
      args: ['--remote-allow-system-access'],
      env: { ...process.env, MOZ_REMOTE_SETTINGS_DEVTOOLS: '1' },
      extraPrefsFirefox: { ...quietPrefs(sink.port, uuid, id), ...prefs },
      // A hung WebDriver BiDi call fails the test instead of stalling the suite (the default is 180 s).
      protocolTimeout: 60_000,
    });
  } catch (error) {
    await sink.close();
    throw new Error(`could not launch ${FIREFOX} (is firefox-esr installed?): ${error.message}`);
  }
  let closing = null;
  const close = () =>
    (closing ??= (async () => {
      await browser.close().catch(() => {});
      await sink.close();
    })());
  try {
    const installed = await browser.installExtension(DIST_FIREFOX);
    if (installed !== id) throw new Error(`installed add-on id ${installed}, manifest says ${id}`);
  } catch (error) {
    await close();
    throw new Error(`dist/firefox did not install as a temporary add-on (is it built and valid?): ${error.message}`);
  }
  return new FirefoxExtension(browser, uuid, sink, close);
}

class FirefoxExtension {
  /** TikTok requests the stand-in site answered (documents and resources), as "METHOD URL". */
  served = [];
  /** Intercepted requests the stand-in site could not answer or that were not for TikTok. */
  unserved = [];

  constructor(browser, uuid, sink, close) {
    /** @type {import('puppeteer-core').Browser} */
    this.browser = browser;
    this.uuid = uuid;
    this.sink = sink;
    this.close = close;
  }

  /** The moz-extension:// URL of an extension file. */
  url(path) {
    return `moz-extension://${this.uuid}/${path}`;
  }

  /**
   * Every request that was not answered inside the browser by the stand-in site: what reached the sink
   * proxy (would have left the machine) and what the interception had to refuse.
   */
  leakedRequests() {
    return [...this.sink.hits.map((line) => `proxy: ${line}`), ...this.unserved];
  }

  /**
   * A new tab whose requests to https://www.tiktok.com are answered by the stand-in site, with `csp` on
   * its documents. Requests the site has no answer for get a 404 and count as leaked. `site` replaces the
   * stand-in's answers (`{html(url), resources(url)}`, e.g. hostileSite() of tests/e2e/tiktok.js);
   * `initScripts` run in the page before any of its own scripts, in order.
   * @param {string} [csp]
   * @param {{site?: {html: (url: URL) => string, resources: (url: URL) => {contentType: string, body: string} | null}, initScripts?: Function[]}} [options]
   */
  async newTikTokTab(csp = TIKTOK_CSP, { site = { html: documentFor, resources: resourceFor }, initScripts = [] } = {}) {
    const page = await this.browser.newPage();
    const errors = watchConsole(page);
    for (const script of initScripts) await page.evaluateOnNewDocument(script);
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const raw = request.url();
      if (!/^https?:/.test(raw)) return void request.continue();
      const url = new URL(raw);
      const line = `${request.method()} ${raw}`;
      if (url.origin !== ORIGIN) {
        this.unserved.push(line);
        return void request.abort();
      }
      if (request.isNavigationRequest()) {
        this.served.push(line);
        return void request.respond({
          status: 200,
          headers: { 'content-security-policy': csp },
          contentType: 'text/html; charset=utf-8',
          body: site.html(url),
        });
      }
      const resource = site.resources(url);
      if (!resource) {
        this.unserved.push(line);
        return void request.respond({ status: 404, contentType: 'text/plain', body: '' });
      }
      this.served.push(line);
      return void request.respond({ status: 200, contentType: resource.contentType, body: resource.body });
    });
    return { page, errors };
  }

  /**
   * Open `path` on the stand-in TikTok in a new tab and wait until its app rendered.
   * @param {string} path
   * @param {{csp?: string, site?: object, initScripts?: Function[]}} [options]  see newTikTokTab()
   */
  async openTikTok(path, { csp, site, initScripts } = {}) {
    const tab = await this.newTikTokTab(csp, { site, initScripts });
    await tab.page.goto(ORIGIN + path);
    await waitLoaded(tab.page);
    return tab;
  }

  /**
   * Open an extension page (e.g. `popup.html?tab=3`) in a new tab and wait until it is ready
   * (`<html data-state="ready">`).
   */
  async openExtensionPage(path) {
    const page = await this.browser.newPage();
    // Not page.goto(): it waits for a network response, and a moz-extension:// load reports none.
    await page.mainFrame().browsingContext.navigate(this.url(path), 'complete');
    await page.waitForSelector('html[data-state="ready"]', { timeout: 30_000 });
    return page;
  }
}

/** Wait until the stand-in app finished rendering its current route (`path`, when given). */
export function waitLoaded(page, path) {
  return page.waitForFunction(
    (wanted) => document.body?.dataset.loaded && (!wanted || document.body.dataset.loaded === wanted),
    { timeout: 30_000 },
    path ?? null,
  );
}

/**
 * Send a typed message from an extension page (so the background's sender checks pass) and unwrap
 * the reply, like messages.js send().
 * @param {import('puppeteer-core').Page} page  an extension page
 */
export function sendFrom(page, message) {
  return page.evaluate(async (m) => {
    const reply = await globalThis.browser.runtime.sendMessage(m);
    if (!reply?.ok) throw new Error(reply?.error ?? `no reply to ${m.type}`);
    return reply.result;
  }, message);
}

/**
 * Poll `read` (every 100 ms) until `done(value)` holds; returns that value, or throws naming `what`
 * and the last value read.
 */
export async function pollUntil(read, done, { timeout = 30_000, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let value;
  for (;;) {
    value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} not reached in ${timeout} ms; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every judged card, once every id in `expected` (id → verdict) has that verdict. */
export function waitForVerdicts(page, expected) {
  return pollUntil(
    () => readCards(page),
    (cards) => Object.entries(expected).every(([id, verdict]) => cards.some((c) => c.id === id && c.verdict === verdict)),
    { what: `verdicts ${JSON.stringify(expected)}` },
  );
}

/**
 * Launch, run `fn`, always close. On failure, save a screenshot of every open tab to
 * tests/e2e/artifacts/firefox-<test>-<n>.png before re-throwing.
 * @param {import('node:test').TestContext} t
 * @param {(extension: FirefoxExtension) => Promise<void>} fn
 * @param {{prefs?: Record<string, string | number | boolean>}} [options]  see launchFirefox()
 */
export async function withFirefox(t, fn, options) {
  const extension = await launchFirefox(options);
  // A test that times out is abandoned mid-await: closing the browser then makes its pending calls
  // fail, so the test file's process can exit instead of waiting on an open connection.
  const onAbort = () => extension.close();
  t.signal.addEventListener('abort', onAbort, { once: true });
  try {
    await fn(extension);
  } catch (error) {
    await saveScreenshots(t.name, extension.browser);
    throw error;
  } finally {
    t.signal.removeEventListener('abort', onAbort);
    await extension.close();
  }
}

async function saveScreenshots(testName, browser) {
  await mkdir(ARTIFACTS, { recursive: true });
  const slug = testName.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').slice(0, 80);
  let index = 0;
  for (const page of await browser.pages().catch(() => [])) {
    const file = join(ARTIFACTS, `firefox-${slug}-${index++}.png`);
    try {
      await page.screenshot({ path: file, fullPage: true });
      console.error(`screenshot saved: ${file}`);
    } catch {
      // a closed or crashed tab has nothing to show
    }
  }
}
