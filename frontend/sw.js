// Rebound's service worker, written by hand.
// backend/frontend.py fills in the values below when it serves this file:
// VERSION is a hash of every shell file (and of this one), SHELL lists every
// file in frontend/ but this one (index.html as '/'), HASHES each file's
// content hash (the ETag it is served with) and LATER the modules only a
// signed-in person needs. So any change to the shell gives a new worker, and
// with it "Update available — reload"; nothing to bump or list by hand.

const VERSION = '__SHELL_VERSION__';
const PREFIX = 'rebound-shell-';
const CACHE = `${PREFIX}${VERSION}`;

const SHELL = [/* __SHELL_FILES__ */];
const HASHES = {/* __SHELL_HASHES__ */};
const LATER = [/* __SIGNED_IN_FILES__ */];
const START = SHELL.filter((url) => !LATER.includes(url));

// This version's copy of `url`, from wherever it costs least: an older shell
// cache or the HTTP cache (the page has just loaded most of the start), else
// the network. Each copy is checked against HASHES, so one version never
// mixes in a file of another; a server that has moved on fails the install
// (the next version's worker will bring its own files).
const tagOf = (response) => (response.headers.get('ETag') ?? '').replace(/^W\//, '').replace(/"/g, '').split(':')[0];

async function thisVersionOf(url) {
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    const old = await (await caches.open(name)).match(url, { ignoreVary: true });
    if (old && tagOf(old) === HASHES[url]) return old;
  }
  for (const cache of ['force-cache', 'no-cache']) {
    const response = await fetch(new Request(url, { cache }));
    if (response.ok && tagOf(response) === HASHES[url]) return response;
  }
  throw new Error(`${url}: the server no longer has version ${VERSION}`);
}

// Puts every one of `urls` this cache lacks into it. Cheap when nothing is missing.
async function precache(urls) {
  const cache = await caches.open(CACHE);
  const have = new Set((await cache.keys()).map((r) => new URL(r.url).pathname));
  const missing = urls.filter((url) => !have.has(url));
  const copies = await Promise.all(missing.map(thisVersionOf));
  await Promise.all(copies.map((response, i) => cache.put(missing[i], response)));
}

// Has this device had a session with an older version? (Its cache holds more than the start.)
async function hadSession() {
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    if (await (await caches.open(name)).match(LATER[0] ?? '/')) return true;
  }
  return false;
}

// Why: the worker must not claim to be installed until what a start needs is
// cached, or the first offline start would find holes. A signed-out start
// needs the welcome, sign-in and help screens (START); the signed-in screens
// come into the same cache when a session starts (the page asks: `cache-all`),
// or here already when this device had a session before (an update).
self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    await precache(START);
    if (await hadSession()) await precache(SHELL);
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
// `cache-all`: a session started on a page of this version (pwa.js).
self.addEventListener('message', (event) => {
  if (event.data?.type === 'skip-waiting') self.skipWaiting();
  if (event.data?.type === 'cache-all') event.waitUntil(precache(SHELL).catch(() => {}));
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

// ---- Notifications (SPEC §6) ----------------------------------------------
// The server sends a declarative push message (WebKit's "Meet Declarative Web
// Push"): {web_push: 8030, notification: {title, body, navigate, lang, tag,
// silent, data: {kind, nudge_id, url}}, mutable: true}. Safari 18.4+ could
// show it without us; `mutable` lets this worker show it itself, the same way
// in every browser. Small state lives in Cache Storage (`rebound-push`): the
// nudge ids already shown, and taps waiting for the page (notification-taps.js
// applies them through the outbox, which only the page owns).

const PUSH_STATE = 'rebound-push';
const SHOWN = '/push-state/shown/';
const TAP = '/push-state/tap/';
const KEEP_SHOWN = 200; // delivery is at-least-once; a repeat comes within minutes, not months

// "Start a break" does what it says (the page starts one); "Not now" only
// closes: the nudge stays in the inbox, unread, for later.
const NOT_NOW = { action: 'not-now', title: 'Not now' };
const ACTIONS = {
  break: [{ action: 'start-break', title: 'Start a break' }, NOT_NOW],
  test: [],
};
const actionsFor = (kind) => ACTIONS[kind] ?? [{ action: 'open', title: 'Open' }, NOT_NOW];

// The declarative shape, or the flat one older servers sent.
function readPush(data) {
  let message = null;
  try {
    message = data?.json() ?? null;
  } catch {
    message = null;
  }
  if (message?.web_push === 8030 && message.notification) return message.notification;
  if (message?.title) {
    const { title, body, kind, nudge_id: id, url } = message;
    return { title, body, tag: kind, data: { kind, nudge_id: id, url } };
  }
  return { title: 'Rebound', body: 'A reminder is waiting for you in Rebound.', data: { url: '/today' } };
}

async function tellWindows(message) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const client of windows) client.postMessage(message);
  return windows;
}

