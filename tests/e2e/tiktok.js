// Helpers for driving the fake TikTok (site.js) with the extension loaded: open a route, wait for
// verdicts, read the hints (open shadow roots), collect console errors.
import { serveTikTok, TIKTOK_CSP } from './helpers.js';
import { documentFor, resourceFor } from './site.js';

export const ORIGIN = 'https://www.tiktok.com';

/** Serve the fake TikTok under `csp` in this context. */
export function serveSite(context, csp = TIKTOK_CSP) {
  return serveTikTok(context, { html: documentFor, resources: resourceFor, csp });
}

/**
 * Console errors and uncaught exceptions of a page, minus what the page itself causes on purpose
 * (the strict CSP refusing content-script wasm is the expected fallback, not an error of ours).
 */
export function watchConsole(page) {
  const errors = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (/WebAssembly|wasm-unsafe-eval|unsafe-eval/.test(text)) return;
    errors.push(`console: ${text}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

/**
 * Open `path` on the fake TikTok in a new tab and wait until its app rendered.
 * @returns {Promise<{page: import('playwright-core').Page, errors: string[]}>}
 */
export async function openTikTok(context, path) {
  const page = await context.newPage();
  const errors = watchConsole(page);
  await page.goto(ORIGIN + path);
  await waitLoaded(page);
  return { page, errors };
}

/** Wait until the fake app finished rendering its current route. */
export function waitLoaded(page, path) {
  return page.waitForFunction(
    (wanted) => document.body?.dataset.loaded && (!wanted || document.body.dataset.loaded === wanted),
    path ?? null,
    { timeout: 15_000 },
  );
}

/** In the page: every judged card as {id, verdict, selfPromo, hint: {kind, id, text} | null}. */
function readCardsInPage() {
  const idOf = (card) => {
    const link = card.querySelector('a[href*="/video/"], a[href*="/photo/"]');
    const fromLink = link && /\/(?:video|photo)\/(\d+)/.exec(link.getAttribute('href'))?.[1];
    const player = card.querySelector('div[id^="xgwrapper-"]');
    const fromPlayer = player && /-(\d+)$/.exec(player.id)?.[1];
    const fromPath = /\/video\/(\d+)/.exec(location.pathname)?.[1];
    return card.matches('[data-e2e="browse-video"]') ? fromPath : (fromLink ?? fromPlayer ?? null);
  };
  return [...document.querySelectorAll('[data-deinfluencer-verdict]')].map((card) => {
    const hosts = card.querySelectorAll('deinfluencer-hint, [data-deinfluencer-hint]');
    const host = hosts[0];
    return {
      id: idOf(card),
      verdict: card.getAttribute('data-deinfluencer-verdict'),
      selfPromo: card.getAttribute('data-deinfluencer-self-promo') === 'true',
      hosts: hosts.length,
      hint: host
        ? {
            kind: host.getAttribute('data-kind'),
            id: host.getAttribute('data-id'),
            theme: host.getAttribute('data-theme'),
            text: host.shadowRoot?.querySelector('.pill .text')?.textContent ?? null,
          }
        : null,
    };
  });
}

/** Put readCardsInPage into the page as window.__readCards (an expression: no eval under any CSP). */
async function installReader(page) {
  await page.evaluate(`window.__readCards = ${readCardsInPage.toString()}; true`);
}

/** Every judged card on the page. */
export function readCards(page) {
  return page.evaluate(readCardsInPage);
}

/**
 * Wait until every id in `expected` (id → verdict) has that verdict (and, for ids in `hints`, that
 * hint kind). Returns the cards.
 */
export async function waitForVerdicts(page, expected, timeout = 15_000) {
  try {
    await installReader(page);
    await page.waitForFunction(
      (want) => {
        const cards = window.__readCards();
        return Object.entries(want).every(([id, verdict]) => cards.some((c) => c.id === id && c.verdict === verdict));
      },
      expected,
      { timeout },
    );
  } catch (error) {
    const cards = await readCards(page).catch(() => []);
    throw new Error(`verdicts not reached: want ${JSON.stringify(expected)}, have ${JSON.stringify(cards.map((c) => [c.id, c.verdict]))}: ${error.message}`);
  }
  return readCards(page);
}

/** The number of hint hosts in the page. */
export function hintCount(page) {
  return page.evaluate(() => document.querySelectorAll('deinfluencer-hint, [data-deinfluencer-hint]').length);
}
