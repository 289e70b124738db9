/**
 * Reading the page. For now only what the URL and the title say; the DOM/JSON readers grow here.
 * (tiktok-page.md §2: `/@<uniqueId>/video/<id>` and `/@<uniqueId>/photo/<id>`.)
 */

const POST_PATH = /^\/@([^/]+)\/(?:video|photo)\/(\d+)\/?$/;
const PROFILE_PATH = /^\/@([^/]+)\/?$/;

/**
 * The creator's handle and the post id found in a TikTok path, when there are any.
 * @param {string} pathname
 * @returns {{handle: string|null, id: string|null}}
 */
export function parseTikTokPath(pathname) {
  const post = POST_PATH.exec(pathname);
  if (post) return { handle: decodeURIComponent(post[1]), id: post[2] };
  const profile = PROFILE_PATH.exec(pathname);
  if (profile) return { handle: decodeURIComponent(profile[1]), id: null };
  return { handle: null, id: null };
}

/**
 * One trivial post for the current page: id and handle from the URL, caption from the title.
 * @param {Location} location
 * @param {Document} document
 * @returns {import('../messages.js').Post}
 */
export function postFromPage(location, document) {
  const { handle, id } = parseTikTokPath(location.pathname);
  return {
    platform: 'tiktok',
    id: id ?? location.pathname,
    creator: { handle: handle ?? '' },
    caption: document.title,
  };
}
