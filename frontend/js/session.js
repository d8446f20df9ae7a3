// Who is signed in on this device. The user object is kept in the local
// store so the app opens signed in (and offline) after a reload.

import { api, NetworkError } from './api.js';
import * as db from './db.js';

export const session = { user: null, expired: false };

// The sync client loads with a session, not with the welcome page (SPEC §7).
// `events` says 'sync' (detail: the module) the first time it is asked for,
// before anyone starts it, so main.js wires its status line in time.
export const events = new EventTarget();
let syncModule = null;
export function loadSync() {
  syncModule ??= import('./sync.js').then((sync) => {
    events.dispatchEvent(new CustomEvent('sync', { detail: sync }));
    return sync;
  });
  return syncModule;
}

// A sign-out made offline could not reach the server, so that device's
// session (an HttpOnly cookie we cannot delete) would stay valid for 30
// days. It is remembered here — in localStorage, which the wipe of the
// local store leaves alone — and sent before anything else once online.
const PENDING_SIGN_OUT = 'rebound.pendingSignOut';
let flushing = null;

export const signOutPending = () => {
  try {
    return localStorage.getItem(PENDING_SIGN_OUT) !== null;
  } catch {
    return false;
  }
};

// Listened to only while a sign-out waits: reconnecting sends it.
const onOnline = () => flushSignOut();

function rememberSignOut(pending) {
  try {
    if (pending) localStorage.setItem(PENDING_SIGN_OUT, new Date().toISOString());
    else localStorage.removeItem(PENDING_SIGN_OUT);
  } catch {
    // No storage (a private window's quota): nothing more we can do.
  }
  if (pending) addEventListener('online', onOnline);
  else removeEventListener('online', onOnline);
}

// Sends the pending sign-out, if any. Done (the flag goes) when the server
// ends the session (204) or says it already has (401); kept when offline
// or when the server could not answer.
export function flushSignOut() {
  if (!signOutPending()) return Promise.resolve();
  addEventListener('online', onOnline); // (again: after a restart)
  if (!navigator.onLine) return Promise.resolve();
  flushing ??= (async () => {
    try {
      await api('POST', '/api/auth/logout');
      rememberSignOut(false);
    } catch (err) {
      if (err.status === 401) rememberSignOut(false);
    } finally {
      flushing = null;
    }
  })();
  return flushing;
}

// The app's start: a pending sign-out goes first (given a few seconds, so
// a bad connection cannot hold the app closed; it still goes on, and a
// sign-in waits for it), then the user kept on this device.
export async function load() {
  const sent = flushSignOut();
  await Promise.race([sent, new Promise((ok) => { setTimeout(ok, 4000); })]);
  session.user = (await db.getMeta('user')) ?? null;
  return session.user;
}

export function deviceLabel() {
  const ua = navigator.userAgent;
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox'
    : /Chrom(e|ium)\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : 'Browser';
  const os = /iPhone|iPad|iPod/.test(ua) ? 'iOS' : /Android/.test(ua) ? 'Android'
    : /Mac OS X/.test(ua) ? 'Mac' : /Windows/.test(ua) ? 'Windows' : /Linux/.test(ua) ? 'Linux' : 'device';
  return `${browser} on ${os}`;
}

async function begin(user) {
  const previous = await db.getMeta('user');
  if (previous?.id !== user.id) await db.wipe(); // another account's data never mixes in
  await db.setMeta('user', user);
  session.user = user;
  session.expired = false;
  rememberSignOut(false); // a new cookie replaced the old one: nothing left to send it with
  const sync = await loadSync();
  sync.startSync();
  sync.syncNow();
  return user;
}

export async function signUp({ email, password, displayName }) {
  await flushSignOut(); // with the old cookie, before a new session replaces it
  const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const body = { email, password, timezone, device_label: deviceLabel() };
  if (displayName) body.display_name = displayName;
  return begin(await api('POST', '/api/auth/register', body));
}

export async function signIn({ email, password }) {
  await flushSignOut();
  return begin(await api('POST', '/api/auth/login', { email, password, device_label: deviceLabel() }));
}

// Refreshes the user object when online; a 401 means this device's session ended.
export async function refresh() {
  if (!session.user || !navigator.onLine) return;
  try {
    session.user = await api('GET', '/api/me');
    await db.setMeta('user', session.user);
  } catch (err) {
    if (err.status === 401) session.expired = true;
  }
}

// The server ended this device's session (here: a password reset, which signs
// out every device). As after a 401: the next sign-in is asked for, and local
// data stays until someone signs in (a different account wipes it).
export async function ended() {
  if (!session.user) return;
  session.expired = true;
  await (await loadSync()).signedOut();
}

// This device's push subscription: dropped on the server (when `tellServer`
// and online) and in the browser.
async function dropPush(tellServer) {
  try {
    const reg = await navigator.serviceWorker?.getRegistration();
    const sub = await reg?.pushManager?.getSubscription();
    if (sub) {
      if (tellServer) await api('DELETE', '/api/push/subscriptions', { endpoint: sub.endpoint }).catch(() => {});
      await sub.unsubscribe();
    }
  } catch {
    // No push here; nothing to drop.
  }
}

async function forget() {
  await db.wipe();
  session.user = null;
  session.expired = false;
}

// Ends the session and wipes everything this device holds for the user.
// Offline, the wipe happens now and the sign-out is sent later (above);
// the server deletes this session's push subscription with the session.
export async function signOut() {
  (await loadSync()).stopSync();
  await dropPush(navigator.onLine);
  try {
    await api('POST', '/api/auth/logout');
  } catch (err) {
    // Offline (or the server did not answer): send it when next online.
    // Already signed out (401): nothing left to end.
    if (err instanceof NetworkError || err.status >= 500) rememberSignOut(true);
  }
  await forget();
}

// The account was deleted (the server already removed its sessions and
// subscriptions): nothing of it stays on this device.
export async function accountDeleted() {
  (await loadSync()).stopSync();
  await dropPush(false);
  rememberSignOut(false);
  await forget();
}

// The user object after an account change (PATCH /api/me and friends).
export async function updateUser(user) {
  session.user = user;
  await db.setMeta('user', user);
}
