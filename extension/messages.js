/**
 * The typed messages between the extension's contexts, in one place.
 *
 * The service worker (background.js) answers every message; the content script, the popup and the
 * options page only send. Every reply has the same envelope, {@link Reply}, so a failure travels as
 * data and is re-thrown on the sender's side by {@link send}.
 */
import { api } from './shim.js';

/** Message type names. */
export const MSG = Object.freeze({
  /** Judge a batch of posts with the service worker's engine. */
  CLASSIFY_POSTS: 'classify-posts',
  /** Read the settings. */
  GET_SETTINGS: 'get-settings',
  /** Turn hints on or off (extension pages only). */
  SET_ENABLED: 'set-enabled',
  /** The engine's version string, as the wasm reports it. */
  ENGINE_INFO: 'engine-info',
  /** Judge a batch of TikTok cards (DOM fields + the JSON item when known) with the service worker's engine. */
  CLASSIFY_CARDS: 'classify-cards',
  /** Read the posts out of a TikTok JSON text with the service worker's engine. */
  READ_TIKTOK_JSON: 'read-tiktok-json',
  /** TikTok's page rules (selectors as data), from the service worker's engine. */
  TIKTOK_PAGE_RULES: 'tiktok-page-rules',
  /** Choose which kinds of hint are shown (extension pages only). */
  SET_SHOW: 'set-show',
  /** A content script reports how many undisclosed posts its tab has shown (sets the toolbar badge). */
  REPORT_COUNTS: 'report-counts',
  /** A content script's newly judged verdicts, for the per-creator ledger (service worker records them). */
  RECORD_VERDICTS: 'record-verdicts',
  /** The ledger's counts over the posts one tab has shown, and those posts' creators. */
  LEDGER_TAB_SUMMARY: 'ledger-tab-summary',
  /** Creators whose handle contains `query`, most recently seen first. */
  LEDGER_CREATORS: 'ledger-creators',
  /** The user's correction of one post (extension pages, or the hint in a tab that showed the post). */
  LEDGER_CORRECT: 'ledger-correct',
  /** One post's ledger record (with the user's correction) and its creator's numbers (the hint's "Why?"). */
  LEDGER_POST: 'ledger-post',
  /** The whole ledger as JSON and the per-creator CSV (extension pages only). */
  LEDGER_EXPORT: 'ledger-export',
  /** Merge an exported JSON file into the ledger (extension pages only). */
  LEDGER_IMPORT: 'ledger-import',
  /** Erase every ledger record, its backup, the copies kept aside (damaged, newer) and notice (extension pages only). */
  LEDGER_ERASE: 'ledger-erase',
  /** Write the ledger to storage now (pending changes or not). */
  LEDGER_FLUSH: 'ledger-flush',
  /** Remove the ledger notice (extension pages only). */
  LEDGER_DISMISS_NOTICE: 'ledger-dismiss-notice',
  /** One creator's numbers and "why" breakdown (the profile banner), or null when never seen. */
  LEDGER_CREATOR: 'ledger-creator',
  /** The ledger copies kept aside (damaged, written by a newer version): `[{key, kind, at, chars}]` (extension pages only). */
  LEDGER_KEPT_COPIES: 'ledger-kept-copies',
  /** One kept-aside copy's stored text, `{key}` → `{text}` (extension pages only). */
  LEDGER_KEPT_COPY: 'ledger-kept-copy',
  /** Where the settings are stored: `sync`, or `local` where storage.sync does not work. */
  SETTINGS_AREA: 'settings-area',
  /** Sent by the service worker to its pages when the ledger notice was set or removed (the popup re-reads it). */
  LEDGER_NOTICE_CHANGED: 'ledger-notice-changed',
  /** Sent by the service worker to tabs after the ledger was saved (the profile banner refreshes). */
  LEDGER_SAVED: 'ledger-saved',
  /** Set how many posts the ledger keeps (extension pages only); the worker prunes at once. */
  SET_RETENTION: 'set-retention',
  /** Set the extension's language: `auto` (the browser's) or one of {@link LANGUAGES} (extension pages only). */
  SET_LANGUAGE: 'set-language',
});

