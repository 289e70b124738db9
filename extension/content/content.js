// Deinfluencer content script (isolated world). Content scripts cannot be ES modules, so this classic
// script only loads the module graph (content/main.js and what it imports) with a dynamic import().
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  import(api.runtime.getURL('content/main.js'))
    .then((module) => module.main())
    .catch((error) => {
      document.documentElement.dataset.deinfluencerEngine = 'unavailable';
      console.warn('Deinfluencer could not start:', error);
    });
})();
