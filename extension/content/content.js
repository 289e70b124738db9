// Deinfluencer content script (isolated world, document_start). Content scripts cannot be ES modules, so
// this classic script does only what must happen synchronously at document_start, then loads the module
// graph (content/main.js and what it imports) with a dynamic import():
//
// 1. announce a fresh random channel tag to the MAIN-world hook (content/hook.js) on
//    <html data-deinfluencer-channel>; the hook reads it and removes it before the page's scripts run;
// 2. listen for the hook's events (named after that tag: the page does not know it) and keep them until
//    main.js takes over. Their content is untrusted: it only ever feeds the engine, as text. While hints
//    are off the latest few are kept in memory (bounded, never sent anywhere), so that turning hints on
//    judges the cards already on the page from their JSON, as if hints had been on all along.
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const root = document.documentElement;
  const channel = crypto.randomUUID();
  root.setAttribute('data-deinfluencer-channel', channel);

  const MAX_QUEUED = 40;
  const MAX_QUEUED_CHARS = 16 * 1024 * 1024;
  /** @type {{url: string, text: string}[]} */
  const queued = [];
  let queuedChars = 0;
  const enqueue = (message) => {
    queued.push(message);
    queuedChars += message.text.length;
    while (queued.length > MAX_QUEUED || (queuedChars > MAX_QUEUED_CHARS && queued.length > 1)) {
      queuedChars -= queued.shift().text.length;
    }
  };
  /** @type {((message: {url: string, text: string}) => void)|null} */
  let consumer = null;

  // The hook dispatches `deinfluencer-json-<tag>` synchronously (see hook.js), detail "<url>\n<text>".
  window.addEventListener(`deinfluencer-json-${channel}`, (event) => {
    const detail = /** @type {CustomEvent} */ (event).detail;
    if (typeof detail !== 'string') return;
    const cut = detail.indexOf('\n');
    if (cut < 0) return;
    const message = { url: detail.slice(0, cut), text: detail.slice(cut + 1) };
    if (consumer) consumer(message);
    else enqueue(message);
  });

  /** Handed to main(): drain the queue into `fn`, then deliver every later message to it (null: queue again). */
  const jsonChannel = {
    listen(fn) {
      consumer = fn;
      if (!fn) return;
      queuedChars = 0;
      for (const message of queued.splice(0)) fn(message);
    },
  };

  import(api.runtime.getURL('content/main.js'))
    .then((module) => module.main(jsonChannel))
    .catch((error) => {
      root.dataset.deinfluencerEngine = 'unavailable';
      console.warn('Deinfluencer could not start:', error);
    });
})();