async function alreadyShown(id) {
  const cache = await caches.open(PUSH_STATE);
  return Boolean(await cache.match(SHOWN + encodeURIComponent(id)));
}

async function rememberShown(id) {
  const cache = await caches.open(PUSH_STATE);
  await cache.put(SHOWN + encodeURIComponent(id), new Response(String(Date.now())));
  const shown = (await cache.keys()).filter((r) => new URL(r.url).pathname.startsWith(SHOWN));
  await Promise.all(shown.slice(0, Math.max(0, shown.length - KEEP_SHOWN)).map((r) => cache.delete(r)));
}

// Why inside waitUntil: Safari revokes a subscription whose push shows nothing.
// A nudge id shown before (a worker died between sending and recording) is
// not shown again.
async function showPush(data) {
  const note = readPush(data);
  const { kind = note.tag ?? 'rebound', nudge_id: id = null, url = '/today' } = note.data ?? {};
  if (id && await alreadyShown(id)) return;
  const options = {
    body: note.body ?? '', tag: note.tag ?? kind, lang: note.lang ?? 'en', silent: note.silent ?? false,
    icon: '/icons/icon-192.png', badge: '/icons/badge-96.png', data: { kind, nudge_id: id, url },
  };
  if ((self.Notification?.maxActions ?? 0) > 0) options.actions = actionsFor(kind);
  await self.registration.showNotification(note.title ?? 'Rebound', options);
  if (id) await rememberShown(id);
  await tellWindows({ type: 'pushed' }); // open windows sync, so the inbox has it
}

self.addEventListener('push', (event) => {
  event.waitUntil(showPush(event.data));
});

// Only this app's own screens open from a notification.
function screenOf(url) {
  const target = new URL(url || '/today', self.location.origin);
  return target.origin === self.location.origin ? target.pathname + target.search + target.hash : '/today';
}

async function openNudge({ nudge_id: id, url } = {}, action = '') {
  if (action === 'not-now') return;
  if (id) {
    const cache = await caches.open(PUSH_STATE);
    await cache.put(TAP + encodeURIComponent(id), new Response(JSON.stringify({
      id, action: action === 'start-break' ? 'start-break' : 'open', at: new Date().toISOString(),
    }), { headers: { 'Content-Type': 'application/json' } }));
  }
  const screen = screenOf(url);
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((c) => c.focused) ?? windows[0];
  if (!open) {
    await self.clients.openWindow(screen); // the new page applies the tap when it starts
    return;
  }
  open.postMessage({ type: 'tapped', url: screen });
  await open.focus().catch(() => {}); // some browsers refuse focus without a fresh tap
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(openNudge(event.notification.data ?? {}, event.action));
});

// The push service replaced the subscription (Firefox, Safari; Chrome never
// fires this: the page upserts on every start instead). The worker's fetch
// carries the session cookie, so the new one belongs to this device's session.
async function resubscribe(oldSubscription, newSubscription) {
  const send = (method, body) => fetch('/api/push/subscriptions', {
    method, credentials: 'same-origin', body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'rebound' },
  });
  let fresh = newSubscription;
  if (!fresh) {
    const { public_key: key } = await (await fetch('/api/push/public-key')).json();
    const raw = atob(key.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (key.length % 4)) % 4));
    fresh = await self.registration.pushManager.subscribe({
      userVisibleOnly: true, applicationServerKey: Uint8Array.from(raw, (c) => c.charCodeAt(0)),
    });
  }
  const { endpoint, keys } = fresh.toJSON();
  await send('POST', { endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } });
  if (oldSubscription && oldSubscription.endpoint !== endpoint) await send('DELETE', { endpoint: oldSubscription.endpoint });
}

self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil(resubscribe(event.oldSubscription, event.newSubscription));
});
