/**
 * Localisation for extension pages and the profile banner: every visible string comes from
 * _locales/<lang>/messages.json. Elements name their message with `data-i18n` (text), `data-i18n-title`
 * or `data-i18n-aria-label`. Text is always set with textContent, never as HTML.
 *
 * The language is the browser's (`browser.i18n`, which picks the locale) unless the user chose one in
 * the options (`settings.language`): then {@link useLanguage} loads that locale's messages.json and
 * {@link msg} formats from it, falling back to English for a missing message, as the browser does.
 */
import { api } from './shim.js';

/**
 * A locale's messages, as in messages.json.
 * @typedef {Record<string, {message: string, placeholders?: Record<string, {content: string}>}>} Catalog
 */

/** @type {Catalog[]} the chosen language's messages, then English; empty: the browser's choice */
let catalogs = [];

/** `$$`, a named placeholder `$NAME$`, or a numbered substitution `$1`…`$9`. */
const PLACEHOLDER = /\$\$|\$([A-Za-z0-9_@]+)\$|\$([1-9])/g;

/**
 * Format a catalog entry the way `i18n.getMessage` does.
 * @param {Catalog[string]} entry
 * @param {string[]} subs
 */
function format(entry, subs) {
  const placeholders = Object.fromEntries(
    Object.entries(entry.placeholders ?? {}).map(([name, value]) => [name.toLowerCase(), String(value?.content ?? '')]),
  );
  const numbered = (n) => subs[Number(n) - 1] ?? '';
  return String(entry.message).replace(PLACEHOLDER, (whole, name, number) => {
    if (whole === '$$') return '$';
    if (number) return numbered(number);
    const content = placeholders[name.toLowerCase()];
    if (content === undefined) return whole;
    return content.replace(/\$([1-9])/g, (_, n) => numbered(n));
  });
}

/**
 * @param {string} key
 * @param {string|string[]} [substitutions]
 */
export function msg(key, substitutions) {
  return lookup(key, substitutions) || key;
}

/**
 * A message about `n` things: `<key>One` when `n` is 1 and the language has that form ("1 post
 * seen"), else `<key>` ("5 posts seen"). Languages without a singular form (id, vi) simply have the
 * same text in both.
 * @param {string} key
 * @param {number} n
 * @param {string|string[]} [substitutions]
 */
export function msgCount(key, n, substitutions) {
  return (n === 1 && lookup(`${key}One`, substitutions)) || msg(key, substitutions);
}

/**
 * The formatted message, or '' when no catalog has it.
 * @param {string} key
 * @param {string|string[]} [substitutions]
 */
function lookup(key, substitutions) {
  if (catalogs.length > 0) {
    const subs = substitutions === undefined ? [] : [substitutions].flat().map(String);
    for (const catalog of catalogs) {
      const entry = catalog[key];
      if (entry && typeof entry.message === 'string') return format(entry, subs);
    }
  }
  return api.i18n.getMessage(key, substitutions);
}

/** @param {string} lang */
async function loadCatalog(lang) {
  const response = await fetch(api.runtime.getURL(`_locales/${lang}/messages.json`));
  if (!response.ok) throw new Error(`_locales/${lang}/messages.json: HTTP ${response.status}`);
  return /** @type {Catalog} */ (await response.json());
}

/**
 * Show every later {@link msg} in `language` (`en`, `id`, `vi`), or in the browser's language for
 * `auto`. A locale that cannot be loaded leaves the browser's language and rejects (the caller says so).
 * @param {string} language  the `language` setting
 */
export async function useLanguage(language) {
  if (!language || language === 'auto') {
    catalogs = [];
    return;
  }
  const wanted = await loadCatalog(language);
  catalogs = language === 'en' ? [wanted] : [wanted, await loadCatalog('en')];
}

/**
 * The language the extension's strings are shown in (the chosen one, or the locale Chrome/Firefox
 * picked from _locales), e.g. `en`, `id`, `vi`. Not `i18n.getUILanguage()`: that is the browser's
 * language, which can differ.
 */
export function uiLanguage() {
  return msg('languageCode');
}

/** Fill every marked element of the document and set its language and direction. */
export function localize(root = document) {
  for (const element of root.querySelectorAll('[data-i18n]')) {
    element.textContent = msg(element.dataset.i18n);
  }
  for (const element of root.querySelectorAll('[data-i18n-title]')) {
    element.title = msg(element.dataset.i18nTitle);
  }
  for (const element of root.querySelectorAll('[data-i18n-aria-label]')) {
    element.setAttribute('aria-label', msg(element.dataset.i18nAriaLabel));
  }
  document.documentElement.lang = uiLanguage();
  document.documentElement.dir = msg('@@bidi_dir') === 'rtl' ? 'rtl' : 'ltr';
}
