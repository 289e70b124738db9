/**
 * Starts the engine for the content script, wherever it can run.
 *
 * First choice: the wasm module inside the content script (no messaging per batch). Chrome applies
 * the page's CSP to wasm compiled in a content script, so on a page whose `script-src` allows neither
 * 'wasm-unsafe-eval' nor 'unsafe-eval' this throws (a CompileError). Then every batch goes to the
 * service worker's engine instead, which no page CSP can block. Either way the caller gets the same
 * {@link Engine}; it never silently does nothing.
 */
import { api } from '../shim.js';
import { MSG, send } from '../messages.js';

/**
 * @typedef {object} Engine
 * @property {'content-script'|'service-worker'} backend  where the wasm runs
 * @property {(posts: import('../messages.js').Post[], lang?: string) => Promise<import('../messages.js').Verdict[]>} classifyPosts
 * @property {(cards: import('../messages.js').Card[], lang?: string) => Promise<import('../messages.js').Verdict[]>} classifyCards
 * @property {(text: string) => Promise<import('../messages.js').Post[]>} readTikTokJson
 * @property {() => Promise<any>} tiktokPageRules  the DOM adapter as data (src/platform/tiktok_page.json)
 * @property {Error|null} localError  why the content-script engine is not used (null when it is)
 */

/** @returns {Promise<Engine>} */
async function startLocal() {
  const glue = await import(api.runtime.getURL('pkg/deinfluencer.js'));
  await glue.default({ module_or_path: api.runtime.getURL('pkg/deinfluencer_bg.wasm') });
  // Build the engine now (word lists, automaton: tens of ms), while the page loads, not at the first card.
  glue.engineVersion();
  return {
    backend: 'content-script',
    localError: null,
    classifyPosts: async (posts, lang) => glue.classifyPosts(posts, lang),
    classifyCards: async (cards, lang) => glue.classifyCards(cards, lang),
    readTikTokJson: async (text) => glue.readTikTokJson(text),
    tiktokPageRules: async () => glue.tiktokPageRules(),
  };
}

/**
 * @param {Error} localError
 * @returns {Engine}
 */
function serviceWorkerEngine(localError) {
  return {
    backend: 'service-worker',
    localError,
    classifyPosts: (posts, lang) => send({ type: MSG.CLASSIFY_POSTS, posts, lang }),
    classifyCards: (cards, lang) => send({ type: MSG.CLASSIFY_CARDS, cards, lang }),
    readTikTokJson: (text) => send({ type: MSG.READ_TIKTOK_JSON, text }),
    tiktokPageRules: () => send({ type: MSG.TIKTOK_PAGE_RULES }),
  };
}

/** @type {Promise<Engine>|null} */
let engine = null;

/**
 * The engine for this page, started once.
 * @returns {Promise<Engine>}
 */
export function bootEngine() {
  engine ??= startLocal().catch((error) =>
    serviceWorkerEngine(error instanceof Error ? error : new Error(String(error))),
  );
  return engine;
}
