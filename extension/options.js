import { api } from './shim.js';
import { MSG, RETENTION, send } from './messages.js';
import { localize, msg, msgCount } from './i18n.js';
import { compareText, count, percent, renderShareChart, shareHistogram, when } from './ledger-ui.js';
import { bindEnabledSwitch, bindLanguageSelect, bindRetention, bindShowOptions, loadChosenLanguage } from './settings-ui.js';

/**
 * Rows are added to the creators table this many at a time ("Show more"): 10,000 rows at once take
 * seconds to lay out, and nobody reads them all; sorting and the filter always work on every creator.
 */
const PAGE_ROWS = 200;

// Asked for before the page is even localised: the language (a tiny answer) and the most recently
// seen creators (one page of table rows: a small, quick answer). Every creator (for the chart, sorting
// and the filter; with 10,000 creators the slowest answer) is asked for when those rows are shown.
const languageLoaded = loadChosenLanguage();
/** @type {Promise<import('./messages.js').CreatorSummary[]>|null} */
let recentRequest = send({ type: MSG.LEDGER_CREATORS, query: '', limit: PAGE_ROWS });
await languageLoaded;
localize();

document.getElementById('extension-version').textContent = api.runtime.getManifest().version;

const engineVersion = document.getElementById('engine-version');
send({ type: MSG.ENGINE_INFO }).then(
  (info) => {
    engineVersion.textContent = info.version;
    engineVersion.dataset.state = 'ready';
  },
  (error) => {
    engineVersion.textContent = msg('engineFailed', error instanceof Error ? error.message : String(error));
    engineVersion.dataset.state = 'error';
  },
);

bindEnabledSwitch(
  /** @type {HTMLInputElement} */ (document.getElementById('enabled')),
  document.getElementById('enabled-status'),
);

bindShowOptions(
  /** @type {HTMLFieldSetElement} */ (document.getElementById('show')),
  document.getElementById('show-status'),
);

bindLanguageSelect(/** @type {HTMLSelectElement} */ (document.getElementById('language')), document.getElementById('language-status'));

document.getElementById('retention-note').textContent = msg('optionsRetentionNote', [count(RETENTION.default)]);
bindRetention(
  /** @type {HTMLFormElement} */ (document.getElementById('retention-form')),
  document.getElementById('retention-status'),
  () => loadCreators(),
);

// ---- the per-creator ledger: table, export, import, erase ----

const ledgerSection = document.getElementById('ledger');
const filter = /** @type {HTMLInputElement} */ (document.getElementById('creator-filter'));
const table = /** @type {HTMLTableElement} */ (document.getElementById('creators-table'));
const tbody = table.tBodies[0];
const countLine = document.getElementById('creators-count');
const shownLine = document.getElementById('creators-shown');
const moreButton = document.getElementById('creators-more');
const dataStatus = document.getElementById('data-status');
const chartBars = document.getElementById('share-bars');
const chartTable = /** @type {HTMLTableElement} */ (document.getElementById('share-table')).tBodies[0];
const chartNote = document.getElementById('share-chart-note');

/** @type {import('./messages.js').CreatorSummary[]} */
let creators = [];
/** @type {import('./messages.js').CreatorSummary[]} the filtered and sorted creators */
let shown = [];
let rowLimit = PAGE_ROWS;
let sortKey = 'last_seen';
let sortDir = -1;

for (const th of table.tHead.querySelectorAll('th')) {
  th.querySelector('button').title = msg('sortHint');
}

function compare(a, b) {
  const x = a[sortKey];
  const y = b[sortKey];
  if (x === y) return compareText(a.creator, b.creator);
  if (x === null || x === undefined) return 1; // no rate: always last
  if (y === null || y === undefined) return -1;
  if (typeof x === 'string') return sortDir * compareText(x, y);
  return sortDir * (x - y);
}

function cell(text, numeric = false) {
  const td = document.createElement('td');
  td.textContent = text;
  if (numeric) td.className = 'num';
  return td;
}

