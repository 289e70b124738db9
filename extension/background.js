/**
 * The background context: a module service worker in Chrome, a module event page in Firefox.
 *
 * It owns two things: the engine that always works (a page's CSP cannot block wasm here) and the
 * settings (it is their only writer). Listeners are registered synchronously at top level, so an event
 * that wakes the worker is never missed; the work itself awaits one memoised engine start.
 */
import init, {
  classifyCards,
  classifyPosts,
  engineVersion,
  readTikTokJson,
  tiktokPageRules,
} from './pkg/deinfluencer.js';
import { api } from './shim.js';
import { HINT_KINDS, MAX_BATCH, MAX_JSON_CHARS, MSG, SETTINGS_KEY, normalizeSettings } from './messages.js';

/** @type {Promise<unknown>|null} */
let engineStart = null;

/** Start the wasm engine once; a failed start is retried on the next call. */
function engineReady() {
  engineStart ??= init({ module_or_path: api.runtime.getURL('pkg/deinfluencer_bg.wasm') })
    .then(() => engineVersion()) // builds the engine once, up front
    .catch((error) => {
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
  const current = await readSettings();
  const settings = normalizeSettings({ ...current, ...changes, show: { ...current.show, ...changes.show } });
  const area = await storageArea();
  await area.set({ [SETTINGS_KEY]: settings });
  return settings;
}

/** Turn hints on or off (the popup switch and the keyboard shortcut both end here). */
async function setEnabled(enabled) {
  return writeSettings({ enabled });
}

// ---- the toolbar badge: "off" when hints are off; when on, the tab's number of undisclosed posts ----

const BADGE_OFF_COLOR = '#5f6368';
const BADGE_COUNT_COLOR = '#b3261e';

/** Optional calls: an API missing in one browser must not break the others. */
async function quietly(promiseOrValue) {
  try {
    await promiseOrValue;
  } catch {
    // a closed tab, or an API this browser lacks
  }
}

/** The global badge for the current setting; turning off also clears every tab's own count. */
async function refreshBadge(settings) {
  const { enabled } = settings ?? (await readSettings());
  const action = api.action;
  if (!action) return;
  await quietly(action.setBadgeBackgroundColor({ color: BADGE_OFF_COLOR }));
  await quietly(action.setBadgeTextColor?.({ color: '#ffffff' }));
  await quietly(action.setBadgeText({ text: enabled ? '' : api.i18n.getMessage('badgeOff') || 'off' }));
  if (!enabled) {
    // A tab's own text wins over the global one: drop them all so every tab shows "off".
    const tabs = await api.tabs.query({}).catch(() => []);
    await Promise.all(tabs.map((tab) => quietly(action.setBadgeText({ tabId: tab.id, text: null }))));
  }
}

/** A content script's count of undisclosed posts on its tab. */
async function showTabCount(tabId, undisclosed) {
  const action = api.action;
  if (!action || typeof tabId !== 'number' || tabId < 0) return;
  if (!(await readSettings()).enabled) return; // a late report after turning off
  const text = undisclosed > 0 ? (undisclosed > 999 ? '999+' : String(undisclosed)) : '';
  await quietly(action.setBadgeBackgroundColor({ tabId, color: BADGE_COUNT_COLOR }));
  await quietly(action.setBadgeText({ tabId, text }));
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
      return setEnabled(message.enabled);
    }
    case MSG.ENGINE_INFO: {
      await engineReady();
      return { version: engineVersion(), backend: 'service-worker' };
    }
    case MSG.CLASSIFY_CARDS: {
      if (!Array.isArray(message.cards)) throw new Error('classify-cards needs an array of cards');
      if (message.cards.length > MAX_BATCH) throw new Error(`classify-cards takes at most ${MAX_BATCH} cards`);
      await engineReady();
      return classifyCards(message.cards, typeof message.lang === 'string' ? message.lang : undefined);
    }
    case MSG.READ_TIKTOK_JSON: {
      if (typeof message.text !== 'string') throw new Error('read-tiktok-json needs a string "text"');
      if (message.text.length > MAX_JSON_CHARS) throw new Error('read-tiktok-json: the text is too large');
      await engineReady();
      return readTikTokJson(message.text);
    }
    case MSG.TIKTOK_PAGE_RULES: {
      await engineReady();
      return tiktokPageRules();
    }
    case MSG.SET_SHOW: {
      if (!fromExtensionPage(sender)) throw new Error('set-show is accepted from extension pages only');
      const show = message.show;
      if (!show || typeof show !== 'object') throw new Error('set-show needs an object "show"');
      /** @type {Record<string, boolean>} */
      const changes = {};
      for (const kind of HINT_KINDS) {
        if (typeof show[kind] === 'boolean') changes[kind] = show[kind];
      }
      return writeSettings({ show: changes });
    }
    case MSG.REPORT_COUNTS: {
      const count = message.undisclosed;
      if (!Number.isInteger(count) || count < 0) throw new Error('report-counts needs a count');
      await showTabCount(sender.tab?.id, count);
      return null;
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

// ---- the keyboard shortcut ----

/** @param {string} command */
async function onCommand(command) {
  if (command === 'toggle-hints') {
    const { enabled } = await readSettings();
    await setEnabled(!enabled);
  }
}

api.commands?.onCommand.addListener((command) => {
  onCommand(command).catch((error) => console.warn('Deinfluencer: command failed:', error));
});

// ---- keep the badge in step with the setting ----

api.storage.onChanged.addListener((changes) => {
  const change = changes[SETTINGS_KEY];
  if (!change) return;
  const before = normalizeSettings(change.oldValue);
  const after = normalizeSettings(change.newValue);
  if (before.enabled !== after.enabled || !change.oldValue) refreshBadge(after).catch(() => {});
});
api.runtime.onInstalled.addListener(() => refreshBadge().catch(() => {}));
api.runtime.onStartup?.addListener(() => refreshBadge().catch(() => {}));

/**
 * For the end-to-end tests (headless Chromium does not deliver keyboard shortcuts to `commands`):
 * `deinfluencer.onCommand('toggle-hints')` runs exactly what the shortcut runs.
 */
globalThis.deinfluencer = Object.freeze({ onCommand });
