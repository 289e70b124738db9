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
});

/** The key under which the service worker stores {@link Settings}. */
export const SETTINGS_KEY = 'settings';

/** @type {Readonly<Settings>} */
export const DEFAULT_SETTINGS = Object.freeze({ enabled: true });

/**
 * @typedef {object} Settings
 * @property {boolean} enabled  Whether hints are shown on TikTok.
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
 * @typedef {ClassifyPostsMessage|GetSettingsMessage|SetEnabledMessage|EngineInfoMessage} Message
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
 * Keep only known settings with the right types, on top of the defaults.
 * @param {unknown} stored
 * @returns {Settings}
 */
export function normalizeSettings(stored) {
  const settings = { ...DEFAULT_SETTINGS };
  if (stored && typeof stored === 'object') {
    const { enabled } = /** @type {Record<string, unknown>} */ (stored);
    if (typeof enabled === 'boolean') settings.enabled = enabled;
  }
  return settings;
}
