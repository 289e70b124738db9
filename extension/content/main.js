/**
 * The content script's entry point (loaded by content.js).
 *
 * For now it proves the engine answers: it classifies one post read from the page and records where
 * the engine ran (`data-deinfluencer-engine`) and the verdict (`data-deinfluencer-engine-verdict`) on
 * <html>. The overlay grows from here.
 */
import { api } from '../shim.js';
import { MSG, SETTINGS_KEY, normalizeSettings, send } from '../messages.js';
import { bootEngine } from './boot.js';
import { postFromPage } from './page.js';

const root = document.documentElement;

/** The language of the extension's strings (en, id, vi…): the engine explains in it, or in English. */
function uiLanguage() {
  return api.i18n.getMessage('languageCode') || 'en';
}

let started = false;

async function start() {
  if (started) return;
  started = true;
  const engine = await bootEngine();
  const [verdict] = await engine.classifyPosts([postFromPage(location, document)], uiLanguage());
  root.dataset.deinfluencerEngine = engine.backend;
  root.dataset.deinfluencerEngineVerdict = verdict.verdict;
}

export async function main() {
  const settings = await send({ type: MSG.GET_SETTINGS });
  if (settings.enabled) {
    await start();
    return;
  }
  // Off: do nothing until the user turns hints on (the service worker writes, everyone listens).
  api.storage.onChanged.addListener((changes) => {
    const change = changes[SETTINGS_KEY];
    if (change && normalizeSettings(change.newValue).enabled) {
      start().catch((error) => {
        root.dataset.deinfluencerEngine = 'unavailable';
        console.warn('Deinfluencer could not start:', error);
      });
    }
  });
}