/** storage.local keys of the ledger (written by the service worker only). */
export const LEDGER_KEY = 'ledger';
export const LEDGER_BACKUP_KEY = 'ledger_backup';
/** A damaged ledger text is kept under this prefix + the time (ms) it was found. */
export const LEDGER_DAMAGED_PREFIX = 'ledger_damaged_';
/** A ledger written by a newer version (after a downgrade) is kept, unchanged, under this prefix + the time. */
export const LEDGER_NEWER_PREFIX = 'ledger_newer_';
/**
 * `{kind: 'damaged'|'restored_backup'|'newer_version'|'pruned'|'save_failed', detail, at}`: shown by the
 * popup.
 */
export const LEDGER_NOTICE_KEY = 'ledgerNotice';
/** The largest ledger file the options page may import. */
export const MAX_LEDGER_IMPORT_CHARS = 64 * 1024 * 1024;

/** The kinds of hint, in the order the options page lists them. */
export const HINT_KINDS = Object.freeze(['undisclosed', 'unclear', 'self_promo', 'disclosed', 'organic']);

/** The largest JSON text the content script hands on (the MAIN-world hook caps at the same size). */
export const MAX_JSON_CHARS = 8 * 1024 * 1024;

/** The largest batch of cards or posts one message may carry. */
export const MAX_BATCH = 2000;

/** The key under which the service worker stores {@link Settings}. */
export const SETTINGS_KEY = 'settings';

/** The languages the extension is translated into (its _locales), besides `auto` (the browser's). */
export const LANGUAGES = Object.freeze(['en', 'id', 'vi']);

/** How many posts the ledger may keep: the retention setting's bounds and default (src/ledger.rs). */
export const RETENTION = Object.freeze({ min: 1, max: 500_000, default: 50_000 });

/** @type {Readonly<Settings>} */
export const DEFAULT_SETTINGS = Object.freeze({
  enabled: true,
  show: Object.freeze({ undisclosed: true, unclear: true, self_promo: true, disclosed: true, organic: false }),
  retention: RETENTION.default,
  language: 'auto',
});

/**
 * @typedef {object} Settings
 * @property {boolean} enabled  Whether hints are shown on TikTok.
 * @property {Record<HintKind, boolean>} show  Which kinds of hint are shown (the verdict is always
 *   recorded on the card; this only decides whether a visible hint is drawn).
 * @property {number} retention  How many posts the ledger keeps (the oldest seen are pruned first).
 * @property {'auto'|'en'|'id'|'vi'} language  The language of every extension text; `auto` = the browser's.
 */

/** @typedef {'undisclosed'|'unclear'|'self_promo'|'disclosed'|'organic'} HintKind */

/**
 * What the content script read from one TikTok card (mirrors the Rust `tiktok_page::Card`).
 * @typedef {object} Card
 * @property {string} id  the video id
 * @property {string} [handle]
 * @property {string} [display_name]
 * @property {string} [caption]
 * @property {string[]} [hashtags]
 * @property {string[]} [label_texts]  whole texts of the card's pill elements
 * @property {Post} [post]  the item from TikTok's JSON, when the page sent it (the best source)
 */

/**
 * What the engine receives (mirrors the Rust `Post`; every field but `id` is optional).
 * @typedef {object} Post
 * @property {'tiktok'} [platform]
 * @property {string} id
 * @property {{handle: string, display_name?: string}} [creator]
 * @property {string} [caption]
 * @property {string[]} [hashtags]
 * @property {string[]} [mentions]
 * @property {string[]} [links]
 * @property {{kind: string, detail?: string}[]} [labels]
 * @property {string} [music_title]
 * @property {string[]} [stickers]
 * @property {string} [language]
 */

/**
 * What the engine returns for one post.
 * @typedef {object} Verdict
 * @property {string} id
 * @property {string} creator
 * @property {'organic'|'disclosed'|'unclear'|'undisclosed'} verdict
 * @property {boolean} commercial
 * @property {boolean} self_promo
 * @property {number} score
 * @property {Evidence[]} evidence
 */

/**
 * @typedef {object} Evidence
 * @property {string} signal
 * @property {string} kind
 * @property {string} text
 * @property {string} field
 * @property {number} start
 * @property {number} end
 * @property {number} weight
 * @property {string} explanation
 */

