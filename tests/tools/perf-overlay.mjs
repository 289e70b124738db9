#!/usr/bin/env node
// Measures the overlay's cost on the fake TikTok feed (tests/e2e/site.js) in headless Chromium.
// Run by hand after ./build.sh (not part of ./build.sh test: it takes about a minute):
//
//   node tests/tools/perf-overlay.mjs [--cards 500] [--runs 3] [--csp tiktok|strict]
//
// 1. Latency, card → hint: a MAIN-world MutationObserver stamps each feed card when it enters the DOM
//    and again when the extension sets its data-deinfluencer-verdict (and when its hint host appears);
//    p50/p95/max over every card of the run.
// 2. Main-thread cost while scrolling a feed that grows to N cards (the page loads 20 more each time the
//    bottom comes near; with --virtual K it loads 6 and keeps only K cards in the DOM, as TikTok does): Chrome's own Performance metrics (CDP Performance.getMetrics: TaskDuration,
//    ScriptDuration) over the scroll, with the extension vs the same run without it, alternating runs
//    and reporting the medians.
import { chromium } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, DIST_CHROME, STRICT_CSP, TIKTOK_CSP, serveTikTok } from '../e2e/helpers.js';
import { documentFor, resourceFor } from '../e2e/site.js';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : fallback;
};
const CARDS = Number(option('cards', 500));
const RUNS = Number(option('runs', 3));
const CSP = option('csp', 'tiktok') === 'strict' ? STRICT_CSP : TIKTOK_CSP;
/** `--hide-hints`: judge every card but draw no hint (all kinds unticked in the options). */
const HIDE_HINTS = args.includes('--hide-hints');
/** `--virtual N`: the feed keeps at most N cards in the DOM, as TikTok's virtualised feed does. */
const VIRTUAL = Number(option('virtual', 0));

