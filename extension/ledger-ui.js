/**
 * The per-creator ledger in the popup and the options page: shared wording and formatting. Pages
 * only ask the service worker (the ledger's only writer) and show what it answers; every text is set
 * with textContent.
 */
import { msg, uiLanguage } from './i18n.js';

/** A 0–1 ratio as a whole percentage in the UI language, or "—" for null. */
export function percent(ratio) {
  if (typeof ratio !== 'number' || !Number.isFinite(ratio)) return msg('notApplicable');
  return new Intl.NumberFormat(uiLanguage(), { style: 'percent', maximumFractionDigits: 0 }).format(ratio);
}

/** A count in the UI language. */
export function count(n) {
  return new Intl.NumberFormat(uiLanguage()).format(n);
}

/** A time (ms since the epoch) as a short date and time. */
export function when(ms) {
  if (!ms) return msg('notApplicable');
  return new Intl.DateTimeFormat(uiLanguage(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
}

/**
 * One line about a creator: sample size, sponsored share and disclosure rate, or "too few posts to
 * judge" below the ledger's threshold.
 * @param {import('./messages.js').CreatorSummary} c
 */
export function creatorLine(c) {
  const posts = count(c.seen);
  if (!c.enough_to_judge) return msg('ledgerTooFew', [posts]);
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
