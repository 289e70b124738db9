import { api } from './shim.js';
import { LEDGER_NOTICE_KEY, MSG, send } from './messages.js';
import { localize, msg, msgCount } from './i18n.js';
import { count, creatorItem, renderNotice } from './ledger-ui.js';
import { bindEnabledSwitch, loadChosenLanguage } from './settings-ui.js';

await loadChosenLanguage();
localize();

document.getElementById('open-options').addEventListener('click', () => {
  api.runtime.openOptionsPage();
  window.close();
});

bindEnabledSwitch(
  /** @type {HTMLInputElement} */ (document.getElementById('enabled')),
  document.getElementById('enabled-status'),
);

// ---- the per-creator ledger: this tab's summary, its creators, and a search over all creators ----

const ledgerSection = document.getElementById('ledger');
const summary = document.getElementById('tab-summary');
const tabCreators = document.getElementById('tab-creators');
const search = /** @type {HTMLInputElement} */ (document.getElementById('creator-search'));
const results = document.getElementById('search-results');
const noticeBox = document.getElementById('ledger-notice');
const noticeText = document.getElementById('ledger-notice-text');
results.setAttribute('aria-label', msg('ledgerSearchLabel'));

/** The tab the popup is about: `?tab=<id>` (tests open the popup as a tab), else the active tab. */
async function currentTabId() {
  const fromQuery = Number.parseInt(new URLSearchParams(location.search).get('tab') ?? '', 10);
  if (Number.isInteger(fromQuery)) return fromQuery;
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

async function showTab() {
  const tabId = await currentTabId();
  if (typeof tabId !== 'number') {
    summary.textContent = msg('ledgerTabUnavailable');
    return;
  }
  const { summary: s, creators } = await send({ type: MSG.LEDGER_TAB_SUMMARY, tabId });
  summary.textContent =
    s.scanned === 0
      ? msg('ledgerTabEmpty')
      : msgCount('ledgerTabSummary', s.scanned, [count(s.scanned), count(s.undisclosed), count(s.unclear), count(s.disclosed)]);
  summary.dataset.scanned = String(s.scanned);
  tabCreators.replaceChildren(...creators.map(creatorItem));
}

let searchSeq = 0;
async function runSearch() {
  const query = search.value.trim();
  const seq = ++searchSeq;
  if (query === '') {
    results.replaceChildren();
    return;
  }
  try {
    const found = await send({ type: MSG.LEDGER_CREATORS, query, limit: 20 });
    if (seq !== searchSeq) return;
    if (found.length === 0) {
      const li = document.createElement('li');
      li.className = 'empty';
      li.textContent = msg('ledgerSearchNone');
      results.replaceChildren(li);
    } else {
      results.replaceChildren(...found.map(creatorItem));
    }
  } catch (error) {
    results.replaceChildren();
    summary.textContent = msg('ledgerLoadFailed', error instanceof Error ? error.message : String(error));
  }
}
search.addEventListener('input', runSearch);

document.getElementById('ledger-notice-dismiss').addEventListener('click', async () => {
  await send({ type: MSG.LEDGER_DISMISS_NOTICE }).catch(() => {});
  renderNotice(noticeBox, noticeText, undefined);
});
const showNotice = () =>
  api.storage.local.get(LEDGER_NOTICE_KEY).then(
    (stored) => renderNotice(noticeBox, noticeText, stored[LEDGER_NOTICE_KEY]),
    () => {},
  );
showNotice();
// The worker says when the notice changes (a storage.local listener would receive every ledger save).
api.runtime.onMessage.addListener((message) => {
  if (message?.type === MSG.LEDGER_NOTICE_CHANGED) showNotice();
  return false;
});

showTab().then(
  () => {
    ledgerSection.dataset.state = 'ready';
  },
  (error) => {
    summary.textContent = msg('ledgerLoadFailed', error instanceof Error ? error.message : String(error));
    ledgerSection.dataset.state = 'error';
  },
);
