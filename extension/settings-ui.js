/**
 * The on/off switch shared by the popup and the options page. The page never writes storage itself:
 * it asks the service worker (the only writer) and shows what the worker stored.
 * `<html data-state>` is `loading`, `ready`, `saving` or `error` (the end-to-end tests wait on it).
 */
import { api } from './shim.js';
import { MSG, SETTINGS_KEY, normalizeSettings, send } from './messages.js';
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