/**
 * @typedef {{type: 'classify-posts', posts: Post[], lang?: string}} ClassifyPostsMessage  Reply: Verdict[]
 * @typedef {{type: 'get-settings'}} GetSettingsMessage                                  Reply: Settings
 * @typedef {{type: 'set-enabled', enabled: boolean}} SetEnabledMessage                  Reply: Settings
 * @typedef {{type: 'engine-info'}} EngineInfoMessage                                    Reply: EngineInfo
 * @typedef {{type: 'classify-cards', cards: Card[], lang?: string}} ClassifyCardsMessage Reply: Verdict[]
 * @typedef {{type: 'read-tiktok-json', text: string}} ReadTikTokJsonMessage             Reply: Post[]
 * @typedef {{type: 'tiktok-page-rules'}} TikTokPageRulesMessage                         Reply: object (tiktok_page.json)
 * @typedef {{type: 'set-show', show: Partial<Record<HintKind, boolean>>}} SetShowMessage Reply: Settings
 * @typedef {{type: 'report-counts', undisclosed: number}} ReportCountsMessage           Reply: null
 * @typedef {{type: 'record-verdicts', load: string, verdicts: Verdict[]}} RecordVerdictsMessage
 *   Reply: string[] (outcome per verdict); `load` is a random id per document (a new one resets the tab's list)
 * @typedef {{type: 'ledger-tab-summary', tabId: number}} LedgerTabSummaryMessage
 *   Reply: {summary: {scanned, organic, disclosed, unclear, undisclosed}, creators: CreatorSummary[]}
 * @typedef {{type: 'ledger-creators', query?: string, limit?: number}} LedgerCreatorsMessage Reply: CreatorSummary[]
 * @typedef {{type: 'ledger-correct', postId: string, correction: 'not_an_ad'|'is_an_ad'|null}} LedgerCorrectMessage
 *   Reply: the post's record
 * @typedef {{type: 'ledger-post', postId: string, creator?: string}} LedgerPostMessage
 *   Reply: {post: the post's record|null, creator: CreatorSummary|null} (`creator`: whose numbers, when the
 *   ledger does not hold the post)
 * @typedef {{type: 'ledger-export'}} LedgerExportMessage                                Reply: {json: string, csv: string}
 * @typedef {{type: 'ledger-import', text: string}} LedgerImportMessage
 *   Reply: {added, merged, conflicts, skipped, pruned}
 * @typedef {{type: 'ledger-erase'}} LedgerEraseMessage                                  Reply: null
 * @typedef {{type: 'ledger-flush'}} LedgerFlushMessage                                  Reply: null
 * @typedef {{type: 'ledger-dismiss-notice'}} LedgerDismissNoticeMessage                Reply: null
 * @typedef {{type: 'ledger-creator', handle: string}} LedgerCreatorMessage              Reply: CreatorSummary|null
 *   (with `top_signals`)
 * @typedef {{type: 'set-retention', retention: number}} SetRetentionMessage            Reply: Settings
 * @typedef {{type: 'set-language', language: string}} SetLanguageMessage               Reply: Settings
 * @typedef {ClassifyPostsMessage|GetSettingsMessage|SetEnabledMessage|EngineInfoMessage|ClassifyCardsMessage|
 *   ReadTikTokJsonMessage|TikTokPageRulesMessage|SetShowMessage|ReportCountsMessage|RecordVerdictsMessage|
 *   LedgerTabSummaryMessage|LedgerCreatorsMessage|LedgerCorrectMessage|LedgerExportMessage|LedgerImportMessage|
 *   LedgerEraseMessage|LedgerFlushMessage|LedgerDismissNoticeMessage|LedgerCreatorMessage|LedgerPostMessage|SetRetentionMessage|
 *   SetLanguageMessage} Message
 */

