import { api } from './shim.js';
import { localize } from './i18n.js';
import { bindEnabledSwitch } from './settings-ui.js';

localize();

document.getElementById('open-options').addEventListener('click', () => {
  api.runtime.openOptionsPage();
  window.close();
});

bindEnabledSwitch(
  /** @type {HTMLInputElement} */ (document.getElementById('enabled')),
  document.getElementById('enabled-status'),
);
