// A fake www.tiktok.com for the end-to-end tests: HTML documents in TikTok's markup (data-e2e hooks,
// readable class-name parts), TikTok's page blob (__UNIVERSAL_DATA_FOR_REHYDRATION__, escaped as TikTok
// serves it) and TikTok's API responses (/api/recommend/item_list/, /api/post/item_list/,
// /api/search/general/full/, /api/challenge/item_list/), built from the real item JSON in
// tests/fixtures/tiktok/ plus hand-written realistic cases. The page's own script
// (tests/e2e/pages/app.js, served at /static/app.js) fetches the items and renders the cards, like
// TikTok's React app; it exposes window.__fixture for the tests (loadMore, recycle, navigate).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers.js';

const FIXTURES = join(ROOT, 'tests', 'fixtures', 'tiktok');
const PAGES = join(ROOT, 'tests', 'e2e', 'pages');
const fixtureJson = (name) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const fixtureText = (name) => readFileSync(join(FIXTURES, name), 'utf8');

/** The nonce in helpers.TIKTOK_CSP: the page's scripts carry it, as TikTok's do. */
export const NONCE = 'dGVzdC1ub25jZQ';

/**
 * A TikTok-shaped item (the fields tiktok-page.md §7.1 lists; flags omitted = false), with
 * `textExtra` hashtags and mentions at UTF-16 offsets, as TikTok sends them.
 */
