// Rebound's service worker, written by hand.
// backend/frontend.py fills in the two values below when it serves this
// file: VERSION is a hash of every shell file (and of this one), SHELL lists
// every file in frontend/ but this one (index.html as '/'). So any change to
// the shell gives a new worker, and with it "Update available — reload";
// nothing to bump or list by hand.

const VERSION = '__SHELL_VERSION__';
const PREFIX = 'rebound-shell-';
const CACHE = `${PREFIX}${VERSION}`;

const SHELL = [/* __SHELL_FILES__ */];

// Why: the worker must not claim to be installed until the whole shell is
// cached, or the first offline start would find holes. `cache: 'reload'`
// skips the HTTP cache so one version never mixes in files of another.
self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(SHELL.map((url) => new Request(url, { cache: 'reload' })));
  })());
});

// Why: drop this app's older shells only; other caches on the origin are not ours.
self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

// Why: a new version waits until the person taps "Reload" in the banner,
// so a page never runs half old and half new code.
self.addEventListener('message', (event) => {
  if (event.data?.type === 'skip-waiting') self.skipWaiting();
});

// Why: the API is network-only (data lives in IndexedDB, never in a cache);
// navigations get the cached shell, which routes on the client; the shell's
// files come from the versioned cache. Other origins are never touched.
self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    event.respondWith(shell(request));
  } else {
    event.respondWith(fromCache(request));
  }
});

async function shell(request) {
  const cache = await caches.open(CACHE);
  return (await cache.match('/', { ignoreVary: true })) ?? fetch(request);
}

async function fromCache(request) {
  const cache = await caches.open(CACHE);
  return (await cache.match(request, { ignoreSearch: true, ignoreVary: true })) ?? fetch(request);
}
