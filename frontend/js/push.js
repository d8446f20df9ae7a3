// This device's push subscription (SPEC §6): what the browser can do, the
// VAPID key, subscribing from a tap, registering with the API, unsubscribing,
// and on every signed-in start the browser's subscription upserted to the
// server again (iOS drops subscriptions quietly, and Chrome never fires
// `pushsubscriptionchange`, so the server would never hear of a new one).

import { api, NetworkError } from './api.js';
import { isIOS, isStandalone } from './pwa.js';
import { deviceLabel } from './session.js';

// 'ios-install': iOS shows web push only to the app added to the Home Screen;
// in a Safari tab there is no PushManager at all. 'unsupported': no push here.
export function support() {
  if (isIOS() && !isStandalone()) return 'ios-install';
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) return 'unsupported';
  return 'ok';
}

// 'unsupported' | 'ios-install' | 'blocked' | 'on' | 'off'
export async function pushState() {
  const supported = support();
  if (supported !== 'ok') return supported;
  if (Notification.permission === 'denied') return 'blocked';
  return (await current()) ? 'on' : 'off';
}

async function current() {
  const registration = await navigator.serviceWorker.getRegistration();
  return (await registration?.pushManager.getSubscription()) ?? null;
}

const fromBase64url = (text) => Uint8Array.from(
  atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4)),
  (c) => c.charCodeAt(0));
const toBase64url = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)))
  .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

// Fetched before the tap (the card calls it when it is drawn), so the tap
// itself goes straight to `subscribe`: WebKit gives a tap about one second
// of user activation, and a fetch first could use it up.
let prepared = null;
export function prepare() {
  if (!prepared && !navigator.onLine) return Promise.reject(new NetworkError('No connection'));
  prepared ??= Promise.all([navigator.serviceWorker.ready, api('GET', '/api/push/public-key')])
    .then(([registration, { public_key: key }]) => ({ registration, key }))
    .catch((err) => {
      prepared = null; // offline: try again next time
      throw err;
    });
  return prepared;
}

const subscribeWith = (registration, key) =>
  registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: fromBase64url(key) });

async function register(subscription) {
  const { endpoint, keys } = subscription.toJSON();
  await api('POST', '/api/push/subscriptions',
    { endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth }, device_label: deviceLabel() });
}

// Call it first thing in the tap handler. The browser asks for permission;
// a refusal rejects (NotAllowedError) and leaves the state 'blocked' or 'off'.
export async function turnOn() {
  const { registration, key } = await prepare();
  const subscription = await subscribeWith(registration, key);
  try {
    await register(subscription);
  } catch (err) {
    // Not on until the server knows: a subscription it never heard of gets nothing.
    await subscription.unsubscribe().catch(() => {});
    throw err;
  }
  return subscription;
}

// The server first: if it cannot be told (offline), nothing changes here.
export async function turnOff() {
  const subscription = await current();
  if (!subscription) return;
  await api('DELETE', '/api/push/subscriptions', { endpoint: subscription.endpoint });
  await subscription.unsubscribe();
}

const sameKey = (buffer, key) => buffer == null || toBase64url(buffer) === key;

// Every signed-in start: tell the server about the subscription this browser
// holds (an upsert by endpoint). If the server's key changed (keys rotated),
// the old subscription can never receive again: drop it and make a new one
// (permission was given already, so no tap is needed). Quiet on failure: the
// next start tries again.
export async function refreshSubscription() {
  if (support() !== 'ok' || !navigator.onLine) return;
  try {
    const subscription = await current();
    if (!subscription) return;
    const { public_key: key } = await api('GET', '/api/push/public-key');
    if (sameKey(subscription.options?.applicationServerKey, key)) {
      await register(subscription);
      return;
    }
    await api('DELETE', '/api/push/subscriptions', { endpoint: subscription.endpoint }).catch(() => {});
    await subscription.unsubscribe();
    if (Notification.permission !== 'granted') return;
    await register(await subscribeWith(await navigator.serviceWorker.ready, key));
  } catch {
    // Offline, signed out, or no push service just now.
  }
}
