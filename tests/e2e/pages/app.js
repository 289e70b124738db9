// The fake TikTok front end used by the end-to-end tests (served at https://www.tiktok.com/static/app.js).
// Like TikTok's React app, it gets its items from TikTok's JSON — the page blob or its own fetch/XHR
// calls to /api/… — and renders cards in TikTok's markup, writing text with textContent only. It is an
// SPA: navigate() pushes a route and re-renders without a reload. window.__fixture lets the tests drive
// it (loadMore, recycle, navigate).
(() => {
  'use strict';
  const main = document.getElementById('main');
  /** @type {Map<string, any>} */
  const items = new Map();
  // TikTok's ids are strings; a synthetic fixture has a numeric one beyond 2^53: keep its digits.
  const parse = (text) => JSON.parse(text.replace(/("id"\s*:\s*)(\d{16,})/g, '$1"$2"'));
  const remember = (list) => list.filter((item) => item && item.id).map((item) => (items.set(String(item.id), item), item));
  let feedCursor = 0;
  let feedIndex = 0;
  let renders = 0;

  /** el('div', {class: 'x', 'data-e2e': 'y'}, child, 'text', …) */
  function el(tag, attributes = {}, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    for (const child of children) element.append(child);
    return element;
  }

  const handleOf = (item) => (typeof item.author === 'string' ? item.author : item.author?.uniqueId) || 'unknown';
  const nicknameOf = (item) => (typeof item.author === 'string' ? item.nickname : item.author?.nickname) || handleOf(item);
  const hue = (id) => [...String(id)].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 7);

  /** The caption as TikTok renders it: text runs and hashtag links. */
  function caption(desc, e2e = 'video-desc') {
    const container = el('div', { 'data-e2e': e2e, class: 'css-1d2e3f-DivDescription' });
    for (const part of String(desc ?? '').split(/(#[\p{L}\p{N}_]+)/u)) {
      if (!part) continue;
      if (part.startsWith('#')) {
        container.append(el('a', { 'data-e2e': 'search-common-link', href: `/tag/${part.slice(1)}` }, el('strong', {}, part)), ' ');
      } else {
        container.append(el('span', { 'data-e2e': 'new-desc-span' }, part));
      }
    }
    return container;
  }

  function pills(item) {
    const row = el('div', { class: 'css-6f7g8h-DivItemTagsContainer e1abc0' });
    if (item.isAd) row.append(el('div', { 'data-e2e': 'ad-tag' }, 'Sponsored'));
    if (item.__pill) row.append(el('div', { class: 'css-2k3l4m-DivTag' }, item.__pill));
    return row;
  }

  function media(item, label) {
    const frame = el('div', { id: `xgwrapper-0-${item.id}`, class: 'xgplayer-container fake-video' }, el('span', { class: 'fake-frame' }, label));
    frame.style.setProperty('--hue', String(hue(item.id)));
    return frame;
  }

  // ---- For You ----

  function feedCard(item, index) {
    const handle = handleOf(item);
    const info = el(
      'div',
      { class: 'css-2w3e4r-DivMainInfoContainer' },
      pills(item),
      el(
        'div',
        { class: 'css-1q2w3e-DivAuthorContainer' },
        el(
          'a',
          { href: `/@${handle}`, class: 'css-0p9o8i-StyledAuthorAnchor' },
          el('h3', { 'data-e2e': 'video-author-uniqueid' }, handle),
          el('span', { 'data-e2e': 'video-author-nickname' }, nicknameOf(item)),
        ),
      ),
      el('div', { class: 'css-5t6y7u-DivDescriptionWrapper' }, caption(item.desc)),
    );
    // Half of the cards carry a link to the video (the join uses it first), the rest only the player id.
    if (index % 2 === 0) info.append(el('a', { class: 'css-9z8y7x-StyledLink video-link', href: `/@${handle}/video/${item.id}` }, 'Open'));
    return el(
      'article',
      { 'data-e2e': 'recommend-list-item-container', 'data-scroll-index': String(index), class: 'css-1x2y3z-ArticleItemContainer e1g2yhv80' },
      el(
        'div',
        { class: 'css-9a8b7c-DivContentFlexLayout' },
        el(
          'section',
          { id: `media-card-${index}`, class: 'css-q1w2e3-SectionMediaCardContainer' },
          el('div', { class: 'css-7h6g5f-DivMediaCardTop' }, el('div', { class: 'css-4r5t6y-DivBasicPlayerWrapper e1yey0rl2' }, media(item, '▶'))),
          el('div', { class: 'css-3e4r5t-DivMediaCardBottom' }, info),
        ),
        el(
          'section',
          { class: 'css-8u7y6t-SectionActionBarContainer' },
          el('button', { 'data-e2e': 'like-icon', 'aria-label': 'Like', type: 'button' }, '♥'),
          el('strong', { 'data-e2e': 'like-count' }, '1.2K'),
          el('button', { 'data-e2e': 'comment-icon', 'aria-label': 'Comments', type: 'button' }, '💬'),
          el('strong', { 'data-e2e': 'comment-count' }, '85'),
        ),
      ),
    );
  }

  /** `?virtual=N`: keep at most N cards in the DOM, like TikTok's virtualised feed (a spacer keeps the scroll). */
  const virtualLimit = Number(new URLSearchParams(location.search).get('virtual')) || 0;

  async function loadFeed(count) {
    const cursor = feedCursor++;
    const response = await fetch(`/api/recommend/item_list/?count=${count}&cursor=${cursor}&from_page=fyp`);
    const list = remember(parse(await response.text()).itemList ?? []);
    const fragment = document.createDocumentFragment();
    for (const item of list) fragment.append(feedCard(item, feedIndex++));
    const feed = document.getElementById('feed') ?? main;
    feed.append(fragment);
    if (virtualLimit > 0) {
      let spacer = document.getElementById('feed-spacer');
      if (!spacer) {
        spacer = el('div', { id: 'feed-spacer' });
        spacer.style.height = '0px';
        feed.prepend(spacer);
      }
      let removed = 0;
      const cards = feed.querySelectorAll('article');
      for (let i = 0; i < cards.length - virtualLimit; i++) {
        removed += cards[i].offsetHeight;
        cards[i].remove();
      }
      spacer.style.height = `${parseFloat(spacer.style.height) + removed}px`;
    }
    return list.length;
  }

  /** TikTok recycles a card for another video: same element, new id, new text. */
  function recycle(index, id) {
    const card = document.querySelector(`article[data-scroll-index="${index}"]`);
    const item = items.get(String(id));
    if (!card || !item) throw new Error(`cannot recycle card ${index} to ${id}`);
    const handle = handleOf(item);
    const player = card.querySelector('.xgplayer-container');
    player.id = `xgwrapper-0-${item.id}`;
    player.style.setProperty('--hue', String(hue(item.id)));
    const link = card.querySelector('a.video-link');
    if (link) link.setAttribute('href', `/@${handle}/video/${item.id}`);
    card.querySelector('[data-e2e="video-author-uniqueid"]').textContent = handle;
    card.querySelector('[data-e2e="video-author-nickname"]').textContent = nicknameOf(item);
    card.querySelector('[data-e2e="video-desc"]').replaceWith(caption(item.desc));
    card.querySelector('[class*="DivItemTagsContainer"]').replaceWith(pills(item));
  }

  // ---- other pages ----

  function readBlob() {
    const script = document.getElementById('__UNIVERSAL_DATA_FOR_REHYDRATION__');
    try {
      return script ? JSON.parse(script.textContent)?.__DEFAULT_SCOPE__ ?? {} : {};
    } catch {
      return {};
    }
  }

  function renderVideo() {
    const item = readBlob()['webapp.video-detail']?.itemInfo?.itemStruct;
    if (!item) return;
    remember([item]);
    main.append(
      el(
        'div',
        { 'data-e2e': 'browse-video', class: 'css-1a2b3c-DivBrowserModeContainer' },
        el('div', { class: 'css-4d5e6f-DivVideoContainer' }, media(item, '▶')),
        el(
          'div',
          { class: 'css-7g8h9i-DivInfoContainer' },
          pills(item),
          el('a', { href: `/@${handleOf(item)}` }, el('span', { 'data-e2e': 'browse-username' }, handleOf(item))),
          caption(item.desc),
        ),
      ),
    );
  }

  function tile(item, e2e, descE2e) {
    const handle = handleOf(item);
    return el(
      'div',
      { 'data-e2e': e2e, class: 'css-3c4d5e-DivItemContainerV2' },
      el(
        'div',
        { class: 'css-8i9o0p-DivPlayerContainer' },
        el('a', { href: `/@${handle}/video/${item.id}`, class: 'css-1p2o3i-StyledLink' }, el('div', { class: 'css-5r6t7y-DivContainer fake-tile' }, media(item, ''))),
      ),
      el('div', { 'data-e2e': descE2e }, el('a', { title: item.desc || '', href: `/@${handle}/video/${item.id}` }, item.desc || '')),
      el('strong', { 'data-e2e': 'video-views' }, '24K'),
    );
  }

  function xhr(url) {
    return new Promise((resolve, reject) => {
      const request = new XMLHttpRequest();
      request.open('GET', url);
      request.addEventListener('load', () => resolve(parse(request.responseText)));
      request.addEventListener('error', reject);
      request.send();
    });
  }

  async function renderProfile() {
    const grid = el('div', { 'data-e2e': 'user-post-item-list', class: 'css-7y8u9i-DivVideoFeedV2' });
    main.append(grid);
    const info = readBlob()['webapp.user-detail']?.userInfo;
    for (const item of remember(info?.itemList ?? [])) grid.append(tile(item, 'user-post-item', 'user-post-item-desc'));
    const more = await xhr(`/api/post/item_list/?secUid=${encodeURIComponent(info?.user?.secUid ?? '')}&cursor=0&count=30`);
    for (const item of remember(more.itemList ?? [])) grid.append(tile(item, 'user-post-item', 'user-post-item-desc'));
  }

  async function renderSearch() {
    const list = el('div', { 'data-e2e': 'search_top-item-list', class: 'css-1v2b3n-DivItemContainerForSearch' });
    main.append(list);
    const q = new URLSearchParams(location.search).get('q') ?? '';
    const data = await xhr(`/api/search/general/full/?keyword=${encodeURIComponent(q)}&offset=0`);
    for (const entry of data.data ?? []) {
      if (entry.type !== 1 || !entry.item) continue;
      const item = remember([entry.item])[0];
      const card = tile(item, 'search_top-item', 'search-card-desc');
      card.append(el('p', { 'data-e2e': 'search-card-user-unique-id' }, handleOf(item)));
      list.append(card);
    }
  }

  async function renderTag() {
    const grid = el('div', { 'data-e2e': 'challenge-item-list', class: 'css-2x3c4v-DivChallengeFeed' });
    main.append(grid);
    const response = await fetch(`/api/challenge/item_list/?challengeID=1&count=30&cursor=0`);
    for (const item of remember(parse(await response.text()).itemList ?? [])) {
      const card = tile(item, 'challenge-item', 'challenge-item-desc');
      grid.append(card);
    }
  }

  async function renderFeed(first) {
    // The server-rendered card stays on the first load (React hydrates it); a client-side visit starts empty.
    main.append(el('div', { id: 'feed', class: 'css-6y7u8i-DivOneColumnContainer' }));
    const ssr = [...main.querySelectorAll('article')].filter((a) => !a.closest('#feed'));
    document.getElementById('feed').append(...ssr);
    feedCursor = 0;
    feedIndex = 0;
    await loadFeed(8);
  }

  async function route(first = false) {
    const path = location.pathname;
    document.body.dataset.loaded = '';
    if (!first) main.replaceChildren();
    if (/^\/(foryou|en)?$/.test(path)) await renderFeed(first);
    else if (/^\/@[^/]+\/(video|photo)\/\d+/.test(path)) renderVideo();
    else if (/^\/@[^/]+\/?$/.test(path)) await renderProfile();
    else if (path.startsWith('/search')) await renderSearch();
    else if (path.startsWith('/tag/')) await renderTag();
    document.body.dataset.loaded = path;
    document.body.dataset.renders = String(++renders);
  }

  addEventListener('popstate', () => route().catch((error) => console.error('fixture app:', error)));

  const ready = route(true).catch((error) => console.error('fixture app:', error));
  window.__fixture = {
    ready,
    loadMore: (count = 6) => loadFeed(count),
    recycle,
    navigate: (path) => {
      history.pushState({}, '', path);
      return route();
    },
  };
})();
