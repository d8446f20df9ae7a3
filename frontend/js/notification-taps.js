// What the service worker leaves for the page (sw.js). A tap on a nudge's
// notification marks the nudge read, and "Start a break" starts one; both
// are synced records, and only the page owns the outbox (store.js), so the
// worker keeps each tap in Cache Storage (`rebound-push`, under
// /push-state/tap/<nudge id>) and tells open windows. The page turns a tap
// into outbox writes here, on start, on the worker's message and after each
// sync (a nudge not pulled yet waits for it). Offline, the writes wait in
// the outbox like any other change.

import * as store from './store.js';
import * as sync from './sync.js';
import { navigate } from './router.js';
import { activeBreak } from './models.js';
import { session } from './session.js';

const STATE = 'rebound-push';
const TAPS = '/push-state/tap/';
const KEEP = 30 * 86_400_000; // a tap whose nudge never arrives (another account's) is dropped after this

let applying = null;

export function applyTaps() {
  applying ??= apply().finally(() => { applying = null; });
  return applying;
}

async function apply() {
  if (!session.user || !('caches' in self)) return;
  const cache = await caches.open(STATE);
  for (const request of await cache.keys()) {
    if (!new URL(request.url).pathname.startsWith(TAPS)) continue;
    const tap = await (await cache.match(request))?.json().catch(() => null);
    if (!tap) continue;
    const nudge = await store.get('nudges', tap.id);
    if (!nudge) {
      if (Date.now() - Date.parse(tap.at) > KEEP) await cache.delete(request);
      continue;
    }
    if (!(await cache.delete(request))) continue; // another tab took it first
    if (!nudge.read_at && !nudge.read) await store.save('nudges', tap.id, { read: true });
    if (tap.action === 'start-break' && !activeBreak(await store.list('breaks'))) {
      await store.save('breaks', null, { started_at: tap.at });
    }
  }
}

// The worker's messages: a push came (pull the new nudge), a notification
// was tapped (apply it, then show its screen). main.js listens from the
// start and hands them here (this module loads with a session).
export async function onWorkerMessage({ type, url } = {}) {
  if (type === 'pushed') sync.syncNow();
  if (type === 'tapped') {
    await applyTaps();
    if (session.user && typeof url === 'string' && url.startsWith('/')) await navigate(url);
  }
}

// While signed in: after each sync (a nudge not pulled yet waits for it), and now.
export function startTaps() {
  sync.events.addEventListener('status', (e) => {
    if (e.detail.kind === 'saved') applyTaps();
  });
  return applyTaps();
}
