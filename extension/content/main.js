/**
 * The content script's entry point (loaded by content.js at document_start).
 *
 * It follows the setting: when hints are on it starts the engine (in the content script, or through
 * the service worker when the page's CSP forbids wasm), reads TikTok's page rules from it and runs the
 * {@link Scanner}; when they are off it stops the scanner, which removes every hint at once. Every
 * context learns of a change through a storage change event on the settings area (`watchSettings`; the
 * service worker is the only writer).
 *
 * `<html data-deinfluencer-engine>` records where the engine runs (`content-script`, `service-worker`,
 * or `unavailable`).
 */
import { api } from '../shim.js';
import { MSG, normalizeSettings, send, watchSettings } from '../messages.js';
import { bootEngine } from './boot.js';
import { compileRules } from './page.js';
import { Scanner } from './scan.js';
import { ProfileBanner } from './banner.js';
import { useLanguage } from '../i18n.js';

const root = document.documentElement;

/** The language of the extension's strings (en, id, vi…): the engine explains in it, or in English. */
function uiLanguage() {
  return api.i18n.getMessage('languageCode') || 'en';
}

/** @type {Promise<Scanner>|null} */
let scannerStart = null;
/** @type {Scanner|null} */
let scanner = null;
/** @type {ProfileBanner|null} the creator profile banner, on and off with the hints */
let banner = null;

/** @param {string} language  the `language` setting: `auto` is the browser's */
function startScanner(language) {
  scannerStart ??= (async () => {
    const engine = await bootEngine();
    root.dataset.deinfluencerEngine = engine.backend;
    const rules = compileRules(await engine.tiktokPageRules());
    // The chosen language's texts (i18n.js) before the first hint or banner; the browser's on failure.
    await useLanguage(language).catch((error) => console.warn('Deinfluencer: could not load the language', language, error));
    scanner = new Scanner({ engine, rules, lang: language === 'auto' ? uiLanguage() : language });
    banner = new ProfileBanner({ rules });
    return scanner;
  })().catch((error) => {
    scannerStart = null;
    root.dataset.deinfluencerEngine = 'unavailable';
    throw error;
  });
  return scannerStart;
}

/**
 * @param {{listen: (fn: ((message: {url: string, text: string}) => void)|null) => void}} jsonChannel
 *   the MAIN-world hook's captured responses (content.js)
 */
export async function main(jsonChannel) {
  /** @type {import('../messages.js').Settings} */
  let settings = normalizeSettings(undefined);

  const apply = async () => {
    if (!settings.enabled) {
      // Synchronous: the hints are gone before the next frame.
      scanner?.stop();
      banner?.stop();
      jsonChannel.listen(null);
      return;
    }
    const started = await startScanner(settings.language);
    if (!settings.enabled) return; // turned off again while the engine started
    started.setShow(settings.show);
    started.start();
    banner?.start();
    jsonChannel.listen((message) => started.addJson(message.text));
  };

  watchSettings((change) => {
    settings = normalizeSettings(change.newValue);
    apply().catch((error) => console.warn('Deinfluencer could not start:', error));
  });

  settings = normalizeSettings(await send({ type: MSG.GET_SETTINGS }));
  await apply();
}
