// The service worker: keeps the bundle (index.html, the hashed .js, .wasm and .css that Trunk
// builds, the loader, the manifest and the icons) in the Cache API so that the page opens and
// runs offline, e.g. in a classroom with flaky Wi-Fi.
//
// - Installing it caches the page and everything the page names (href, src, data-js, data-wasm)
//   on its own origin, and the manifest's icons: the list comes from the built index.html, so
//   Trunk's hashed file names need no list kept by hand.
// - The page itself (a navigation) is network first: a new deploy is seen at once when online,
//   and the cached copy is used when the network fails or takes longer than NAVIGATION_WAIT_MS.
//   A page fetched from the network refreshes the cached bundle, and drops the cached hashed
//   files the new page no longer names (an old deploy's).
// - Hashed files (name-<16 hex digits>, never changed in place) are cache first; other files of
//   the origin network first; each response fetched is cached. Other origins are not touched.
// - CACHE names this worker's cache layout: a new one deletes the older caches when it activates.
const CACHE = 'lyapunov-lens-v1';
const NAVIGATION_WAIT_MS = 4000;
const HASHED = /-[0-9a-f]{16}(_bg)?\.[A-Za-z0-9]+$/;

const indexUrl = () => new URL('./', self.registration.scope).href;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const response = await fetch(indexUrl(), { cache: 'no-cache' });
      if (!response.ok) throw new Error(`index.html: HTTP ${response.status}`);
      await storeBundle(cache, response);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith('lyapunov-lens-') && key !== CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(navigation(event));
  } else if (HASHED.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else {
    event.respondWith(networkFirst(request));
  }
});

/** Same-origin URLs the page `html` names, and the icons of the manifest it names. */
async function bundleUrls(html, base) {
  const urls = new Set();
  for (const m of html.matchAll(/\b(?:href|src|data-js|data-wasm)="([^"]+)"/g)) {
    const url = new URL(m[1].replaceAll('&amp;', '&'), base);
    if (url.origin === self.location.origin && !url.href.startsWith(base + '#')) urls.add(url.href);
  }
  for (const m of html.matchAll(/<link[^>]*rel="manifest"[^>]*>/g)) {
    const href = /href="([^"]+)"/.exec(m[0]);
    if (!href) continue;
    const manifestUrl = new URL(href[1], base);
    try {
      const manifest = await (await fetch(manifestUrl, { cache: 'no-cache' })).json();
      for (const icon of manifest.icons || []) urls.add(new URL(icon.src, manifestUrl).href);
    } catch {
      // The manifest itself is still cached below; only its icons are missed.
    }
  }
  urls.delete(base);
  return urls;
}

/** Caches the page `response` and every file it names; drops hashed files it no longer names. */
async function storeBundle(cache, response) {
  const base = indexUrl();
  const html = await response.clone().text();
  const urls = await bundleUrls(html, base);
  await Promise.all(
    [...urls].map(async (url) => {
      const hashed = HASHED.test(new URL(url).pathname);
      if (hashed && (await cache.match(url))) return;
      const r = await fetch(url, { cache: hashed ? 'default' : 'no-cache' });
      if (r.ok) await cache.put(url, r);
    }),
  );
  await cache.put(base, response);
  for (const request of await cache.keys()) {
    const url = new URL(request.url);
    if (HASHED.test(url.pathname) && !urls.has(url.href)) await cache.delete(request);
  }
}

/** The page: network first, the cached copy when the network fails, errs or is slow. */
function navigation(event) {
  const cached = caches.open(CACHE).then((cache) => cache.match(indexUrl()));
  const network = fetch(event.request);
  // Keeps the worker alive until a page fetched from the network has refreshed the bundle.
  event.waitUntil(
    network
      .then(async (r) => {
        if (r.ok && r.type === 'basic') await storeBundle(await caches.open(CACHE), r.clone());
      })
      .catch(() => {}),
  );
  return (async () => {
    const copy = await cached;
    const fromNetwork = network.then(
      (r) => (r.ok || !copy ? r : copy),
      (err) => {
        if (copy) return copy;
        throw err;
      },
    );
    if (!copy) return fromNetwork;
    const late = new Promise((resolve) => setTimeout(() => resolve(copy), NAVIGATION_WAIT_MS));
    return Promise.race([fromNetwork, late]);
  })();
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
  return response;
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
    return response;
  } catch (err) {
    const cached = await cache.match(request, { ignoreSearch: true });
    if (cached) return cached;
    throw err;
  }
}
