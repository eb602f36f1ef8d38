// Stenogram's service worker: the site keeps working offline.
//
// - On install it caches the app shell (index.html and every same-site file
//   index.html references: the hashed .js, .wasm and .css) and the corpus
//   index, data/index.json, so that the first visit is enough. Transcript
//   shards are precached too when they are few (a small corpus is then
//   wholly offline); of a big corpus, the shards read so far are kept.
// - Navigations and data/index.json are network-first (a new deploy's page
//   and data are used when online), falling back to the cache when offline.
//   Everything else (content-hashed file names, never changed in place) is
//   cache-first and kept once read: the shards that were not precached, and
//   the search index (data/search/<hash>.json and .bin), never precached
//   (tens of MB on a big corpus; a query needs only a few of its files).
// - The cache name carries the build version, which `cargo xtask build`
//   stamps below (a hash of the whole site). A new deploy therefore ships a
//   byte-different sw.js: the browser installs it on the next visit, it takes
//   over at once (skipWaiting, clients.claim) and deletes the caches of other
//   versions. Unstamped (`trunk serve`), register-sw.js does not register it.
//
// Its scope is the folder it is served from, the site's base URL (e.g.
// /stenogram/ on GitHub Pages); every path here is relative to it.

const VERSION = '__STENOGRAM_BUILD__';
const PREFIX = 'stenogram-';
const CACHE = PREFIX + VERSION;
const BASE = new URL('./', self.location.href).href;
const INDEX = BASE;
const DATA = new URL('data/index.json', BASE).href;
/** Precache every shard when together they are at most this big. */
const PRECACHE_SHARDS_MAX_BYTES = 8 * 1024 * 1024;

/** Same-site files that index.html references (href/src attributes, and the
 * module and wasm paths of Trunk's loader), plus the page itself. */
function shellUrls(html) {
  const urls = new Set([INDEX]);
  const patterns = [
    /\b(?:href|src)\s*=\s*["']([^"']+)["']/gi,
    /\bfrom\s+["']([^"']+)["']/g,
    /module_or_path:\s*["']([^"']+)["']/g,
  ];
  for (const pattern of patterns) {
    for (const match of html.matchAll(pattern)) {
      const url = new URL(match[1], BASE);
      url.hash = '';
      if (url.href.startsWith(BASE) && url.href !== BASE + 'sw.js') urls.add(url.href);
    }
  }
  return [...urls];
}

async function precache() {
  const cache = await caches.open(CACHE);
  // Bypass the HTTP cache: the shell must be this deploy's.
  const response = await fetch(INDEX, { cache: 'reload' });
  if (!response.ok) throw new Error(`sw: ${INDEX}: HTTP ${response.status}`);
  const html = await response.clone().text();
  await cache.put(INDEX, response);
  // addAll refuses duplicates: a Set of URLs, the page itself already stored.
  const others = new Set([...shellUrls(html), DATA]);
  others.delete(INDEX);
  await cache.addAll([...others].map((url) => new Request(url, { cache: 'reload' })));
  // A small corpus: its transcripts too. A failure here must not stop the
  // worker from installing; shards are then cached as they are read.
  try {
    const index = await (await cache.match(DATA)).json();
    const shards = index.shards ?? [];
    const bytes = shards.reduce((sum, s) => sum + (s.bytes ?? 0), 0);
    if (bytes <= PRECACHE_SHARDS_MAX_BYTES) {
      await cache.addAll(shards.map((s) => new URL(s.path, BASE).href));
    }
  } catch (err) {
    console.warn('sw: transcripts not precached:', err);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

/** Network first, the cache when the network fails; successful answers are
 * kept. `fallback` is the cache key to try after the request's own. */
async function networkFirst(request, fallback) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(fallback ?? request, response.clone());
    return response;
  } catch (err) {
    const cached = (await cache.match(request)) ?? (fallback && (await cache.match(fallback)));
    if (cached) return cached;
    throw err;
  }
}

/** The cache first; on a miss the network, and the answer is kept. */
async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || !request.url.startsWith(BASE)) return;
  const url = new URL(request.url);
  if (request.mode === 'navigate') {
    // The site's one page is index.html, at the base URL with the view state
    // in the query string: all of these are the cached page offline.
    const base = new URL(BASE).pathname;
    const key = url.pathname === base || url.pathname === base + 'index.html' ? INDEX : undefined;
    event.respondWith(networkFirst(request, key));
  } else if (url.origin + url.pathname === DATA) {
    event.respondWith(networkFirst(request, DATA));
  } else if (url.href !== BASE + 'sw.js') {
    event.respondWith(cacheFirst(request));
  }
});
