/**
 * The background context: a module service worker in Chrome, a module event page in Firefox.
 *
 * It owns two things: the engine that always works (a page's CSP cannot block wasm here) and the
 * settings (it is their only writer). Listeners are registered synchronously at top level, so an event
 * that wakes the worker is never missed; the work itself awaits one memoised engine start.
 */
import init, {
  Ledger,
  classifyCards,
  classifyPosts,
  engineVersion,
  readTikTokJson,
  tiktokPageRules,
} from './pkg/deinfluencer.js';
import { api } from './shim.js';
import {
  HINT_KINDS,
  LEDGER_BACKUP_KEY,
  LEDGER_DAMAGED_PREFIX,
  LEDGER_KEY,
  LEDGER_NEWER_PREFIX,
  LEDGER_NOTICE_KEY,
  LANGUAGES,
  MAX_BATCH,
  MAX_JSON_CHARS,
  MAX_LEDGER_IMPORT_CHARS,
  MSG,
  SETTINGS_KEY,
  normalizeSettings,
  validRetention,
  watchSettings,
} from './messages.js';

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

/** Where the settings live, by name (for {@link watchSettings} and `settings-area`). */
async function settingsAreaName() {
  return (await storageArea()) === api.storage.local ? 'local' : 'sync';
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

// ---- the per-creator ledger: the service worker is its only writer ----

/** How long recorded verdicts wait before one batched write to storage.local. */
const SAVE_DELAY_MS = 1000;

/** @type {Promise<Ledger>|null} */
let ledgerStart = null;
/**
 * The posts each tab's current document has shown (tab id → {load, ids}), for the popup. Kept in
 * memory and mirrored to storage.session (when the browser has it), because the service worker is
 * stopped when idle; nothing of it reaches storage.local.
 */
const tabPosts = new Map();
const TAB_POSTS_SESSION_KEY = 'ledgerTabs';
let tabPostsRestored = null;
let tabsTimer = 0;

/** Bring back the tab lists of the worker's previous life (once). */
function restoreTabPosts() {
  tabPostsRestored ??= (async () => {
    try {
      const stored = (await api.storage.session?.get(TAB_POSTS_SESSION_KEY))?.[TAB_POSTS_SESSION_KEY];
      if (!Array.isArray(stored)) return;
      for (const [tabId, load, ids] of stored) {
        if (Number.isInteger(tabId) && !tabPosts.has(tabId) && Array.isArray(ids)) {
          tabPosts.set(tabId, { load: String(load), ids: new Set(ids.filter((id) => typeof id === 'string')) });
        }
      }
    } catch {
      // no storage.session here: the lists live in memory only
    }
  })();
  return tabPostsRestored;
}

/** Mirror the tab lists to storage.session, batched like the ledger's writes. */
function saveTabPostsSoon() {
  if (tabsTimer || !api.storage.session) return;
  tabsTimer = setTimeout(() => {
    tabsTimer = 0;
    const value = [...tabPosts].map(([tabId, tab]) => [tabId, tab.load, [...tab.ids]]);
    api.storage.session.set({ [TAB_POSTS_SESSION_KEY]: value }).catch((error) => {
      console.warn('Deinfluencer: could not keep the per-tab post lists:', error);
    });
  }, SAVE_DELAY_MS);
}
let saveTimer = 0;
let dirty = false;
/** @type {Promise<void>} the chain of writes (never two at once) */
let saving = Promise.resolve();
/** How long a failed write waits before it is tried again (the changes stay in memory and the log). */
const SAVE_RETRY_MS = 30_000;

// ---- the write-ahead log: recorded verdicts not yet in a saved ledger ----
//
// The worker can be stopped at any moment (idle, killed, or the browser quits), and its ledger writes
// wait ~1 s to batch. So every record-verdicts batch is also written to storage.local before it is
// acknowledged — under one small key holding only the batches no save covers yet (~1 s of browsing),
// in storage.local rather than storage.session so that a browser quit does not clear it — and a save
// removes the batches it covers. A new worker replays what is left, in order: recording is
// idempotent per post id, so a replayed batch never counts a post twice.

const WAL_KEY = 'ledger_wal';
/** @type {{id: number, at: number, verdicts: unknown[]}[]} batches no saved ledger holds yet, oldest first */
let walBatches = [];
let walSerial = 0;
/** The latest log write; writes are chained so the stored log never goes back to an older state. */
let walWrite = Promise.resolve();

/** Write the current log (or remove it when empty), after the writes before it. */
function persistWal() {
  const value = walBatches.map(({ at, verdicts }) => ({ at, verdicts }));
  walWrite = walWrite
    .then(() => (value.length > 0 ? api.storage.local.set({ [WAL_KEY]: value }) : api.storage.local.remove(WAL_KEY)))
    .catch((error) => {
      console.warn('Deinfluencer: could not write the log of recorded verdicts ahead of the save:', error);
    });
  return walWrite;
}

/** Log one batch; returns its id (0 when there was nothing to log). */
function writeAhead(at, verdicts) {
  if (verdicts.length === 0) return 0;
  const id = ++walSerial;
  walBatches.push({ id, at, verdicts });
  persistWal();
  return id;
}

/** The ids of the batches logged so far (a save taken now holds them all). */
const walIds = () => walBatches.map((batch) => batch.id);

/** Drop the log batches a saved ledger now holds. */
async function forgetWal(ids) {
  if (ids.length === 0) return;
  const drop = new Set(ids);
  walBatches = walBatches.filter((batch) => !drop.has(batch.id));
  await persistWal();
}

/** Replay the batches a previous worker (or browser session) logged but did not save. */
async function replayWal(ledger) {
  let stored;
  try {
    stored = (await api.storage.local.get(WAL_KEY))[WAL_KEY];
  } catch (error) {
    console.warn('Deinfluencer: could not read the log of recorded verdicts:', error);
    return;
  }
  if (!Array.isArray(stored)) return;
  for (const batch of stored) {
    const { at, verdicts } = batch ?? {};
    if (!Array.isArray(verdicts)) continue;
    const when = Number(at) || Date.now();
    ledger.recordVerdicts(verdicts.map(seenVerdict).filter((v) => v !== null), when);
    walBatches.push({ id: ++walSerial, at: when, verdicts });
  }
  if (walBatches.length > 0) scheduleSave();
}

/** Tell the user something happened to their data (the popup shows it until dismissed). */
async function setLedgerNotice(kind, detail = '') {
  try {
    await api.storage.local.set({ [LEDGER_NOTICE_KEY]: { kind, detail: String(detail).slice(0, 500), at: Date.now() } });
  } catch (error) {
    console.warn('Deinfluencer: could not store the ledger notice:', kind, detail, error);
  }
  noticeChanged();
}

/**
 * Tell an open popup the notice changed. A message, not a storage.local listener in the popup: that
 * would receive the whole ledger text with every save. No page open: nobody answers.
 */
function noticeChanged() {
  api.runtime.sendMessage({ type: MSG.LEDGER_NOTICE_CHANGED }).catch(() => {});
}

/** A ledger from stored text, or null when the text is missing or damaged (reason in `errors`). */
function tryLoad(value, errors) {
  if (value === undefined) return null;
  try {
    if (typeof value !== 'string') throw new Error(`stored ledger is a ${typeof value}, not JSON text`);
    return Ledger.load(value);
  } catch (error) {
    errors.push(error instanceof Error ? error.message : String(error));
    return null;
  }
}

/**
 * Load the ledger once (after the engine). A damaged copy is kept under `ledger_damaged_<time>`, the
 * last good copy (`ledger_backup`) or an empty ledger takes its place, and the notice flag is set.
 */
function ledgerReady() {
  ledgerStart ??= (async () => {
    await engineReady();
    const stored = await api.storage.local.get([LEDGER_KEY, LEDGER_BACKUP_KEY]);
    const errors = [];
    const loaded = tryLoad(stored[LEDGER_KEY], errors) ?? (stored[LEDGER_KEY] === undefined ? new Ledger() : null);
    if (loaded) {
      await replayWal(loaded);
      return loaded;
    }
    // Damaged, or written by a newer version (a downgrade): keep it unchanged under its own key, fall
    // back, and say so. An unreadable backup is kept too, before the next save replaces it.
    const newer = NEWER_SCHEMA.test(errors[0] ?? '');
    const aside = `${newer ? LEDGER_NEWER_PREFIX : LEDGER_DAMAGED_PREFIX}${Date.now()}`;
    const backup = tryLoad(stored[LEDGER_BACKUP_KEY], errors);
    const keep = { [aside]: stored[LEDGER_KEY] };
    if (!backup && stored[LEDGER_BACKUP_KEY] !== undefined && stored[LEDGER_BACKUP_KEY] !== stored[LEDGER_KEY]) {
      keep[`${aside}_backup`] = stored[LEDGER_BACKUP_KEY];
    }
    await api.storage.local.set(keep);
    await setLedgerNotice(newer ? 'newer_version' : backup ? 'restored_backup' : 'damaged', errors.join('; '));
    console.warn('Deinfluencer: the stored ledger could not be read; a copy was kept:', errors.join('; '));
    const ledger = backup ?? new Ledger();
    await replayWal(ledger);
    dirty = true; // replace the unreadable text (its copy is kept)
    scheduleSave();
    return ledger;
  })()
    .then(applyRetention)
    .catch((error) => {
      ledgerStart = null;
      throw error;
    });
  return ledgerStart;
}

/** The message of `LedgerError::TooNew` (src/ledger.rs): the stored ledger's schema is newer than this build's. */
const NEWER_SCHEMA = /written by a newer version/;

const isQuotaError = (error) => /QUOTA_BYTES|quota/i.test(error instanceof Error ? error.message : String(error));

/**
 * Write the ledger and its backup copy (only when changed, unless `force`). On a full storage the
 * backup copy (half the space) goes first; only when the ledger alone does not fit is it pruned to
 * half, and the user is told. Afterwards the write-ahead log drops the batches the saved text holds.
 */
async function saveLedger(force = false) {
  if ((!dirty && !force) || !ledgerStart) return;
  const ledger = await ledgerStart;
  dirty = false;
  /** @type {string[]} the log batches in the text being written (taken in the same turn as the text) */
  let covered = [];
  const write = (withBackup) => {
    covered = walIds();
    const text = ledger.toJson();
    return api.storage.local.set(withBackup ? { [LEDGER_KEY]: text, [LEDGER_BACKUP_KEY]: text } : { [LEDGER_KEY]: text });
  };
  const fail = async (error) => {
    dirty = true;
    await setLedgerNotice('save_failed', error instanceof Error ? error.message : String(error));
    throw error;
  };
  try {
    await write(true);
  } catch (error) {
    if (!isQuotaError(error)) return fail(error);
    try {
      await api.storage.local.remove(LEDGER_BACKUP_KEY);
      await write(false);
    } catch (again) {
      if (!isQuotaError(again)) return fail(again);
      const pruned = ledger.setRetention(Math.max(1, Math.floor(ledger.size / 2)));
      try {
        await write(false);
        await setLedgerNotice('pruned', String(pruned));
      } catch (last) {
        return fail(last);
      }
    }
  }
  await forgetWal(covered);
  tellTabsLedgerSaved();
}

/**
 * Tell open tabs the ledger was saved (the profile banner refreshes its numbers). A message, not a
 * storage event: content scripts do not listen to storage.local, whose events carry the whole ledger.
 * Tabs without our content script simply do not answer.
 */
function tellTabsLedgerSaved() {
  api.tabs
    ?.query({})
    .then((tabs) => {
      for (const tab of tabs) {
        if (typeof tab.id === 'number' && tab.id >= 0) api.tabs.sendMessage(tab.id, { type: MSG.LEDGER_SAVED }).catch(() => {});
      }
    })
    .catch(() => {});
}

/**
 * Queue a write (after the current one). A failure is logged and shown through the notice, and the
 * write is tried again later: meanwhile the changes stay in memory and in the write-ahead log.
 */
function saveNow(force = false) {
  clearTimeout(saveTimer);
  saveTimer = 0;
  saving = saving
    .then(() => saveLedger(force))
    .catch((error) => {
      console.warn('Deinfluencer: saving the ledger failed:', error);
      if (dirty && !saveTimer) saveTimer = setTimeout(saveNow, SAVE_RETRY_MS);
    });
  return saving;
}

function scheduleSave() {
  dirty = true;
  if (!saveTimer) saveTimer = setTimeout(saveNow, SAVE_DELAY_MS);
}

/** Only the fields the ledger reads, checked. */
function seenVerdict(v) {
  if (!v || typeof v !== 'object' || typeof v.id !== 'string' || typeof v.creator !== 'string') return null;
  if (typeof v.verdict !== 'string') return null;
  const evidence = Array.isArray(v.evidence)
    ? v.evidence.filter((e) => e && typeof e.signal === 'string').map((e) => ({ signal: e.signal }))
    : [];
  return { id: v.id, creator: v.creator, verdict: v.verdict, self_promo: v.self_promo === true, evidence };
}

/**
 * @param {number|undefined} tabId
 * @param {string} load  the reporting document's random id: a new document starts the tab's list afresh
 * @param {unknown[]} verdicts
 */
async function recordVerdicts(tabId, load, verdicts) {
  const clean = verdicts.map(seenVerdict).filter((v) => v !== null);
  const ledger = await ledgerReady();
  const at = Date.now();
  // Logged and recorded in the same turn (a save's snapshot sees both or neither); acknowledged once logged.
  const logId = writeAhead(at, clean);
  const outcomes = ledger.recordVerdicts(clean, at);
  await restoreTabPosts();
  if (typeof tabId === 'number' && tabId >= 0) {
    let tab = tabPosts.get(tabId);
    if (!tab || tab.load !== load) tabPosts.set(tabId, (tab = { load, ids: new Set() }));
    const ids = tab.ids;
    clean.forEach((v, index) => {
      if (outcomes[index] === 'new' || outcomes[index] === 'seen_again' || outcomes[index] === 'updated') ids.add(v.id);
    });
    saveTabPostsSoon();
  }
  if (outcomes.some((o) => o === 'new' || o === 'updated')) {
    scheduleSave();
    await walWrite;
  } else {
    await forgetWal(logId ? [logId] : []); // nothing new to save: the log need not keep it
  }
  return outcomes;
}

/** Whether the current document of tab `tabId` has shown post `postId` (recorded it). */
async function tabShowed(tabId, postId) {
  if (typeof tabId !== 'number') return false;
  await restoreTabPosts();
  return tabPosts.get(tabId)?.ids.has(postId) === true;
}

async function tabSummary(tabId) {
  const ledger = await ledgerReady();
  await restoreTabPosts();
  const ids = [...(tabPosts.get(tabId)?.ids ?? [])];
  const handles = new Set();
  for (const id of ids) {
    const post = ledger.post(id);
    if (post?.creator) handles.add(post.creator);
  }
  const creators = [...handles].map((handle) => ledger.creator(handle)).filter(Boolean);
  creators.sort((a, b) => b.last_seen - a.last_seen || a.creator.localeCompare(b.creator));
  return { summary: ledger.summaryOf(ids), creators };
}

/**
 * Keep only as many posts as the retention setting says (the oldest seen go first); a pruned ledger
 * is written soon. Returns the ledger.
 */
async function applyRetention(ledger) {
  const pruned = ledger.setRetention((await readSettings()).retention);
  if (pruned > 0) scheduleSave();
  return ledger;
}

/** Whether `key` names a ledger copy kept aside (`ledger_damaged_<ms>[_backup]`, `ledger_newer_<ms>[_backup]`). */
const isKeptCopy = (key) => typeof key === 'string' && (key.startsWith(LEDGER_DAMAGED_PREFIX) || key.startsWith(LEDGER_NEWER_PREFIX));

/** Every key in storage.local. getKeys (Chrome 130+) lists them without reading the ledger's text; elsewhere everything is read once. */
async function storedKeys() {
  const area = api.storage.local;
  return typeof area.getKeys === 'function' ? area.getKeys() : Object.keys(await area.get(null));
}

async function eraseLedger() {
  await ledgerReady();
  await restoreTabPosts();
  ledgerStart = Promise.resolve(new Ledger((await readSettings()).retention));
  tabPosts.clear();
  await api.storage.session?.remove(TAB_POSTS_SESSION_KEY).catch(() => {});
  dirty = false;
  clearTimeout(saveTimer);
  saveTimer = 0;
  await saving;
  const keys = (await storedKeys()).filter(
    (key) => key === LEDGER_KEY || key === LEDGER_BACKUP_KEY || key === LEDGER_NOTICE_KEY || isKeptCopy(key),
  );
  await api.storage.local.remove(keys);
  noticeChanged();
  await forgetWal(walIds());
  return null;
}

api.tabs?.onRemoved.addListener((tabId) => {
  restoreTabPosts().then(() => {
    if (tabPosts.delete(tabId)) saveTabPostsSoon();
  });
});

// ---- messages ----

/** The kept-aside copies, oldest first: what they are, when they were kept, how big they are. */
async function keptCopies() {
  const kept = (await storedKeys()).filter(isKeptCopy).sort();
  const values = kept.length > 0 ? await api.storage.local.get(kept) : {};
  return kept.map((key) => {
    const newer = key.startsWith(LEDGER_NEWER_PREFIX);
    const rest = key.slice((newer ? LEDGER_NEWER_PREFIX : LEDGER_DAMAGED_PREFIX).length);
    return {
      key,
      kind: newer ? 'newer' : 'damaged',
      backup: rest.endsWith('_backup'),
      at: Number(/^\d+/.exec(rest)?.[0] ?? 0),
      chars: copyText(values[key]).length,
    };
  });
}

/** A kept copy as text: stored text as is, anything else (a damaged value) as JSON. */
const copyText = (value) => (typeof value === 'string' ? value : JSON.stringify(value ?? null));

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
    case MSG.SETTINGS_AREA:
      return settingsAreaName();
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
    case MSG.RECORD_VERDICTS: {
      if (!Array.isArray(message.verdicts)) throw new Error('record-verdicts needs an array of verdicts');
      if (message.verdicts.length > MAX_BATCH) throw new Error(`record-verdicts takes at most ${MAX_BATCH} verdicts`);
      return recordVerdicts(sender.tab?.id, String(message.load ?? ''), message.verdicts);
    }
    case MSG.LEDGER_TAB_SUMMARY: {
      if (!Number.isInteger(message.tabId)) throw new Error('ledger-tab-summary needs a tab id');
      return tabSummary(message.tabId);
    }
    case MSG.LEDGER_CREATORS: {
      const query = typeof message.query === 'string' ? message.query.trim().replace(/^@/, '') : '';
      const limit = Number.isInteger(message.limit) && message.limit > 0 ? Math.min(message.limit, 100_000) : 50;
      return (await ledgerReady()).creators(query, limit);
    }
    case MSG.LEDGER_CORRECT: {
      if (typeof message.postId !== 'string') throw new Error('ledger-correct needs a post id');
      // From a TikTok tab (the hint's buttons): only a post that tab has shown.
      if (!fromExtensionPage(sender) && !(await tabShowed(sender.tab?.id, message.postId))) {
        throw new Error('ledger-correct from a tab is accepted only for a post that tab showed');
      }
      const ledger = await ledgerReady();
      ledger.correct(message.postId, message.correction ?? null);
      scheduleSave();
      return ledger.post(message.postId);
    }
    case MSG.LEDGER_POST: {
      if (typeof message.postId !== 'string') throw new Error('ledger-post needs a post id');
      const ledger = await ledgerReady();
      const post = ledger.post(message.postId);
      const handle = post?.creator ?? (typeof message.creator === 'string' ? message.creator.trim().replace(/^@/, '') : '');
      return { post: post ?? null, creator: handle ? (ledger.creator(handle) ?? null) : null };
    }
    case MSG.LEDGER_EXPORT: {
      if (!fromExtensionPage(sender)) throw new Error('ledger-export is accepted from extension pages only');
      const ledger = await ledgerReady();
      return { json: ledger.toJson(), csv: ledger.creatorsCsv() };
    }
    case MSG.LEDGER_IMPORT: {
      if (!fromExtensionPage(sender)) throw new Error('ledger-import is accepted from extension pages only');
      if (typeof message.text !== 'string') throw new Error('ledger-import needs a string "text"');
      if (message.text.length > MAX_LEDGER_IMPORT_CHARS) throw new Error('ledger-import: the file is too large');
      const ledger = await ledgerReady();
      const report = ledger.importJson(message.text); // throws, changing nothing, on a bad file
      dirty = true;
      await saveNow();
      return report;
    }
    case MSG.LEDGER_ERASE: {
      if (!fromExtensionPage(sender)) throw new Error('ledger-erase is accepted from extension pages only');
      return eraseLedger();
    }
    case MSG.LEDGER_FLUSH: {
      await ledgerReady();
      await saveNow(true);
      return null;
    }
    case MSG.LEDGER_CREATOR: {
      if (typeof message.handle !== 'string' || message.handle.trim() === '') throw new Error('ledger-creator needs a handle');
      return (await ledgerReady()).creator(message.handle.trim().replace(/^@/, ''));
    }
    case MSG.LEDGER_KEPT_COPIES: {
      if (!fromExtensionPage(sender)) throw new Error('ledger-kept-copies is accepted from extension pages only');
      return keptCopies();
    }
    case MSG.LEDGER_KEPT_COPY: {
      if (!fromExtensionPage(sender)) throw new Error('ledger-kept-copy is accepted from extension pages only');
      if (!isKeptCopy(message.key)) throw new Error('not a kept ledger copy');
      const stored = await api.storage.local.get(message.key);
      if (!(message.key in stored)) throw new Error('that copy is no longer kept');
      return { text: copyText(stored[message.key]) };
    }
    case MSG.SET_RETENTION: {
      if (!fromExtensionPage(sender)) throw new Error('set-retention is accepted from extension pages only');
      if (!validRetention(message.retention)) throw new Error('set-retention needs a whole number of posts in range');
      const settings = await writeSettings({ retention: message.retention });
      const ledger = await ledgerReady();
      const pruned = ledger.setRetention(settings.retention);
      if (pruned > 0) {
        dirty = true;
        await saveNow();
      }
      return { ...settings, pruned, size: ledger.size };
    }
    case MSG.SET_LANGUAGE: {
      if (!fromExtensionPage(sender)) throw new Error('set-language is accepted from extension pages only');
      if (message.language !== 'auto' && !LANGUAGES.includes(message.language)) throw new Error('set-language needs auto, en, id or vi');
      return writeSettings({ language: message.language });
    }
    case MSG.LEDGER_DISMISS_NOTICE: {
      if (!fromExtensionPage(sender)) throw new Error('ledger-dismiss-notice is accepted from extension pages only');
      await api.storage.local.remove(LEDGER_NOTICE_KEY);
      noticeChanged();
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

watchSettings(
  (change) => {
  const before = normalizeSettings(change.oldValue);
  const after = normalizeSettings(change.newValue);
  if (before.enabled !== after.enabled || !change.oldValue) refreshBadge(after).catch(() => {});
  // A retention changed elsewhere (another device, through sync) applies to the loaded ledger too.
  if (before.retention !== after.retention && ledgerStart) ledgerStart.then(applyRetention).catch(() => {});
  },
  settingsAreaName(),
);
api.runtime.onInstalled.addListener(() => refreshBadge().catch(() => {}));
api.runtime.onStartup?.addListener(() => refreshBadge().catch(() => {}));

/**
 * For the end-to-end tests (headless Chromium does not deliver keyboard shortcuts to `commands`):
 * `deinfluencer.onCommand('toggle-hints')` runs exactly what the shortcut runs.
 */
globalThis.deinfluencer = Object.freeze({
  onCommand,
  /** The ledger, loaded (for the end-to-end tests). */
  ledger: ledgerReady,
  /** The tabs with recorded posts, as [tabId, post count]. */
  ledgerTabs: () => [...tabPosts].map(([tabId, tab]) => [tabId, tab.ids.size]),
  /** Write pending ledger changes now. */
  flushLedger: async () => {
    await ledgerReady();
    await saveNow(true);
  },
});
