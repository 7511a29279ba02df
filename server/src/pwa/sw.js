// Keukentafel service worker. The server fills in the version and the precache list, so the
// bytes of this script change with every deployed build and the browser notices an update.
'use strict';

const VERSION = '__VERSION__';
const CACHE = `keukentafel-shell-${VERSION}`;
const PRECACHE = __PRECACHE__;
const SHELL = '__SHELL__';
// Set by the page's boot script when the server's assets could not start it (a build half in
// place): the complete version held here answers instead of the network.
const CACHED_VERSION_PARAM = '__CACHED_VERSION_PARAM__';
// On a weak hotspot a page must not hang: after this long, the cached shell answers.
const NAVIGATION_TIMEOUT_MS = 4000;

self.addEventListener('install', (event) => {
  // No skipWaiting() here: a new version waits until the worker agrees (see 'message').
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith('keukentafel-shell-') && key !== CACHE)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') {
    self.skipWaiting();
  }
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(navigate(request));
    return;
  }
  if (PRECACHE.includes(url.pathname + url.search)) {
    event.respondWith(cacheFirst(request));
  }
  // Everything else (API, health, other versions' assets) goes to the network as usual.
});

async function navigate(request) {
  if (new URL(request.url).searchParams.has(CACHED_VERSION_PARAM)) {
    const shell = await caches.match(SHELL, { cacheName: CACHE });
    if (shell) return shell;
  }
  try {
    const response = await withTimeout(fetch(request), NAVIGATION_TIMEOUT_MS);
    if (response.status < 500) return response;
  } catch (_) {
    // Offline or too slow: fall through to the shell.
  }
  const shell = await caches.match(SHELL, { cacheName: CACHE });
  return shell || Response.error();
}

async function cacheFirst(request) {
  const cached = await caches.match(request, { cacheName: CACHE });
  return cached || fetch(request);
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
