/**
 * The background context: a module service worker in Chrome, a module event page in Firefox.
 *
 * It owns two things: the engine that always works (a page's CSP cannot block wasm here) and the
 * settings (it is their only writer). Listeners are registered synchronously at top level, so an event
 * that wakes the worker is never missed; the work itself awaits one memoised engine start.
 */
import init, { classifyPosts, engineVersion } from './pkg/deinfluencer.js';
import { api } from './shim.js';
import { MSG, SETTINGS_KEY, normalizeSettings } from './messages.js';

/** @type {Promise<unknown>|null} */
let engineStart = null;

/** Start the wasm engine once; a failed start is retried on the next call. */
function engineReady() {
  engineStart ??= init({ module_or_path: api.runtime.getURL('pkg/deinfluencer_bg.wasm') }).catch((error) => {
    engineStart = null;
    throw error;
  });
  return engineStart;
}

// ---- settings storage: storage.sync when it works, storage.local otherwise ----

/** @type {Promise<chrome.storage.StorageArea>|null} */
let settingsArea = null;

function storageArea() {
  settingsArea ??= (async () => {
    try {
      await api.storage.sync.get(SETTINGS_KEY);
      return api.storage.sync;
    } catch {
      return api.storage.local;
    }
  })();
  return settingsArea;
}

async function readSettings() {
  const area = await storageArea();
  const stored = await area.get(SETTINGS_KEY);
  return normalizeSettings(stored[SETTINGS_KEY]);
}

/** @param {Partial<import('./messages.js').Settings>} changes */
async function writeSettings(changes) {
  const settings = normalizeSettings({ ...(await readSettings()), ...changes });
  const area = await storageArea();
  await area.set({ [SETTINGS_KEY]: settings });
  return settings;
}

// ---- messages ----

/** Whether the sender is one of this extension's own pages (popup, options), not a content script. */
function fromExtensionPage(sender) {
  return typeof sender.url === 'string' && sender.url.startsWith(api.runtime.getURL(''));
}

/**
 * @param {import('./messages.js').Message} message
 * @param {chrome.runtime.MessageSender} sender
 */
async function handle(message, sender) {
  switch (message?.type) {
    case MSG.CLASSIFY_POSTS: {
      if (!Array.isArray(message.posts)) throw new Error('classify-posts needs an array of posts');
      await engineReady();
      return classifyPosts(message.posts, typeof message.lang === 'string' ? message.lang : undefined);
    }
    case MSG.GET_SETTINGS:
      return readSettings();
    case MSG.SET_ENABLED: {
      if (!fromExtensionPage(sender)) throw new Error('set-enabled is accepted from extension pages only');
      if (typeof message.enabled !== 'boolean') throw new Error('set-enabled needs a boolean "enabled"');
      return writeSettings({ enabled: message.enabled });
    }
    case MSG.ENGINE_INFO: {
      await engineReady();
      return { version: engineVersion(), backend: 'service-worker' };
    }
    default:
      throw new Error(`unknown message type: ${String(message?.type)}`);
  }
}

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== api.runtime.id) return false;
  handle(message, sender).then(
    (result) => sendResponse({ ok: true, result }),
    (error) => sendResponse({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
  return true; // the reply is sent asynchronously
});
