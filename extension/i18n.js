/**
 * Localisation for extension pages: every visible string comes from _locales/<lang>/messages.json.
 * Elements name their message with `data-i18n` (text), `data-i18n-title` or `data-i18n-aria-label`.
 * Text is always set with textContent, never as HTML.
 */
import { api } from './shim.js';

/**
 * @param {string} key
 * @param {string|string[]} [substitutions]
 */
export function msg(key, substitutions) {
  return api.i18n.getMessage(key, substitutions) || key;
}

/**
 * The language the extension's strings are shown in (the locale Chrome/Firefox picked from _locales),
 * e.g. `en`, `id`, `vi`. Not `i18n.getUILanguage()`: that is the browser's language, which can differ.
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
