// The sync client (SPEC §5): sends the outbox in order through /api/sync and
// pulls what changed since the cursor. Between startSync() (a signed-in start,
// a sign-in) and stopSync() (sign-out) it runs at once, within a second of a
// local write, on `online`, when the page becomes visible, and every minute.
// Importing it starts nothing.

import { api, ApiError, NetworkError } from './api.js';
import * as store from './store.js';

export const events = new EventTarget();

class Stopped extends Error {}

let enabled = false;
let running = false;
let again = false;
let timer = null;
let minutely = null;
let failures = 0;
let epoch = 0; // bumped by stopSync(): answers to an older epoch are dropped
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

// One POST /api/sync; null when the server no longer knows our cursor (e.g. a
// restored database): the cursor is reset, and the next round pulls everything.
async function post(cursor, mutations) {
  try {
    return await api('POST', '/api/sync', { cursor, limit: 500, mutations });
  } catch (err) {
    if (err instanceof ApiError && err.status === 422 && cursor !== null && err.fields?.cursor) {
      await store.setMeta('cursor', null);
      return null;
    }
    throw err;
  }
}

async function round() {
  const mine = epoch;
  // A pending edit of someone's own words: pull first, so another device's
  // edit of the same field is seen and kept beside it (store.applySync).
  if (await store.pendingTextEdit()) {
    const pulled = await post((await store.getMeta('cursor')) ?? null, []);
    if (mine !== epoch) throw new Stopped();
    if (!pulled) return true;
    await store.applySync([], pulled);
    if (pulled.has_more) return true;
  }
  const cursor = (await store.getMeta('cursor')) ?? null;
  const batch = await store.nextBatch();
  const mutations = batch.map(({ mutation_id, entity, op, id, fields }) =>
    (op === 'delete' ? { mutation_id, entity, op, id } : { mutation_id, entity, op, id, fields }));
  const res = await post(cursor, mutations);
  if (mine !== epoch) throw new Stopped();
  if (!res) return true;
  await store.applySync(batch, res);
  return res.has_more || batch.length > 0;
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
    const rounds = async () => {
      let more = true;
      for (let i = 0; more && i < 50; i++) {
        again = false;
        more = (await round()) || again;
      }
    };
    // One tab syncs at a time; the others wait their turn, then pull.
    if (navigator.locks) await navigator.locks.request('rebound-sync', rounds);
    else await rounds();
    failures = 0;
    setState('saved', await store.pendingCount());
    const hold = await store.nextHold();
    if (hold) schedule(hold - Date.now() + 50);
  } catch (err) {
    if (err instanceof Stopped || !enabled) {
      if (enabled) schedule(0); // stopped and started again (a new sign-in): sync for it
      return;
    }
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
    // A trigger that came after the last round (a write while the status was
    // being set) must not wait for the next minute.
    if (again && enabled && state.kind !== 'signedout') {
      again = false;
      schedule(0);
    }
  }
}

export function startSync() {
  if (enabled) return;
  enabled = true;
  listen(true);
  minutely = setInterval(() => syncNow(), 60_000);
  syncNow();
}

export function stopSync() {
  enabled = false;
  epoch += 1;
  clearTimeout(timer);
  clearInterval(minutely);
  listen(false);
  setState('idle', 0);
}

// The server ended this device's session (a password reset done here): no
// more rounds until a sign-in starts sync again; what waits stays waiting.
export async function signedOut() {
  stopSync();
  setState('signedout', await store.pendingCount());
}

// What starts a round, and what keeps the status line true, while started.
function onWriting() {
  setState(navigator.onLine ? 'syncing' : 'offline', Math.max(state.pending, 1));
}
async function onWrite(e) {
  schedule(e.detail?.after ? e.detail.after + 50 : 500);
  // Show the waiting change at once, so "All changes saved" is never stale.
  if (enabled) setState(navigator.onLine ? (e.detail?.after ? 'saved' : 'syncing') : 'offline', await store.pendingCount());
}
const onOnline = () => syncNow();
const onOffline = async () => {
  const pending = await store.pendingCount();
  if (enabled) setState('offline', pending);
};
// Visible again: pull. Hidden: push what waits before the phone suspends us.
const onVisibility = () => syncNow();

function listen(on) {
  const method = on ? 'addEventListener' : 'removeEventListener';
  store.events[method]('writing', onWriting);
  store.events[method]('write', onWrite);
  window[method]('online', onOnline);
  window[method]('offline', onOffline);
  document[method]('visibilitychange', onVisibility);
}