/** One table row. */
function creatorRow(c) {
  const tr = document.createElement('tr');
  tr.dataset.creator = c.creator;
  tr.dataset.share = String(c.sponsored_share);
  tr.dataset.judged = String(c.enough_to_judge);
  const handle = document.createElement('th');
  handle.scope = 'row';
  handle.textContent = `@${c.creator}`;
  const judge = (text) => (c.enough_to_judge ? text : `${text} (${msg('tooFewShort')})`);
  tr.append(
    handle,
    cell(count(c.seen), true),
    cell(judge(percent(c.sponsored_share)), true),
    cell(c.disclosure_rate === null ? msg('notApplicable') : judge(percent(c.disclosure_rate)), true),
    cell(count(c.corrections), true),
    cell(when(c.last_seen)),
  );
  return tr;
}

/** Filter and sort every creator, then show the first rows (a new filter or sort starts at the top). */
function renderTable() {
  const query = filter.value.trim().replace(/^@/, '').toLowerCase();
  shown = (query === '' ? creators.slice() : creators.filter((c) => c.creator.toLowerCase().includes(query))).sort(compare);
  rowLimit = PAGE_ROWS;
  const rows = shown.slice(0, rowLimit).map(creatorRow);
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    const td = cell(msg('optionsLedgerEmpty'));
    td.colSpan = table.tHead.rows[0].cells.length;
    tr.append(td);
    rows.push(tr);
  }
  tbody.replaceChildren(...rows);
  countLine.textContent = msgCount('optionsLedgerCount', creators.length, [count(shown.length), count(creators.length)]);
  renderShownLine();
  for (const th of table.tHead.querySelectorAll('th')) {
    th.setAttribute('aria-sort', th.dataset.key === sortKey ? (sortDir > 0 ? 'ascending' : 'descending') : 'none');
  }
}

/** "Showing the first N of M rows" and the "Show more" button, when rows are left out. */
function renderShownLine() {
  const partial = shown.length > rowLimit;
  shownLine.hidden = !partial;
  moreButton.hidden = !partial;
  shownLine.textContent = partial ? msg('optionsLedgerShown', [count(rowLimit), count(shown.length)]) : '';
}

moreButton.addEventListener('click', () => {
  const next = shown.slice(rowLimit, rowLimit + PAGE_ROWS).map(creatorRow);
  rowLimit += PAGE_ROWS;
  tbody.append(...next);
  renderShownLine();
  if (moreButton.hidden) filter.focus();
});

async function loadCreators() {
  ledgerSection.dataset.state = 'loading';
  try {
    if (recentRequest) {
      // Opening the page: show the most recent creators at once (already in the table's default order).
      const recent = await recentRequest;
      recentRequest = null;
      const everyone = recent.length < PAGE_ROWS ? null : send({ type: MSG.LEDGER_CREATORS, query: '', limit: 100_000 });
      creators = recent;
      renderTable();
      performance.mark('ledger-table-first-rows');
      if (everyone) {
        countLine.textContent = msg('optionsLedgerLoadingAll');
        creators = await everyone;
        renderTable();
      }
    } else {
      creators = await send({ type: MSG.LEDGER_CREATORS, query: '', limit: 100_000 });
      renderTable();
    }
    renderShareChart(chartBars, chartTable, chartNote, shareHistogram(creators));
    // For tests/tools/options-timing.mjs: the table and the chart are in the DOM.
    performance.mark('ledger-table-ready');
    ledgerSection.dataset.state = 'ready';
  } catch (error) {
    countLine.textContent = msg('ledgerLoadFailed', errorText(error));
    ledgerSection.dataset.state = 'error';
  }
}

const errorText = (error) => (error instanceof Error ? error.message : String(error));

table.tHead.addEventListener('click', (event) => {
  const th = /** @type {Element} */ (event.target).closest('th[data-key]');
  if (!th) return;
  const key = /** @type {HTMLElement} */ (th).dataset.key;
  if (key === sortKey) sortDir = -sortDir;
  else {
    sortKey = key;
    sortDir = key === 'creator' ? 1 : -1;
  }
  renderTable();
});
filter.addEventListener('input', renderTable);

/** Save `text` as a file through a Blob URL and an <a download>. */
function download(text, type, name) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const stamp = () => new Date().toISOString().slice(0, 10);

