/**
 * The on/off switch shared by the popup and the options page. The page never writes storage itself:
 * it asks the service worker (the only writer) and shows what the worker stored.
 * `<html data-state>` is `loading`, `ready`, `saving` or `error` (the end-to-end tests wait on it).
 */
import { HINT_KINDS, LANGUAGES, MSG, RETENTION, normalizeSettings, send, validRetention, watchSettings } from './messages.js';
import { msg, msgCount, useLanguage } from './i18n.js';
import { count } from './ledger-ui.js';

const root = document.documentElement;

/**
 * The stored settings, with `element[data-state]` = `loading` meanwhile; on failure the state is `error`,
 * `status` says so, and the error is re-thrown (the caller's control stays disabled).
 * @param {HTMLElement} element
 * @param {HTMLElement} status
 */
async function loadSettings(element, status) {
  element.dataset.state = 'loading';
  try {
    return await send({ type: MSG.GET_SETTINGS });
  } catch (error) {
    status.textContent = msg('settingsLoadFailed');
    element.dataset.state = 'error';
    throw error;
  }
}

/**
 * @param {HTMLInputElement} input   an <input type=checkbox role=switch>
 * @param {HTMLElement} status       a live region that says the current state in words
 */
export async function bindEnabledSwitch(input, status) {
  const render = (/** @type {boolean} */ enabled) => {
    input.checked = enabled;
    status.textContent = msg(enabled ? 'statusOn' : 'statusOff');
  };

  render((await loadSettings(root, status)).enabled);
  input.disabled = false;
  root.dataset.state = 'ready';

  input.addEventListener('change', async () => {
    const wanted = input.checked;
    input.disabled = true;
    root.dataset.state = 'saving';
    try {
      render((await send({ type: MSG.SET_ENABLED, enabled: wanted })).enabled);
      root.dataset.state = 'ready';
    } catch {
      render(!wanted);
      status.textContent = msg('settingsSaveFailed');
      root.dataset.state = 'error';
    } finally {
      input.disabled = false;
    }
  });

  // Another page (popup vs options) may change the setting while this one is open.
  watchSettings((change) => {
    if (root.dataset.state !== 'saving') render(normalizeSettings(change.newValue).enabled);
  });
}

/**
 * The options page's "which hints to show" checkboxes (one `<input name="<kind>">` per hint kind in
 * `fieldset`). Each change is sent to the service worker (`set-show`); the boxes show what it stored.
 * `fieldset[data-state]` is `loading`, `ready`, `saving` or `error`.
 * @param {HTMLFieldSetElement} fieldset
 * @param {HTMLElement} status  a live region for failures
 */
export async function bindShowOptions(fieldset, status) {
  const boxes = HINT_KINDS.map((kind) => /** @type {HTMLInputElement|null} */ (fieldset.querySelector(`input[name="${kind}"]`)));
  const render = (/** @type {Record<string, boolean>} */ show) => {
    HINT_KINDS.forEach((kind, index) => {
      if (boxes[index]) boxes[index].checked = show[kind] === true;
    });
  };

  render((await loadSettings(fieldset, status)).show);
  fieldset.disabled = false;
  fieldset.dataset.state = 'ready';

  fieldset.addEventListener('change', async (event) => {
    const input = /** @type {HTMLInputElement} */ (event.target);
    if (!HINT_KINDS.includes(input.name)) return;
    const wanted = input.checked;
    fieldset.dataset.state = 'saving';
    status.textContent = '';
    try {
      render((await send({ type: MSG.SET_SHOW, show: { [input.name]: wanted } })).show);
      fieldset.dataset.state = 'ready';
    } catch {
      input.checked = !wanted;
      status.textContent = msg('settingsSaveFailed');
      fieldset.dataset.state = 'error';
    }
  });

  watchSettings((change) => {
    if (fieldset.dataset.state !== 'saving') render(normalizeSettings(change.newValue).show);
  });
}

