/**
 * The on/off switch shared by the popup and the options page. The page never writes storage itself:
 * it asks the service worker (the only writer) and shows what the worker stored.
 * `<html data-state>` is `loading`, `ready`, `saving` or `error` (the end-to-end tests wait on it).
 */
import { api } from './shim.js';
import { HINT_KINDS, MSG, SETTINGS_KEY, normalizeSettings, send } from './messages.js';
import { msg } from './i18n.js';

const root = document.documentElement;

/**
 * @param {HTMLInputElement} input   an <input type=checkbox role=switch>
 * @param {HTMLElement} status       a live region that says the current state in words
 */
export async function bindEnabledSwitch(input, status) {
  const render = (/** @type {boolean} */ enabled) => {
    input.checked = enabled;
    status.textContent = msg(enabled ? 'statusOn' : 'statusOff');
  };

  root.dataset.state = 'loading';
  try {
    render((await send({ type: MSG.GET_SETTINGS })).enabled);
  } catch (error) {
    status.textContent = msg('settingsLoadFailed');
    root.dataset.state = 'error';
    throw error;
  }
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
  api.storage.onChanged.addListener((changes) => {
    const change = changes[SETTINGS_KEY];
    if (change && root.dataset.state !== 'saving') render(normalizeSettings(change.newValue).enabled);
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

  fieldset.dataset.state = 'loading';
  try {
    render((await send({ type: MSG.GET_SETTINGS })).show);
  } catch (error) {
    status.textContent = msg('settingsLoadFailed');
    fieldset.dataset.state = 'error';
    throw error;
  }
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

  api.storage.onChanged.addListener((changes) => {
    const change = changes[SETTINGS_KEY];
    if (change && fieldset.dataset.state !== 'saving') render(normalizeSettings(change.newValue).show);
  });
}