for (const [id, kind] of [
  ['export-json', 'json'],
  ['export-csv', 'csv'],
]) {
  document.getElementById(id).addEventListener('click', async () => {
    try {
      const exported = await send({ type: MSG.LEDGER_EXPORT });
      const name = `deinfluencer-creators-${stamp()}.${kind}`;
      download(exported[kind], kind === 'json' ? 'application/json' : 'text/csv', name);
      dataStatus.textContent = msg('exportDone', [name]);
    } catch (error) {
      dataStatus.textContent = msg('exportFailed', errorText(error));
    }
  });
}

const importFile = /** @type {HTMLInputElement} */ (document.getElementById('import-file'));
importFile.addEventListener('change', async () => {
  const file = importFile.files?.[0];
  if (!file) return;
  const section = document.getElementById('data');
  section.dataset.state = 'importing';
  try {
    const report = await send({ type: MSG.LEDGER_IMPORT, text: await file.text() });
    dataStatus.textContent = msg(
      'importReport',
      [report.added, report.merged, report.conflicts, report.skipped, report.pruned].map((n) => count(n)),
    );
    section.dataset.state = 'imported';
  } catch (error) {
    dataStatus.textContent = msg('importFailed', errorText(error));
    section.dataset.state = 'import-failed';
  } finally {
    importFile.value = '';
  }
  await loadCreators();
});

const eraseButton = document.getElementById('erase');
const eraseConfirm = document.getElementById('erase-confirm');
eraseButton.setAttribute('aria-expanded', 'false');
eraseButton.addEventListener('click', () => {
  eraseConfirm.hidden = false;
  eraseButton.setAttribute('aria-expanded', 'true');
  document.getElementById('erase-no').focus();
});
const closeConfirm = () => {
  eraseConfirm.hidden = true;
  eraseButton.setAttribute('aria-expanded', 'false');
  eraseButton.focus();
};
document.getElementById('erase-no').addEventListener('click', closeConfirm);
eraseConfirm.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') closeConfirm();
});
document.getElementById('erase-yes').addEventListener('click', async () => {
  try {
    await send({ type: MSG.LEDGER_ERASE });
    dataStatus.textContent = msg('eraseDone');
  } catch (error) {
    dataStatus.textContent = msg('eraseFailed', errorText(error));
  }
  closeConfirm();
  await Promise.all([loadCreators(), loadKeptCopies()]);
});

// ---- ledger copies kept aside (damaged, or written by a newer version) ----

const keptSection = document.getElementById('kept-copies');
const keptList = document.getElementById('kept-copies-list');

/** A size in characters, as the user reads file sizes. */
const size = (chars) =>
  new Intl.NumberFormat(msg('languageCode'), { style: 'unit', unit: chars >= 1e6 ? 'megabyte' : 'kilobyte', maximumFractionDigits: 1 }).format(
    chars >= 1e6 ? chars / 1e6 : Math.max(0.1, chars / 1e3),
  );

/** List the kept-aside copies with a download button each; hidden when there are none. */
async function loadKeptCopies() {
  let copies;
  try {
    copies = await send({ type: MSG.LEDGER_KEPT_COPIES });
  } catch (error) {
    keptSection.hidden = false;
    keptList.replaceChildren();
    dataStatus.textContent = msg('keptCopiesFailed', errorText(error));
    return;
  }
  keptList.replaceChildren(
    ...copies.map((copy) => {
      const item = document.createElement('li');
      const label = document.createElement('span');
      let text = msg(copy.kind === 'newer' ? 'keptCopyNewer' : 'keptCopyDamaged', [when(copy.at), size(copy.chars)]);
      if (copy.backup) text = msg('keptCopyBackup', [text]);
      label.textContent = text;
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = msg('keptCopyDownload');
      button.setAttribute('aria-label', `${msg('keptCopyDownload')}: ${text}`);
      button.addEventListener('click', async () => {
        try {
          const { text: stored } = await send({ type: MSG.LEDGER_KEPT_COPY, key: copy.key });
          const name = `deinfluencer-${copy.key.replace(/_/g, '-')}.json`;
          download(stored, 'application/json', name);
          dataStatus.textContent = msg('exportDone', [name]);
        } catch (error) {
          dataStatus.textContent = msg('exportFailed', errorText(error));
        }
      });
      item.append(label, ' ', button);
      return item;
    }),
  );
  keptSection.hidden = copies.length === 0;
}

loadCreators();
loadKeptCopies();