/**
 * Load the language the user chose (the `language` setting) before any text is shown. A failure
 * leaves the browser's language (the page still works) and is logged.
 */
export async function loadChosenLanguage() {
  try {
    await useLanguage((await send({ type: MSG.GET_SETTINGS })).language);
  } catch (error) {
    console.warn('Deinfluencer: the chosen language could not be loaded:', error);
  }
}

/** Language names as each language writes itself (never translated: a reader must find their own). */
const ENDONYMS = Object.freeze({ en: 'English', id: 'Bahasa Indonesia', vi: 'Tiếng Việt' });

/**
 * The options page's language select: Automatic (the browser's) or one of {@link LANGUAGES}. A choice
 * is sent to the service worker (`set-language`), then the page reloads in that language and puts the
 * focus back on the select. `select[data-state]` is `loading`, `ready`, `saving` or `error`.
 * @param {HTMLSelectElement} select
 * @param {HTMLElement} status  a live region for failures
 */
export async function bindLanguageSelect(select, status) {
  const options = [['auto', msg('languageAuto')], ...LANGUAGES.map((lang) => [lang, ENDONYMS[lang] ?? lang])];
  select.replaceChildren(
    ...options.map(([value, label]) => {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = label;
      if (value !== 'auto') option.lang = value;
      return option;
    }),
  );
  select.value = (await loadSettings(select, status)).language;
  select.disabled = false;
  select.dataset.state = 'ready';
  if (sessionStorage.getItem(FOCUS_AFTER_RELOAD) === select.id) {
    sessionStorage.removeItem(FOCUS_AFTER_RELOAD);
    select.focus();
  }

  select.addEventListener('change', async () => {
    select.dataset.state = 'saving';
    status.textContent = '';
    try {
      await send({ type: MSG.SET_LANGUAGE, language: select.value });
      sessionStorage.setItem(FOCUS_AFTER_RELOAD, select.id);
      location.reload();
    } catch {
      status.textContent = msg('settingsSaveFailed');
      select.dataset.state = 'error';
    }
  });
}

/** sessionStorage key: the id of the element to focus once the page has reloaded in a new language. */
const FOCUS_AFTER_RELOAD = 'deinfluencer-focus';

/**
 * The retention setting: a number field and an Apply button. The service worker stores the number and
 * prunes the ledger at once (`set-retention`); the status says how many posts were removed.
 * `form[data-state]` is `loading`, `ready`, `saving`, `saved`, `invalid` or `error`.
 * @param {HTMLFormElement} form   holds `input[name=retention]` and a submit button
 * @param {HTMLElement} status     a live region
 * @param {() => void} onPruned    called after posts were removed (to refresh the table)
 */
export async function bindRetention(form, status, onPruned) {
  const input = /** @type {HTMLInputElement} */ (form.elements.namedItem('retention'));
  input.min = String(RETENTION.min);
  input.max = String(RETENTION.max);
  input.step = '1';
  input.value = String((await loadSettings(form, status)).retention);
  for (const element of form.elements) /** @type {HTMLInputElement} */ (element).disabled = false;
  form.dataset.state = 'ready';

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const wanted = Number(input.value.trim());
    if (input.value.trim() === '' || !validRetention(wanted)) {
      input.setAttribute('aria-invalid', 'true');
      status.textContent = msg('retentionInvalid', [count(RETENTION.min), count(RETENTION.max)]);
      form.dataset.state = 'invalid';
      input.focus();
      return;
    }
    input.removeAttribute('aria-invalid');
    form.dataset.state = 'saving';
    try {
      const result = await send({ type: MSG.SET_RETENTION, retention: wanted });
      input.value = String(result.retention);
      status.textContent = msgCount('retentionSaved', result.pruned, [count(result.retention), count(result.pruned)]);
      form.dataset.state = 'saved';
      if (result.pruned > 0) onPruned();
    } catch {
      status.textContent = msg('settingsSaveFailed');
      form.dataset.state = 'error';
    }
  });
}
