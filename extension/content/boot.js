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
import { fieldsNeeded } from './page.js';

/** How many of TikTok's items (from its JSON) the engine and the scanner keep, most recently added. */
export const ITEM_LIMIT = 500;

/**
 * What the engine learnt from one item of TikTok's JSON.
 * @typedef {object} ItemInfo
 * @property {string} id  the video id
 * @property {number} needs  which DOM fields a card showing it should read (page.js `NEEDS`)
 * @property {import('../messages.js').Verdict|null} verdict  the item's verdict alone, which a card
 *   that adds nothing to it gets (null: ask `judgeCards`)
 */

/**
 * @typedef {object} Engine
 * @property {'content-script'|'service-worker'} backend  where the wasm runs
 * @property {(text: string, lang: string) => Promise<ItemInfo[]>} addJson
 *   read a TikTok JSON text (API response, page blob): the engine keeps its items (the last
 *   {@link ITEM_LIMIT} added, an item added again counting as new, as the scanner's own list)
 * @property {(cards: import('../messages.js').Card[], lang: string) => Promise<import('../messages.js').Verdict[]>} judgeCards
 *   judge cards (without `post`: the engine adds the item it keeps for the card's id)
 * @property {() => Promise<any>} tiktokPageRules  the DOM adapter as data (src/platform/tiktok_page.json)
 * @property {Error|null} localError  why the content-script engine is not used (null when it is)
 */

/** @returns {Promise<Engine>} */
async function startLocal() {
  const glue = await import(api.runtime.getURL('pkg/deinfluencer.js'));
  await glue.default({ module_or_path: api.runtime.getURL('pkg/deinfluencer_bg.wasm') });
  // Build the engine now (word lists, automaton: tens of ms), while the page loads, not at the first card.
  glue.engineVersion();
  // The items stay in wasm: a response crosses the boundary once, as text; only verdicts come back.
  const items = new glue.TikTokItems(ITEM_LIMIT);
  return {
    backend: 'content-script',
    localError: null,
    addJson: async (text, lang) => {
      const [verdicts, needs] = items.addJson(text, lang);
      return verdicts.map((verdict, index) => ({ id: verdict.id, needs: needs[index], verdict }));
    },
    judgeCards: async (cards, lang) => items.judgeCards(cards, lang),
    tiktokPageRules: async () => glue.tiktokPageRules(),
  };
}

/**
 * The service worker's engine, through messages: it reads JSON into posts, which are kept here and
 * sent along with their cards (each card is judged there, as a card).
 * @param {Error} localError
 * @returns {Engine}
 */
function serviceWorkerEngine(localError) {
  /** @type {Map<string, import('../messages.js').Post>} oldest first */
  const posts = new Map();
  return {
    backend: 'service-worker',
    localError,
    addJson: async (text) => {
      const read = await send({ type: MSG.READ_TIKTOK_JSON, text });
      if (!Array.isArray(read)) return [];
      const out = [];
      for (const post of read) {
        if (!post || typeof post.id !== 'string' || post.id === '') continue;
        posts.delete(post.id);
        posts.set(post.id, post);
        if (posts.size > ITEM_LIMIT) posts.delete(posts.keys().next().value);
        out.push({ id: post.id, needs: fieldsNeeded(post), verdict: null });
      }
      return out;
    },
    judgeCards: (cards, lang) =>
      send({
        type: MSG.CLASSIFY_CARDS,
        cards: cards.map((card) => (card.post || !posts.has(card.id) ? card : { ...card, post: posts.get(card.id) })),
        lang,
      }),
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
