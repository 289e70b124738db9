import { api } from './shim.js';
import { MSG, send } from './messages.js';
import { localize, msg } from './i18n.js';
import { count, percent, when } from './ledger-ui.js';
import { bindEnabledSwitch, bindShowOptions } from './settings-ui.js';

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

// ---- the per-creator ledger: table, export, import, erase ----

const ledgerSection = document.getElementById('ledger');
const filter = /** @type {HTMLInputElement} */ (document.getElementById('creator-filter'));
const table = /** @type {HTMLTableElement} */ (document.getElementById('creators-table'));
const tbody = table.tBodies[0];
const countLine = document.getElementById('creators-count');
const dataStatus = document.getElementById('data-status');

/** @type {import('./messages.js').CreatorSummary[]} */
let creators = [];
let sortKey = 'last_seen';
let sortDir = -1;

for (const th of table.tHead.querySelectorAll('th')) {
  th.querySelector('button').title = msg('sortHint');
}

function compare(a, b) {
  const x = a[sortKey];
  const y = b[sortKey];
  if (x === y) return a.creator.localeCompare(b.creator);
  if (x === null || x === undefined) return 1; // no rate: always last
  if (y === null || y === undefined) return -1;
  if (typeof x === 'string') return sortDir * x.localeCompare(y);
  return sortDir * (x - y);
}

function cell(text, numeric = false) {
  const td = document.createElement('td');
  td.textContent = text;
  if (numeric) td.className = 'num';
  return td;
}

function renderTable() {
  const query = filter.value.trim().replace(/^@/, '').toLowerCase();
  const shown = creators.filter((c) => c.creator.toLowerCase().includes(query)).sort(compare);
  const rows = shown.map((c) => {
    const tr = document.createElement('tr');
    tr.dataset.creator = c.creator;
    const handle = document.createElement('th');
    handle.scope = 'row';
    handle.textContent = `@${c.creator}`;
    const judge = (text) => (c.enough_to_judge ? text : `${text} (${msg('tooFewShort')})`);
    tr.append(
      handle,
      cell(count(c.seen), true),
      cell(judge(percent(c.sponsored_share)), true),
      cell(c.disclosure_rate === null ? msg('notApplicable') : judge(percent(c.disclosure_rate)), true),
      cell(when(c.last_seen)),
    );
    return tr;
  });
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    const td = cell(msg('optionsLedgerEmpty'));
    td.colSpan = 5;
    tr.append(td);
    rows.push(tr);
  }
  tbody.replaceChildren(...rows);
  countLine.textContent = msg('optionsLedgerCount', [count(shown.length), count(creators.length)]);
  for (const th of table.tHead.querySelectorAll('th')) {
    th.setAttribute('aria-sort', th.dataset.key === sortKey ? (sortDir > 0 ? 'ascending' : 'descending') : 'none');
  }
}

async function loadCreators() {
  ledgerSection.dataset.state = 'loading';
  try {
    creators = await send({ type: MSG.LEDGER_CREATORS, query: '', limit: 100_000 });
    renderTable();
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
  await loadCreators();
});

loadCreators();
