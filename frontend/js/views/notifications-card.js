// "Notifications on this device": the card in Settings, and offered once
// after the first rejection is logged. It says what will come and how often
// (the person's own caps and quiet hours), then asks on a tap, never before.
// States (push.js): unsupported, ios-install, off, asking, on, blocked.

import { h, clear } from '../ui.js';
import { api, ApiError, NetworkError } from '../api.js';
import { session } from '../session.js';
import { pushState, prepare, turnOn, turnOff } from '../push.js';

const OFFERED = 'rebound.notificationsOffered';

// "21:00" as this device shows times (the quiet-hours fields do the same).
function clock(hhmm) {
  const [hours, minutes] = hhmm.split(':').map(Number);
  return new Date(2000, 0, 1, hours, minutes).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
}

// The person's own limits, in words.
export function howOften(settings = {}) {
  const day = settings.max_nudges_per_day ?? 2;
  const week = settings.max_nudges_per_week ?? 6;
  const quiet = `never between ${clock(settings.quiet_start ?? '21:00')} and ${clock(settings.quiet_end ?? '08:00')}`;
  if (!day || !week) return 'Your reminder limits are set to none just now, so nothing will come until you raise them under Reminders on the You tab.';
  return `At most ${day} a day and ${week} a week, ${quiet}. Change it any time under Reminders on the You tab, where you can also turn notifications off.`;
}

const WHAT = 'Rebound can send a gentle nudge now and then: a breather after a hard week, someone to reach out to, feedback worth asking for, one more application when you’re ready.';

const BLOCKED_STEPS = [
  'On Android or in Chrome: tap the icon next to the address, open Permissions or Site settings, and allow Notifications.',
  'On iPhone or iPad: open Settings, then Notifications, then Rebound, and allow notifications.',
  'On a computer: open the site settings from the icon next to the address and allow Notifications.',
];
const IOS_STEPS = [
  'Tap the Share button at the bottom of Safari.',
  'Choose “Add to Home Screen”, then “Add”.',
  'Open Rebound from your Home Screen and turn notifications on here.',
];

function testResult({ devices, delivered }) {
  if (delivered > 0) {
    return devices > 1 ? `Sent to your ${delivered} devices. It should arrive in a moment.` : 'Sent. It should arrive in a moment.';
  }
  if (!devices) return 'This device isn’t registered with your account just now. Turn notifications off and on again.';
  return 'It didn’t get through just now. Try again in a little while.';
}

function problem(err, doing) {
  if (err instanceof NetworkError) return `You’re offline. ${doing} needs a connection, so nothing changed.`;
  if (err instanceof ApiError && err.status === 429) return 'That’s a few tests already. Try again in a minute.';
  if (err instanceof ApiError && err.status === 422) return 'This browser’s push service isn’t one Rebound can send to, so notifications stay off here. Your reminders wait for you in the app.';
  if (err instanceof ApiError) return `${err.message} Nothing changed.`;
  if (err?.name === 'NotAllowedError') return 'No notifications for now. You can turn them on here whenever you like.';
  return 'The browser couldn’t turn notifications on just now. Try again in a little while.';
}

// The card; `heading` is its h2's text.
export function notificationsCard({ heading = 'Notifications on this device', id = 'device-notifications' } = {}) {
  const titleId = `${id}-title`;
  const body = h('div', { class: 'push-body' });
  const status = h('p', { class: 'status-line', role: 'status' });
  const section = h('section', { class: 'card settings-card push-card', id, 'aria-labelledby': titleId },
    h('h2', { id: titleId, text: heading }), body, status);
  const say = (text, error = false) => {
    status.textContent = text ?? '';
    status.classList.toggle('error', error);
  };
  const button = (text, onclick, kind = 'secondary') => h('button', { type: 'button', class: kind, onclick }, text);
  const steps = (list, tag = 'ol') => h(tag, { class: 'points' }, list.map((s) => h('li', { text: s })));
  const settings = () => session.user?.settings ?? {};

  const draw = (state) => {
    section.dataset.state = state;
    clear(body);
    if (state === 'unsupported') {
      body.append(h('p', { text: 'This browser can’t show notifications from Rebound. Your reminders always wait for you in the app.' }));
    } else if (state === 'ios-install') {
      body.append(
        h('p', { text: 'Add Rebound to your Home Screen first: on iPhone and iPad, notifications only reach the installed app.' }),
        steps(IOS_STEPS));
    } else if (state === 'blocked') {
      body.append(
        h('p', { text: 'Notifications are blocked for Rebound in this browser. That’s fine: your reminders wait for you in the app. To get them here, allow notifications again:' }),
        steps(BLOCKED_STEPS, 'ul'), // alternatives, not steps in order
        h('p', { class: 'muted', text: 'Then come back to this page.' }),
        h('div', { class: 'actions' }, button('Check again', refresh)));
    } else if (state === 'asking') {
      body.append(h('p', { text: 'Your browser is asking whether Rebound may send notifications.' }));
    } else if (state === 'on') {
      body.append(
        h('p', { text: 'Notifications are on for this device.' }),
        h('p', { class: 'muted', text: howOften(settings()) }),
        h('div', { class: 'actions' }, button('Send a test notification', sendTest), button('Turn off', off)));
    } else {
      body.append(
        h('p', { text: WHAT }),
        h('p', { class: 'muted', text: howOften(settings()) }),
        h('div', { class: 'actions' }, button('Turn on notifications', on, 'primary')));
      if (navigator.onLine) prepare().catch(() => {}); // the key, ahead of the tap
    }
  };

  async function refresh() {
    say('');
    draw(await pushState());
  }

  // No await before turnOn(): the tap's user activation is short (WebKit).
  function on() {
    const asking = turnOn();
    say('');
    draw('asking');
    asking.then(() => {
      draw('on');
      say('Notifications are on. Try a test one to see how they look.');
    }, async (err) => {
      draw(await pushState());
      say(problem(err, 'Turning notifications on'), !(err?.name === 'NotAllowedError'));
    });
  }

  async function off() {
    say('');
    try {
      await turnOff();
      draw(await pushState());
      say('Notifications are off for this device. Your reminders still wait for you in the app.');
    } catch (err) {
      say(problem(err, 'Turning notifications off'), true);
    }
  }

  async function sendTest(e) {
    const sender = e.currentTarget;
    say('');
    sender.disabled = true;
    try {
      say(testResult(await api('POST', '/api/push/test')));
    } catch (err) {
      say(problem(err, 'A test notification'), true);
    } finally {
      sender.disabled = false;
    }
  }

  refresh(); // drawn once the browser has said what it can do
  return section;
}

// After the first rejection is logged (views/log.js), once: the same card,
// when notifications are not on here yet, with a way to say not now.
export async function offerOnce(container) {
  try {
    if (localStorage.getItem(OFFERED)) return;
    const state = await pushState();
    if (state !== 'off' && state !== 'ios-install') return;
    localStorage.setItem(OFFERED, new Date().toISOString());
  } catch {
    return; // no storage: better never than every time
  }
  const card = notificationsCard({ heading: 'A gentle nudge now and then?', id: 'offer-notifications' });
  card.append(h('div', { class: 'actions' }, h('button', {
    type: 'button', class: 'link-button', onclick: () => card.remove(),
  }, 'Not now')));
  container.append(card);
}
