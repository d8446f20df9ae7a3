// The sync client (SPEC §5): sends the outbox in order through /api/sync and
// pulls what changed since the cursor. Runs on start, within a second of a
// local write, on `online`, when the page becomes visible, and every minute.

import { api, ApiError, NetworkError } from './api.js';
import * as store from './store.js';

export const events = new EventTarget();

let enabled = false;
let running = false;
let again = false;
let timer = null;
let failures = 0;
let state = { kind: 'idle', pending: 0 };

function setState(kind, pending) {
  state = { kind, pending };
  events.dispatchEvent(new CustomEvent('status', { detail: state }));
}

export function status() {
  return state;
}

export function schedule(delay = 500) {
  if (!enabled) return;
  clearTimeout(timer);
  timer = setTimeout(syncNow, delay);
}

async function round() {
  const cursor = (await store.getMeta('cursor')) ?? null;
  const batch = await store.nextBatch();
  for (const m of batch) store.inflight.add(m.seq);
  try {
    const body = {
      cursor,
      limit: 500,
      mutations: batch.map(({ mutation_id, entity, op, id, fields }) =>
        (op === 'delete' ? { mutation_id, entity, op, id } : { mutation_id, entity, op, id, fields })),
    };
    let res;
    try {
      res = await api('POST', '/api/sync', body);
    } catch (err) {
      // A cursor the server no longer knows (e.g. a restored database): pull everything.
      if (err instanceof ApiError && err.status === 422 && cursor !== null && err.fields?.cursor) {
        await store.setMeta('cursor', null);
        return true;
      }
      throw err;
    }
    await store.applySync(batch, res);
    return res.has_more || batch.length > 0;
  } finally {
    for (const m of batch) store.inflight.delete(m.seq);
  }
}

export async function syncNow() {
  if (!enabled) return;
  if (running) {
    again = true;
    return;
  }
  running = true;
  clearTimeout(timer);
  try {
    if (!navigator.onLine) {
      setState('offline', await store.pendingCount());
      return;
    }
    setState('syncing', await store.pendingCount());
    let more = true;
    for (let i = 0; more && i < 50; i++) {
      again = false;
      more = (await round()) || again;
    }
    failures = 0;
    setState('saved', await store.pendingCount());
    const hold = await store.nextHold();
    if (hold) schedule(hold - Date.now() + 50);
  } catch (err) {
    failures += 1;
    const pending = await store.pendingCount();
    if (err instanceof ApiError && err.status === 401) {
      setState('signedout', pending);
      events.dispatchEvent(new CustomEvent('unauthorized'));
      return;
    }
    setState(err instanceof NetworkError && !navigator.onLine ? 'offline' : 'error', pending);
    schedule(Math.min(60_000, 5_000 * 2 ** (failures - 1)));
  } finally {
    running = false;
  }
}

export function start() {
  if (enabled) return;
  enabled = true;
  syncNow();
}

export function stop() {
  enabled = false;
  clearTimeout(timer);
  setState('idle', 0);
}

store.events.addEventListener('writing', () => {
  if (enabled) setState(navigator.onLine ? 'syncing' : 'offline', Math.max(state.pending, 1));
});
store.events.addEventListener('write', async (e) => {
  schedule(e.detail?.after ? e.detail.after + 50 : 500);
  // Show the waiting change at once, so "All changes saved" is never stale.
  if (enabled) setState(navigator.onLine ? (e.detail?.after ? 'saved' : 'syncing') : 'offline', await store.pendingCount());
});
addEventListener('online', () => syncNow());
addEventListener('offline', async () => setState('offline', await store.pendingCount()));
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') syncNow();
});
setInterval(() => syncNow(), 60_000);