/**
 * One creator's numbers from the ledger (mirrors the Rust `CreatorSummary`).
 * @typedef {object} CreatorSummary
 * @property {string} creator
 * @property {number} seen
 * @property {number} organic
 * @property {number} disclosed
 * @property {number} unclear
 * @property {number} undisclosed
 * @property {number} self_promo
 * @property {number} commercial
 * @property {number} sponsored_share
 * @property {[number, number]} sponsored_interval
 * @property {number|null} disclosure_rate
 * @property {[number, number]|null} disclosure_interval
 * @property {boolean} enough_to_judge
 * @property {number} corrections
 * @property {number} last_seen  ms since the epoch
 * @property {{signal: string, posts: number}[]} [top_signals]  the most frequent signal kinds of the
 *   creator's commercial posts (`ledger-creator` and the popup's tab creators only)
 */

/**
 * @typedef {object} EngineInfo
 * @property {string} version   `engineVersion()` of the wasm module.
 * @property {'service-worker'} backend
 */

/**
 * @template T
 * @typedef {{ok: true, result: T} | {ok: false, error: string}} Reply
 */

/**
 * Send a message to the service worker and unwrap its {@link Reply}.
 * @param {Message} message
 * @returns {Promise<any>} the reply's result
 * @throws {Error} when the service worker answered with an error or not at all
 */
export async function send(message) {
  /** @type {Reply<any>|undefined} */
  const reply = await api.runtime.sendMessage(message);
  if (!reply || typeof reply !== 'object') {
    throw new Error(`no reply to "${message.type}"`);
  }
  if (!reply.ok) {
    throw new Error(reply.error);
  }
  return reply.result;
}

/**
 * Call `listener({oldValue, newValue})` whenever the settings change, from any page or device.
 *
 * It listens to the storage area the settings live in, not to every area: storage.local also holds
 * the ledger, and every `storage.onChanged` listener receives each save's whole text (old and new,
 * ledger and backup — megabytes). Measured with a 50,000-post ledger: 33–49 ms of the TikTok page's
 * main thread per save, about once a second while scrolling. So storage.local is listened to only
 * where the settings are kept there (storage.sync unavailable), and never by a content script for
 * the ledger (the service worker sends {@link MSG.LEDGER_SAVED} instead).
 * @param {(change: {oldValue?: unknown, newValue?: unknown}) => void} listener
 * @param {Promise<'sync'|'local'>} [area]  where the settings are (default: ask the service worker)
 * @returns {() => void}  stops listening
 */
export function watchSettings(listener, area) {
  const onChange = (changes) => {
    const change = changes[SETTINGS_KEY];
    if (change) listener(change);
  };
  let stopped = false;
  api.storage.sync?.onChanged?.addListener(onChange);
  (area ?? send({ type: MSG.SETTINGS_AREA })).then(
    (where) => {
      if (where === 'local' && !stopped) api.storage.local.onChanged.addListener(onChange);
    },
    (error) => console.warn('Deinfluencer: could not tell where the settings are stored:', error),
  );
  return () => {
    stopped = true;
    api.storage.sync?.onChanged?.removeListener(onChange);
    api.storage.local.onChanged.removeListener(onChange);
  };
}

/**
 * Keep only known settings with the right types, on top of the defaults.
 * @param {unknown} stored
 * @returns {Settings}
 */
export function normalizeSettings(stored) {
  const settings = { ...DEFAULT_SETTINGS, show: { ...DEFAULT_SETTINGS.show } };
  if (stored && typeof stored === 'object') {
    const { enabled, show, retention, language } = /** @type {Record<string, unknown>} */ (stored);
    if (typeof enabled === 'boolean') settings.enabled = enabled;
    if (validRetention(retention)) settings.retention = retention;
    if (language === 'auto' || LANGUAGES.includes(/** @type {string} */ (language))) {
      settings.language = /** @type {Settings['language']} */ (language);
    }
    if (show && typeof show === 'object') {
      for (const kind of HINT_KINDS) {
        const value = /** @type {Record<string, unknown>} */ (show)[kind];
        if (typeof value === 'boolean') settings.show[kind] = value;
      }
    }
  }
  return settings;
}

/**
 * Whether `value` is an allowed retention (a whole number of posts within {@link RETENTION}).
 * @param {unknown} value
 * @returns {value is number}
 */
export function validRetention(value) {
  return Number.isInteger(value) && /** @type {number} */ (value) >= RETENTION.min && /** @type {number} */ (value) <= RETENTION.max;
}
