// Deinfluencer's only MAIN-world script (manifest: "world": "MAIN", "run_at": "document_start").
//
// It copies the text of TikTok's own item-list API responses and hands it to the isolated content
// script; nothing else. Rules (tiktok-page.md §9): wrap fetch and XMLHttpRequest before TikTok's bundle
// keeps references to them; read a *clone* of a fetch response asynchronously and return the original
// untouched; read an XHR only on "load" and only when responseType is "" or "text"; keep only
// /api/…item_list…, /api/item/detail/ and /api/search/… on TikTok; drop bodies over 8 MB; never throw,
// never change a request or a response, never patch anything else.
//
// The channel: the isolated script puts a random tag on <html data-deinfluencer-channel> at
// document_start; this script reads it once and removes it before the page's own scripts run. Each
// capture is a CustomEvent named after the tag (`deinfluencer-json-<tag>`) dispatched on window, with
// the detail "<url>\n<text>". Dispatching is synchronous: the isolated script has the text before the
// page's own code renders the cards from the same response, so a card is judged once, from its JSON
// (window.postMessage would deliver it a task later, after the cards). The page cannot listen for an
// event name it does not know; the isolated side still treats the text as untrusted.
(() => {
  'use strict';
  const CHANNEL_ATTRIBUTE = 'data-deinfluencer-channel';
  const MAX_CHARS = 8 * 1024 * 1024;
  const WANTED_PATH = /^\/api\/(?:[\w-]+\/)*item_list\/?$|^\/api\/item\/detail\/?$|^\/api\/search\//;

  const win = window;
  const CustomEventOf = win.CustomEvent;
  const dispatchEvent = EventTarget.prototype.dispatchEvent;
  const addEventListener = EventTarget.prototype.addEventListener;
  const removeEventListener = EventTarget.prototype.removeEventListener;
  const responseClone = Response.prototype.clone;
  const responseText = Response.prototype.text;
  const getAttribute = Element.prototype.getAttribute;
  const removeAttribute = Element.prototype.removeAttribute;
  const setTimeout = win.setTimeout.bind(win);

  /** @type {string|null} */
  let channel = null;
  /** Captured before the isolated script announced its channel (rare: script order is not promised). */
  const early = [];

  function readChannel() {
    if (channel) return channel;
    try {
      const root = document.documentElement;
      const tag = root && getAttribute.call(root, CHANNEL_ATTRIBUTE);
      if (tag) {
        channel = tag;
        removeAttribute.call(root, CHANNEL_ATTRIBUTE);
      }
    } catch {
      // no document yet
    }
    return channel;
  }

  function deliver(url, text) {
    try {
      dispatchEvent.call(win, new CustomEventOf(`deinfluencer-json-${channel}`, { detail: `${url}\n${text}` }));
    } catch {
      // never disturb the page
    }
  }

  let retries = 0;
  function flushEarly() {
    if (readChannel()) {
      for (const [url, text] of early.splice(0)) deliver(url, text);
    } else if (retries++ < 50) {
      setTimeout(flushEarly, 100);
    } else {
      early.length = 0;
    }
  }

  function send(url, text) {
    if (typeof text !== 'string' || text.length === 0 || text.length > MAX_CHARS) return;
    if (readChannel()) {
      deliver(url, text);
    } else if (early.length < 20) {
      early.push([url, text]);
      if (early.length === 1) setTimeout(flushEarly, 0);
    }
  }

  /** The absolute URL if it is one of TikTok's item APIs, else null. */
  function wanted(input) {
    try {
      const url = new URL(String(input), win.location.href);
      if (url.hostname !== 'tiktok.com' && !url.hostname.endsWith('.tiktok.com')) return null;
      return WANTED_PATH.test(url.pathname) ? url.href : null;
    } catch {
      return null;
    }
  }

  readChannel();

  // ---- fetch ----
  const realFetch = win.fetch;
  if (typeof realFetch === 'function') {
    const fetch = function fetch(input, init) {
      const result = realFetch.apply(this, arguments);
      try {
        const url = wanted(input && typeof input === 'object' && 'url' in input ? input.url : input);
        if (url) {
          result.then(
            (response) => {
              try {
                if (!response || !response.ok) return;
                const length = Number(response.headers.get('content-length'));
                if (length > MAX_CHARS) return;
                responseText.call(responseClone.call(response)).then((text) => send(url, text), () => {});
              } catch {
                // a used or opaque body: nothing to read
              }
            },
            () => {},
          );
        }
      } catch {
        // never disturb the page
      }
      return result;
    };
    try {
      win.fetch = fetch;
    } catch {
      // a frozen fetch: leave it
    }
  }

  // ---- XMLHttpRequest ----
  const proto = win.XMLHttpRequest && win.XMLHttpRequest.prototype;
  if (proto && typeof proto.open === 'function') {
    const realOpen = proto.open;
    /** @type {WeakMap<XMLHttpRequest, string>} */
    const urls = new WeakMap();

    function onLoad() {
      try {
        if (this.responseType !== '' && this.responseType !== 'text') return;
        if (this.status < 200 || this.status >= 300) return;
        send(urls.get(this), this.responseText);
      } catch {
        // never disturb the page
      }
    }

    // The load listener is added in open(), usually before the page adds its own, so the text reaches
    // the isolated script before the page renders the cards from it.
    proto.open = function open(method, url) {
      try {
        const wantedUrl = wanted(url);
        if (wantedUrl) {
          urls.set(this, wantedUrl);
          addEventListener.call(this, 'load', onLoad);
        } else if (urls.delete(this)) {
          removeEventListener.call(this, 'load', onLoad);
        }
      } catch {
        // never disturb the page
      }
      return realOpen.apply(this, arguments);
    };
  }
})();
