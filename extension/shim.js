/**
 * One name for the WebExtension API in every context: Firefox exposes `browser`, Chrome exposes
 * `chrome`; both return promises in Manifest V3. Only their common subset is used.
 */
function webExtensionApi() {
  const api = globalThis.browser ?? globalThis.chrome;
  if (!api?.runtime) {
    throw new Error('Deinfluencer must run as a browser extension (no browser.runtime / chrome.runtime here)');
  }
  return api;
}

export const api = webExtensionApi();
