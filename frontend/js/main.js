// The entry module and the only script tag: registers the service worker,
// restores the session from the local store, wires routes and sync status.

import { toast } from './ui.js';
import { setRoutes, setGuard, start, navigate, here } from './router.js';
import { ROUTES, redirectFor } from './routes.js';
import * as db from './db.js';
import { session, events as sessionEvents, load, loadSync, refresh } from './session.js';
import { registerServiceWorker, cacheWholeShell } from './pwa.js';

registerServiceWorker();

// What only a session needs (the bell, notification taps, this device's push
// subscription) loads once one starts, not with the welcome page (SPEC §7):
// at the start when signed in, or on the first sync after signing in. Then
// the worker caches the signed-in screens too.
let signedIn = null;
function signedInParts() {
  signedIn ??= (async () => {
    cacheWholeShell();
    const [bell, taps] = await Promise.all([import('./bell.js'), import('./notification-taps.js')]);
    bell.startBell(document.getElementById('inbox-link'));
    taps.startTaps();
    return { taps };
  })();
  return signedIn;
}
// The worker's messages are listened to from the start, so none is missed.
navigator.serviceWorker?.addEventListener('message', async (event) => {
  if (session.user) (await signedInParts()).taps.onWorkerMessage(event.data ?? {});
});

setRoutes(ROUTES);
setGuard((found) => {
  document.getElementById('tabs').hidden = !session.user;
  document.getElementById('inbox-link').hidden = !session.user;
  return redirectFor(found, session);
});

// Calm, short sync status. Repeated states are not re-announced.
const statusEl = document.getElementById('sync-status');
function statusText({ kind, pending }) {
  const n = pending === 1 ? '1 change' : `${pending} changes`;
  switch (kind) {
    case 'syncing': return pending ? 'Saving…' : null;
    case 'saved': return pending ? `${n} waiting` : 'All changes saved';
    case 'offline': return pending ? `Offline — ${n} waiting` : 'Offline — saved on this device';
    case 'error': return pending ? `Could not sync, retrying — ${n} waiting` : 'Could not sync, retrying';
    case 'signedout': return 'Signed out — sign in to sync';
    default: return '';
  }
}
// This device's session ended: ask to sign in again, but leave a screen that
// works signed out (a reset link, the helplines) or the sign-in form itself
// alone, so nobody is pulled away mid-way or loses what they typed.
function askToSignInAgain() {
  session.expired = true;
  if (here()?.everyone || location.pathname === '/signin') return;
  navigate('/signin?again=1', { force: true });
}
// The sync client's status line and its 401s, once it loads (session.js).
sessionEvents.addEventListener('sync', ({ detail: sync }) => {
  sync.events.addEventListener('status', (e) => {
    if (session.user) signedInParts();
    const text = statusText(e.detail);
    if (text !== null && statusEl.textContent !== text) statusEl.textContent = text;
    statusEl.dataset.state = e.detail.kind;
  });
  sync.events.addEventListener('unauthorized', askToSignInAgain);
});
// This tab opens a newer local store while another tab still holds the old
// one: the open waits until that tab lets go (it does, on `versionchange`,
// unless it runs code too old to know how).
db.events.addEventListener('blocked', () => {
  toast('Rebound is open in another tab. Close it to finish updating.');
});

await load();
await start();
if (session.user) {
  signedInParts();
  (await loadSync()).startSync();
  import('./push.js').then((push) => push.refreshSubscription());
  await refresh();
  if (session.expired) askToSignInAgain();
}
