import { api } from './shim.js';
import { MSG, send } from './messages.js';
import { localize, msg } from './i18n.js';
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
