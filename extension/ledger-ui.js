/**
 * The per-creator ledger in the popup and the options page: shared wording and formatting. Pages
 * only ask the service worker (the ledger's only writer) and show what it answers; every text is set
 * with textContent.
 */
import { msg, msgCount, uiLanguage } from './i18n.js';

/** Formatters by kind and language: building one costs far more than using it (10,000 table rows). */
const formatters = new Map();

/** @template T @param {string} kind @param {(lang: string) => T} make @returns {T} */
function formatter(kind, make) {
  const lang = uiLanguage();
  const key = `${kind}|${lang}`;
  if (!formatters.has(key)) formatters.set(key, make(lang));
  return formatters.get(key);
}

/** A 0–1 ratio as a whole percentage in the UI language, or "—" for null. */
export function percent(ratio) {
  if (typeof ratio !== 'number' || !Number.isFinite(ratio)) return msg('notApplicable');
  return formatter('percent', (lang) => new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 })).format(ratio);
}

/** A count in the UI language. */
export function count(n) {
  return formatter('count', (lang) => new Intl.NumberFormat(lang)).format(n);
}

/** A time (ms since the epoch) as a short date and time. */
export function when(ms) {
  if (!ms) return msg('notApplicable');
  return formatter('when', (lang) => new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' })).format(new Date(ms));
}

/** Text comparison in the UI language (one collator, not one per comparison). */
export function compareText(a, b) {
  return formatter('collator', (lang) => new Intl.Collator(lang)).compare(a, b);
}

/**
 * One line about a creator: sample size, sponsored share and disclosure rate, or "too few posts to
 * judge" below the ledger's threshold.
 * @param {import('./messages.js').CreatorSummary} c
 */
export function creatorLine(c) {
  const posts = count(c.seen);
  if (!c.enough_to_judge) return msgCount('ledgerTooFew', c.seen, [posts]);
  if (c.commercial === 0) return msg('ledgerCreatorNoAds', [posts]);
  return msg('ledgerCreatorLine', [posts, percent(c.sponsored_share), percent(c.disclosure_rate)]);
}

/**
 * A list item for a creator: the handle, then its line.
 * @param {import('./messages.js').CreatorSummary} c
 */
export function creatorItem(c) {
  const li = document.createElement('li');
  li.dataset.creator = c.creator;
  const handle = document.createElement('span');
  handle.className = 'handle';
  handle.textContent = `@${c.creator}`;
  const line = document.createElement('span');
  line.className = 'line';
  line.textContent = creatorLine(c);
  li.append(handle, ' ', line);
  return li;
}

/**
 * Show the stored ledger notice (a damaged or pruned ledger) in `box`, with a dismiss button.
 * @param {HTMLElement} box
 * @param {HTMLElement} text
 * @param {{kind: string, detail?: string}|undefined} notice
 */
export function renderNotice(box, text, notice) {
  if (!notice || typeof notice.kind !== 'string') {
    box.hidden = true;
    text.textContent = '';
    return;
  }
  text.textContent = msg(`ledgerNotice_${notice.kind}`);
  box.dataset.kind = notice.kind;
  box.hidden = false;
}

// ---- the options page's chart: how many creators have which sponsored share ----

/** The chart's bars: sponsored share in tenths (0–9 %, 10–19 %, …, 90–100 %). */
export const SHARE_BUCKETS = 10;

/**
 * Creators with enough posts to judge, counted per tenth of sponsored share; those with too few
 * posts are only counted (a share of 1 in 2 posts says nothing).
 * @param {import('./messages.js').CreatorSummary[]} creators
 */
export function shareHistogram(creators) {
  const buckets = new Array(SHARE_BUCKETS).fill(0);
  let tooFew = 0;
  for (const c of creators) {
    if (!c.enough_to_judge) {
      tooFew++;
      continue;
    }
    buckets[shareBucket(c.sponsored_share)]++;
  }
  return { buckets, judged: creators.length - tooFew, tooFew };
}

/** The bar a sponsored share (0–1) falls in; 1 is in the last. */
export function shareBucket(share) {
  return Math.min(SHARE_BUCKETS - 1, Math.max(0, Math.floor(share * SHARE_BUCKETS + 1e-9)));
}

/** "10%–19%": the range of bar `index`, in the UI language. */
export function bucketLabel(index) {
  const low = index / SHARE_BUCKETS;
  const high = index === SHARE_BUCKETS - 1 ? 1 : (index + 1) / SHARE_BUCKETS - 0.01;
  return msg('optionsChartBucket', [percent(low), percent(high)]);
}

/**
 * Draw the histogram as CSS bars (hidden from screen readers) and fill its table equivalent (for
 * them). Built with DOM calls and textContent only.
 * @param {HTMLElement} bars   the visual chart (aria-hidden)
 * @param {HTMLTableSectionElement} tbody  the table equivalent's body
 * @param {HTMLElement} note   the line under the chart
 * @param {ReturnType<typeof shareHistogram>} histogram
 */
export function renderShareChart(bars, tbody, note, { buckets, judged, tooFew }) {
  const top = Math.max(1, ...buckets);
  const columns = [];
  const rows = [];
  buckets.forEach((n, index) => {
    const label = bucketLabel(index);
    const column = document.createElement('div');
    column.className = 'bar-col';
    column.title = msgCount('optionsChartBar', n, [count(n), label]);
    const value = document.createElement('span');
    value.className = 'bar-value';
    value.textContent = count(n);
    const bar = document.createElement('div');
    bar.className = 'bar';
    bar.style.height = `${(n / top) * 100}%`;
    const track = document.createElement('div');
    track.className = 'bar-track';
    track.append(bar);
    const axis = document.createElement('span');
    axis.className = 'bar-label';
    axis.textContent = percent(index / SHARE_BUCKETS);
    column.append(value, track, axis);
    columns.push(column);

    const tr = document.createElement('tr');
    tr.dataset.bucket = String(index);
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = label;
    const td = document.createElement('td');
    td.textContent = count(n);
    tr.append(th, td);
    rows.push(tr);
  });
  bars.replaceChildren(...columns);
  tbody.replaceChildren(...rows);
  note.textContent = msgCount('optionsChartNote', judged, [count(judged), count(tooFew)]);
}