/** Stamps, in the page's own world, when cards enter and when the extension marks them. */
function instrument() {
  window.__perf = { added: new Map(), verdict: new Map(), hint: new Map() };
  const now = () => performance.now();
  new MutationObserver((records) => {
    const t = now();
    for (const record of records) {
      if (record.type === 'attributes') {
        const card = record.target;
        if (card.hasAttribute('data-deinfluencer-verdict') && !window.__perf.verdict.has(card)) window.__perf.verdict.set(card, t);
        continue;
      }
      for (const node of record.addedNodes) {
        if (node.nodeType !== 1) continue;
        if (node.localName === 'deinfluencer-hint') {
          const card = node.closest('article');
          if (card && !window.__perf.hint.has(card)) window.__perf.hint.set(card, t);
        } else if (node.matches('article[data-e2e="recommend-list-item-container"]')) {
          window.__perf.added.set(node, t);
        }
      }
    }
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-deinfluencer-verdict'] });
}

/** In the page: scroll down frame by frame, loading more cards near the bottom, until `target` cards. */
async function scrollFeed([target, batch]) {
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const count = () => window.__perf.added.size;
  let steps = 0;
  while (true) {
    window.scrollBy(0, 240);
    await frame();
    steps++;
    const nearBottom = window.scrollY + innerHeight * 3 >= document.documentElement.scrollHeight;
    if (nearBottom) {
      if (count() >= target) {
        if (window.scrollY + innerHeight >= document.documentElement.scrollHeight - 2) break;
      } else {
        await window.__fixture.loadMore(Math.min(batch, target - count()));
      }
    }
  }
  // A few quiet frames so the last batch is included.
  for (let i = 0; i < 10; i++) await frame();
  return { steps, cards: count() };
}

function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const median = (values) => percentile(values, 50);
const ms = (value) => `${value.toFixed(1)} ms`;

async function run(withExtension) {
  const profile = await mkdtemp(join(tmpdir(), 'deinfluencer-perf-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      ...(withExtension ? [`--disable-extensions-except=${DIST_CHROME}`, `--load-extension=${DIST_CHROME}`] : ['--disable-extensions']),
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    await context.route('**', (route) =>
      /^(chrome-extension|data|blob|about|chrome):/.test(route.request().url()) ? route.continue() : route.abort('blockedbyclient'),
    );
    await serveTikTok(context, { html: documentFor, resources: resourceFor, csp: CSP });
    if (withExtension) {
      const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
      if (HIDE_HINTS) {
        const show = { undisclosed: false, unclear: false, self_promo: false, disclosed: false, organic: false };
        await worker.evaluate((value) => chrome.storage.sync.set({ settings: { enabled: true, show: value } }), show);
      }
    }
    const page = await context.newPage();
    await page.addInitScript(instrument);
    await page.goto(`https://www.tiktok.com/foryou${VIRTUAL ? `?virtual=${VIRTUAL}` : ''}`);
    await page.waitForFunction(() => document.body?.dataset.loaded);
    if (withExtension) {
      await page.waitForFunction(() => document.querySelectorAll('[data-deinfluencer-verdict]').length >= 9);
    }
    await page.waitForTimeout(300);

    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const metrics = async () =>
      Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    const before = await metrics();
    const t0 = Date.now();
    const scrolled = await page.evaluate(scrollFeed, [CARDS, VIRTUAL ? 6 : 20]);
    if (withExtension) {
      await page.waitForFunction(
        () => document.querySelectorAll('article:not([data-deinfluencer-verdict])').length === 0,
        null,
        { timeout: 30_000 },
      );
    }
    const after = await metrics();
    const wall = Date.now() - t0;

    const latency = await page.evaluate(() => {
      const verdict = [];
      const hint = [];
      for (const [card, added] of window.__perf.added) {
        if (window.__perf.verdict.has(card)) verdict.push(window.__perf.verdict.get(card) - added);
        if (window.__perf.hint.has(card)) hint.push(window.__perf.hint.get(card) - added);
      }
      return { verdict, hint, cards: window.__perf.added.size };
    });
    const engine = await page.evaluate(() => document.documentElement.dataset.deinfluencerEngine ?? 'none');
    return {
      engine,
      wall,
      scrolled,
      task: (after.TaskDuration - before.TaskDuration) * 1000,
      script: (after.ScriptDuration - before.ScriptDuration) * 1000,
      layout: (after.LayoutDuration - before.LayoutDuration) * 1000,
      style: (after.RecalcStyleDuration - before.RecalcStyleDuration) * 1000,
      latency,
    };
  } finally {
    await context.close().catch(() => {});
    await rm(profile, { recursive: true, force: true });
  }
}

const withRuns = [];
const withoutRuns = [];
for (let i = 0; i < RUNS; i++) {
  withoutRuns.push(await run(false));
  withRuns.push(await run(true));
  const a = withRuns.at(-1);
  const b = withoutRuns.at(-1);
  console.log(
    `run ${i + 1}: ${a.scrolled.cards} cards, ${a.scrolled.steps} scroll frames; ` +
      `TaskDuration ${ms(a.task)} with vs ${ms(b.task)} without; ScriptDuration ${ms(a.script)} vs ${ms(b.script)}; ` +
      `RecalcStyle ${ms(a.style)} vs ${ms(b.style)}; Layout ${ms(a.layout)} vs ${ms(b.layout)}`,
  );
}

const verdictLatencies = withRuns.flatMap((r) => r.latency.verdict);
const hintLatencies = withRuns.flatMap((r) => r.latency.hint);
const taskWith = median(withRuns.map((r) => r.task));
const taskWithout = median(withoutRuns.map((r) => r.task));
const scriptWith = median(withRuns.map((r) => r.script));
const scriptWithout = median(withoutRuns.map((r) => r.script));

console.log(
  `\nDeinfluencer overlay, ${CARDS}-card feed${VIRTUAL ? ` (virtualised: ${VIRTUAL} cards in the DOM)` : ' (every card stays in the DOM)'}, ` +
    `${RUNS} runs each, engine: ${withRuns[0].engine}, CSP: ${CSP === STRICT_CSP ? 'strict' : 'TikTok'}${HIDE_HINTS ? ', hints hidden' : ''}`,
);
console.log(
  `card → verdict attribute: p50 ${ms(percentile(verdictLatencies, 50))}, p95 ${ms(percentile(verdictLatencies, 95))}, ` +
    `max ${ms(Math.max(...verdictLatencies))} (${verdictLatencies.length} cards)`,
);
console.log(
  `card → hint:              p50 ${ms(percentile(hintLatencies, 50))}, p95 ${ms(percentile(hintLatencies, 95))}, ` +
    `max ${ms(Math.max(...hintLatencies))} (${hintLatencies.length} cards with a hint)`,
);
console.log(
  `main thread while scrolling (median): TaskDuration ${ms(taskWith)} with vs ${ms(taskWithout)} without ` +
    `(+${ms(taskWith - taskWithout)}, ${(((taskWith - taskWithout) / taskWithout) * 100).toFixed(1)} %); ` +
    `ScriptDuration ${ms(scriptWith)} vs ${ms(scriptWithout)} (+${ms(scriptWith - scriptWithout)})`,
);
console.log(`wall time of the scroll (median): ${median(withRuns.map((r) => r.wall))} ms with, ${median(withoutRuns.map((r) => r.wall))} ms without`);