export function makeItem({ id, handle, nickname = handle, desc, extra = {}, author = {} }) {
  const textExtra = [];
  for (const match of desc.matchAll(/[#@][\p{L}\p{N}_.]+/gu)) {
    const isTag = match[0][0] === '#';
    const name = match[0].slice(1).replace(/\.$/, '');
    textExtra.push({
      awemeId: '',
      start: match.index,
      end: match.index + 1 + name.length,
      hashtagName: isTag ? name : '',
      type: isTag ? 1 : 0,
      subType: 0,
      isCommerce: false,
      userUniqueId: isTag ? '' : name,
      userId: '',
      secUid: '',
    });
  }
  return {
    id,
    desc,
    createTime: '1737272774',
    author: {
      id: `70000000000${id.slice(-8)}`,
      uniqueId: handle,
      nickname,
      secUid: `MS4wLjABAAAA_fake_secuid_${handle}`,
      signature: '',
      verified: false,
      privateAccount: false,
      ttSeller: false,
      ...author,
    },
    music: { id: `68${id.slice(-10)}`, title: `original sound - ${handle}`, authorName: nickname },
    stats: { diggCount: 1200, shareCount: 30, commentCount: 85, playCount: 24000 },
    textExtra,
    challenges: textExtra.filter((t) => t.type === 1).map((t) => ({ id: '', title: t.hashtagName, isCommerce: false })),
    adAuthorization: false,
    adLabelVersion: 0,
    ...extra,
  };
}

// ---- the cases ----

/** Own realistic cases, with the verdict the engine gives them. */
export const OWN = {
  glowSerum: makeItem({
    id: '7350000000000000101',
    handle: 'glowbyrina',
    nickname: 'Rina ✨ skincare',
    desc: 'Obsessed with this glow serum ✨ use code GLOW20 for 20% off, link in bio #skincare #glowup',
  }),
  earbudsPill: {
    ...makeItem({
      id: '7350000000000000102',
      handle: 'techwithtam',
      nickname: 'Tam | tech',
      desc: 'Trying the new Lumen X earbuds 🎧 #tech #unboxing',
    }),
    // Test-only: the fake app renders TikTok's tag-row pill from this; the engine ignores the key.
    __pill: 'Paid partnership',
  },
  sp: makeItem({
    id: '7350000000000000103',
    handle: 'mai.makeup',
    nickname: 'Mai',
    desc: '#sp thank you @glowco for sending this over 💛 #skincare',
  }),
  xss: makeItem({
    id: '7350000000000000104',
    handle: 'sneaky_sam',
    nickname: '<img src=x onerror="window.__xss=3"> Sam',
    desc: 'Use code SAVE10 at checkout <img src=x onerror="window.__xss=1"> <script>window.__xss=2</script> link in bio',
  }),
  adDisclosed: makeItem({
    id: '7350000000000000105',
    handle: 'nina.eats',
    nickname: 'Nina eats',
    desc: '#ad Partnered with @lumenaudio to show you the X earbuds 🎧 use code LUMEN15 #tech',
  }),
  profileRestock: makeItem({
    id: '7400000000000000611',
    handle: 'creator_profile_6',
    nickname: 'Profile Creator 6',
    desc: 'Restock! Use my code PROFILE10 for 10% off, link in bio 🛍️ #smallbusiness',
  }),
  profileCollab: makeItem({
    id: '7400000000000000612',
    handle: 'creator_profile_6',
    nickname: 'Profile Creator 6',
    desc: 'Thanks @brand_account_3 for gifting me this jacket, #collab #weekend',
  }),
  tagCleaning: makeItem({
    id: '7350000000000000201',
    handle: 'cleanwithjo',
    nickname: 'Jo',
    desc: 'Sunday reset 🧺 cleaning my whole flat #cleantok #skincare',
  }),
};

/** The server-rendered feed card that never arrives as JSON (the DOM-only fallback). */
export const DOM_ONLY = {
  id: '7350000000000000999',
  handle: 'maya.style',
  nickname: 'Maya',
  desc: 'Use my code MAYA15 for 15% off 💸 #fashion #ootd',
};

const real = {
  twPlain: fixtureJson('tiktok_item_2022-11_TW_plain.json'),
  jpAmbassador: fixtureJson('tiktok_item_2022-11_JP_ambassador_hashtags_no_label.json'),
  krTrending: fixtureJson('tiktok_api_trending_itemList_2024-12_KR_abridged.json').itemList[0],
  readme2021: fixtureJson('tiktok_itemstruct_2021-12_readme_example.json'),
  shop: fixtureJson('synthetic_item_shop_promotional.json'),
  isAd2026: fixtureJson('tiktok_universal_data_video-detail_2026-09_isAd_true_trimmed.json').__DEFAULT_SCOPE__[
    'webapp.video-detail'
  ].itemInfo.itemStruct,
};

/** The For You page's first response, in order, with the verdict each card must get. */
export const FEED_FIRST = [
  { item: OWN.glowSerum, verdict: 'undisclosed', hint: 'undisclosed' },
  { item: real.twPlain, verdict: 'organic', hint: null },
  { item: OWN.earbudsPill, verdict: 'disclosed', hint: 'disclosed' },
  { item: OWN.sp, verdict: 'unclear', hint: 'unclear' },
  { item: OWN.xss, verdict: 'undisclosed', hint: 'undisclosed' },
  { item: real.jpAmbassador, verdict: 'unclear', hint: 'unclear' },
  { item: real.shop, verdict: 'disclosed', hint: 'disclosed', selfPromo: true },
  { item: OWN.adDisclosed, verdict: 'disclosed', hint: 'disclosed' },
];

/** Captions of the generated feed pages (infinite scroll, the perf run). */
const GENERATED = [
  ['deal.hunter', 'Best budget blender of the year, use code BLEND15 for 15% off 🥤 #kitchen'],
  ['walks.with.bo', 'Morning walk by the river 🌅 #nature #calm'],
  ['fit.with.lee', 'My protein shake of choice, link in bio for 10% off 💪 #gym'],
  ['cat.diaries', 'He really said no to bath time 🐱 #cats'],
  ['mai.beauty', '#sp huge thanks to @dewdrop for the PR package 💧 #skincare'],
  ['studio.kim', 'Painting a tiny lighthouse, part 2 🎨 #art'],
  ['travel.tuan', 'Street food tour in Hanoi 🍜 #hanoi #foodtok'],
  ['desk.setup', 'Shop my desk setup at shopmy.us/desksetup 🖥️ #desksetup'],
  ['bakes.by.an', '#ad My favourite oven mitts from @ovenpro, code BAKE5 #baking'],
  ['kode.promo', 'Pakai kode DISKON20 buat potongan 20%, cek keranjang kuning ya #racuntiktok'],
];

/**
 * Feed page `cursor` (≥ 1) of `count` generated items; ids are unique per (cursor, index). By default the
 * captions cycle through GENERATED (6 of 10 commercial); with `commercialShare` (0–1) the commercial ones
 * are spread evenly at that share among organic ones (the performance run's realistic feed).
 * @param {number} cursor @param {number} count @param {number} [commercialShare]
 */
export function generatedPage(cursor, count, commercialShare) {
  const items = [];
  for (let index = 0; index < count; index++) {
    const n = (cursor - 1) * count + index;
    const [handle, desc] = commercialShare === undefined ? GENERATED[n % GENERATED.length] : mixedCaption(n, commercialShare);
    items.push(makeItem({ id: String(7360000000000000000n + BigInt(n)), handle, desc }));
  }
  return items;
}

/** The engine's verdict for a generated item, by caption (checked once in overlay.test.js). */
export const GENERATED_VERDICTS = {
  'deal.hunter': 'undisclosed',
  'walks.with.bo': 'organic',
  'fit.with.lee': 'undisclosed',
  'cat.diaries': 'organic',
  'mai.beauty': 'unclear',
  'studio.kim': 'organic',
  'travel.tuan': 'organic',
  'desk.setup': 'undisclosed',
  'bakes.by.an': 'disclosed',
  'kode.promo': 'undisclosed',
};

const isCommercialCaption = ([handle]) => GENERATED_VERDICTS[handle] !== 'organic';
const COMMERCIAL_CAPTIONS = GENERATED.filter(isCommercialCaption);
const ORGANIC_CAPTIONS = GENERATED.filter((caption) => !isCommercialCaption(caption));

/** The n-th caption of a feed where `share` of the posts are commercial, spread evenly. */
function mixedCaption(n, share) {
  const commercialSoFar = Math.floor(n * share);
  if (Math.floor((n + 1) * share) > commercialSoFar) return COMMERCIAL_CAPTIONS[commercialSoFar % COMMERCIAL_CAPTIONS.length];
  return ORGANIC_CAPTIONS[(n - commercialSoFar) % ORGANIC_CAPTIONS.length];
}

/**
 * A second profile, `/@ledger.lab`: 3 posts in its page blob and 4 more from /api/post/item_list/
 * (asked with its secUid), captions from GENERATED (so the verdicts are known): 7 posts, enough to judge.
 */
const LAB_HANDLE = 'ledger.lab';
const LAB_SEC_UID = 'MS4wLjABAAAA_fake_secuid_ledger.lab';
const LAB_CAPTIONS = [0, 1, 2, 4, 8, 3, 7];
const LAB_ITEMS = LAB_CAPTIONS.map((g, index) =>
  makeItem({ id: String(7410000000000000000n + BigInt(index)), handle: LAB_HANDLE, nickname: 'Ledger Lab', desc: GENERATED[g][1] }),
);
export const LAB_PROFILE = {
  handle: LAB_HANDLE,
  /** id → verdict of every post on the profile. */
  expected: Object.fromEntries(LAB_ITEMS.map((item, index) => [item.id, GENERATED_VERDICTS[GENERATED[LAB_CAPTIONS[index]][0]]])),
};

// ---- pages ----

/** TikTok escapes `/`, `<`, `>` in its blob (tiktok-page.md §5); still valid JSON. */
function escapeBlob(value) {
  return JSON.stringify(value).replace(/\//g, '\\u002F').replace(/</g, '\\u003C').replace(/>/g, '\\u003E');
}

/** Items the video page can show, by id (its blob is built around the item, like TikTok's SSR). */
const VIDEO_ITEMS = new Map(
  [real.isAd2026, OWN.glowSerum, OWN.xss, real.jpAmbassador, real.twPlain].map((item) => [item.id, item]),
);

/** The real 2026 page blob, verbatim, for its own id. */
function realVideoBlob() {
  const html = fixtureText('tiktok_video_page_2026-09_isAd_true_trimmed.html');
  return /<script id="__UNIVERSAL_DATA_FOR_REHYDRATION__" type="application\/json">([\s\S]*?)<\/script>/.exec(html)[1];
}

function blobScript(text) {
  return `<script id="__UNIVERSAL_DATA_FOR_REHYDRATION__" type="application/json">${text}</script>`;
}

function appContext() {
  return { language: 'en', region: 'US', user: {} };
}

/** The server-rendered For You card that has no JSON item (TikTok markup, no video link). */
function domOnlyCard() {
  const { id, handle, nickname, desc } = DOM_ONLY;
  const [text, ...tags] = desc.split(/(?=#)/);
  return `
      <article data-e2e="recommend-list-item-container" data-scroll-index="99" class="css-1x2y3z-ArticleItemContainer e1g2yhv80">
        <div class="css-9a8b7c-DivContentFlexLayout">
          <section id="media-card-99" class="css-q1w2e3-SectionMediaCardContainer">
            <div class="css-7h6g5f-DivMediaCardTop">
              <div class="css-4r5t6y-DivBasicPlayerWrapper e1yey0rl2">
                <div id="xgwrapper-0-${id}" class="xgplayer-container fake-video"><span class="fake-frame">▶</span></div>
              </div>
            </div>
            <div class="css-3e4r5t-DivMediaCardBottom">
              <div class="css-2w3e4r-DivMainInfoContainer">
                <div class="css-1q2w3e-DivAuthorContainer">
                  <a href="/@${handle}" class="css-0p9o8i-StyledAuthorAnchor"><h3 data-e2e="video-author-uniqueid">${handle}</h3><span data-e2e="video-author-nickname">${nickname}</span></a>
                </div>
                <div class="css-5t6y7u-DivDescriptionWrapper"><div data-e2e="video-desc"><span data-e2e="new-desc-span">${text}</span>${tags
                  .map((tag) => `<a data-e2e="search-common-link" href="/tag/${tag.trim().slice(1)}"><strong>${tag.trim()}</strong></a> `)
                  .join('')}</div></div>
              </div>
            </div>
          </section>
          <section class="css-8u7y6t-SectionActionBarContainer"><button data-e2e="like-icon" aria-label="Like">♥</button><strong data-e2e="like-count">1.2K</strong></section>
        </div>
      </article>`;
}

/**
 * A document for `url`: the page's skeleton, its blob when TikTok's SSR has one, and the app script.
 * `?theme=dark` gives TikTok's dark theme (data-theme on <html>).
 * @param {URL} url
 */
export function documentFor(url) {
  const theme = url.searchParams.get('theme') === 'dark' ? 'dark' : 'light';
  const path = url.pathname;
  let blob = '';
  let body = '';
  let title = 'TikTok - Make Your Day';
  const video = /^\/@[^/]+\/video\/(\d+)/.exec(path);
  const profile = /^\/@([^/]+)\/?$/.exec(path);
  if (video) {
    const id = video[1];
    if (id === real.isAd2026.id) {
      blob = blobScript(realVideoBlob());
    } else if (VIDEO_ITEMS.has(id)) {
      const scope = {
        'webapp.app-context': appContext(),
        'webapp.video-detail': { itemInfo: { itemStruct: VIDEO_ITEMS.get(id) }, statusCode: 0, statusMsg: '' },
      };
      blob = blobScript(escapeBlob({ __DEFAULT_SCOPE__: scope }));
    }
    title = 'Video | TikTok';
  } else if (profile) {
    const scope = fixtureJson('synthetic_universal_user_detail.json').__DEFAULT_SCOPE__;
    if (profile[1] === scope['webapp.user-detail'].userInfo.user.uniqueId) {
      blob = blobScript(escapeBlob({ __DEFAULT_SCOPE__: scope }));
    } else if (profile[1] === LAB_HANDLE) {
      const user = { uniqueId: LAB_HANDLE, nickname: 'Ledger Lab', secUid: LAB_SEC_UID };
      const userInfo = { user, stats: { videoCount: LAB_ITEMS.length }, itemList: LAB_ITEMS.slice(0, 3) };
      const labScope = { 'webapp.app-context': appContext(), 'webapp.user-detail': { userInfo, statusCode: 0 } };
      blob = blobScript(escapeBlob({ __DEFAULT_SCOPE__: labScope }));
    }
  } else if (path === '/' || path === '/foryou' || path === '/en') {
    // The For You blob has no items (tiktok-page.md §5); the server renders one card the app keeps.
    blob = blobScript(escapeBlob({ __DEFAULT_SCOPE__: { 'webapp.app-context': appContext() } }));
    body = domOnlyCard();
  }
  return `<!doctype html>
<html lang="en" data-theme="${theme}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title}</title>
    <link rel="stylesheet" href="/static/app.css" />
  </head>
  <body>
    <div id="app" class="css-0a1b2c-DivBodyContainer"><div id="main" class="css-1b2c3d-DivMainContainer">${body}
    </div></div>
    ${blob}
    <script nonce="${NONCE}" src="/static/app.js"></script>
  </body>
</html>
`;
}

// ---- API responses ----

const json = (value) => ({ contentType: 'application/json; charset=utf-8', body: JSON.stringify(value) });

/**
 * The answer to a non-document request on www.tiktok.com, or undefined (a 404). `commercialShare`: the
 * For You feed's later pages at that share of commercial posts (see generatedPage).
 * @param {URL} url
 * @param {{commercialShare?: number}} [options]
 */
export function resourceFor(url, { commercialShare } = {}) {
  const path = url.pathname;
  if (path === '/static/app.js') {
    return { contentType: 'text/javascript; charset=utf-8', body: readFileSync(join(PAGES, 'app.js'), 'utf8') };
  }
  if (path === '/static/app.css') {
    return { contentType: 'text/css; charset=utf-8', body: readFileSync(join(PAGES, 'app.css'), 'utf8') };
  }
  if (path === '/api/recommend/item_list/') {
    const cursor = Number(url.searchParams.get('cursor') ?? 0);
    const count = Math.min(Number(url.searchParams.get('count') ?? 6), 100);
    const itemList = cursor === 0 ? FEED_FIRST.map((c) => c.item) : generatedPage(cursor, count, commercialShare);
    return json({ itemList, hasMore: true, extra: { now: 1737272774000 }, log_pb: { impr_id: 'x' }, statusCode: 0 });
  }
  if (path === '/api/post/item_list/') {
    if (url.searchParams.get('secUid') === LAB_SEC_UID) {
      return json({ itemList: LAB_ITEMS.slice(3), cursor: '0', hasMore: false, statusCode: 0 });
    }
    return json({ itemList: [OWN.profileRestock, OWN.profileCollab], cursor: '0', hasMore: false, statusCode: 0 });
  }
  if (path === '/api/search/general/full/') {
    // Served as the text of the file: its second item has a numeric id beyond 2^53 (the reader copes).
    return { contentType: 'application/json; charset=utf-8', body: fixtureText('synthetic_search_general.json') };
  }
  if (path === '/api/challenge/item_list/') {
    return json({ itemList: [real.jpAmbassador, OWN.tagCleaning, real.readme2021, OWN.glowSerum], hasMore: false, statusCode: 0 });
  }
  return undefined;
}

/** Expected verdicts per page (item id → verdict), for the tests. */
export const EXPECTED = {
  feed: Object.fromEntries([...FEED_FIRST.map((c) => [c.item.id, c.verdict]), [DOM_ONLY.id, 'undisclosed']]),
  video2026: { [real.isAd2026.id]: 'disclosed' },
  videoGlow: { [OWN.glowSerum.id]: 'undisclosed' },
  profile: {
    '7400000000000000601': 'organic',
    '7400000000000000602': 'disclosed',
    [OWN.profileRestock.id]: 'undisclosed',
    [OWN.profileCollab.id]: 'unclear',
  },
  search: { '7400000000000000201': 'disclosed', '7400000000000000202': 'undisclosed' },
  tag: {
    [real.jpAmbassador.id]: 'unclear',
    [OWN.tagCleaning.id]: 'organic',
    [real.readme2021.id]: 'organic',
    [OWN.glowSerum.id]: 'undisclosed',
  },
};

export const IDS = { isAd2026: real.isAd2026.id, twPlain: real.twPlain.id, jpAmbassador: real.jpAmbassador.id };
