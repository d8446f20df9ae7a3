// Reaching out to someone in the support circle: the links that open the
// phone's own apps (sms:, tel:, mailto:), the composer with an editable
// message, the "when did we last talk" words, and, when the person comes
// back to Rebound after the tap, the offer to log it as outreach.

import { h, chips, field, clear, nextId } from './ui.js';
import * as store from './store.js';
import { MOODS, REACH_OUT_MESSAGES, REACH_OUT_SUBJECT } from './content.js';
import { newest, daysBetween } from './models.js';
import { crisisOffer } from './crisis.js';
import { dayIn } from './break-status.js';

// iPadOS says it is a Mac; only the touch points give it away.
export const isIOS = () => /iP(hone|ad|od)/.test(navigator.userAgent)
  || (navigator.platform === 'MacIntel' && navigator.maxTouchPoints > 1);

const digits = (handle) => (handle ?? '').replace(/[\s.\-()]/g, '');

// The link that opens the phone's app for `contact`'s channel with `message`
// filled in, or null when there is nothing to open (no handle, "other").
// iOS reads the body after `&`, Android (and the rest) after `?`. Email
// wants CRLF line breaks (RFC 6068).
export function reachOutHref(contact, message, ios = isIOS()) {
  const handle = (contact.handle ?? '').trim();
  if (!handle) return null;
  const body = encodeURIComponent(message);
  switch (contact.channel) {
    case 'sms': return `sms:${digits(handle)}${ios ? '&' : '?'}body=${body}`;
    case 'phone': return `tel:${digits(handle)}`;
    case 'email': return `mailto:${encodeURIComponent(handle).replace(/%40/g, '@')}?subject=${encodeURIComponent(REACH_OUT_SUBJECT)}&body=${encodeURIComponent(message.replace(/\r?\n/g, '\r\n'))}`;
    default: return null;
  }
}

const VERB = { sms: 'Text', phone: 'Call', email: 'Email' };

// "Last reached 3 days ago" and, with a cadence, when a check-in comes round.
// Plain facts, never a count of missed days.
export function rhythm(contact, outreach, today = dayIn()) {
  const last = newest('outreach', outreach.filter((o) => String(o.contact_id) === String(contact.id)));
  const lastDay = last ? dayIn(new Date(last.at ?? last.created_at)) : null;
  const ago = lastDay === null ? null : daysBetween(lastDay, today);
  const lastWords = ago === null ? 'No reach-outs logged yet.'
    : ago <= 0 ? 'Last reached today.' : ago === 1 ? 'Last reached yesterday.' : `Last reached ${ago} days ago.`;
  const every = contact.check_in_every_days;
  if (!every) return { last: lastWords, due: '', isDue: false };
  const left = ago === null ? 0 : every - ago;
  const due = left <= 0 ? 'A good time to check in.' : left === 1 ? 'Next check-in tomorrow.' : `Next check-in in ${left} days.`;
  return { last: lastWords, due, isDue: left <= 0 };
}

// ---- after the tap -------------------------------------------------------

const PENDING = 'rebound.reachedOut'; // survives the page being reloaded on return
const events = new EventTarget();

function remember(contact, channel) {
  const pending = { contact_id: contact.id, name: contact.name, channel, at: new Date().toISOString() };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  // Desktop browsers may open nothing and stay visible: offer it anyway soon.
  setTimeout(() => {
    if (document.visibilityState === 'visible') events.dispatchEvent(new Event('back'));
  }, 1500);
}

function pending() {
  try {
    const p = JSON.parse(sessionStorage.getItem(PENDING));
    return p && Date.now() - Date.parse(p.at) < 6 * 3600_000 ? p : null;
  } catch {
    return null;
  }
}

async function logOutreach(p, mood) {
  const fields = { contact_id: p.contact_id, at: p.at };
  if (p.channel) fields.channel = p.channel;
  if (mood) fields.mood_after = Number(mood);
  sessionStorage.removeItem(PENDING);
  await store.save('outreach', null, fields);
}

// A box that offers "Log it" when the person comes back after reaching out
// (visibilitychange), or right away for a reach-out made outside the app.
export function returnOffer(ctx) {
  const box = h('div', { class: 'return-offer', 'aria-live': 'polite' });
  const show = () => {
    const p = pending();
    if (!p || box.dataset.for === p.at) return;
    box.dataset.for = p.at;
    const mood = chips({ legend: 'How do you feel now? (optional)', name: nextId('outreach-mood'), options: MOODS });
    const card = h('section', { class: 'card soft', 'aria-labelledby': 'return-title' },
      h('h2', { id: 'return-title', tabindex: '-1', text: `Did you reach ${p.name}?` }),
      h('p', { text: 'Log it, so you can see who you’ve been in touch with and what helps.' }),
      mood.el,
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', onclick: async () => {
          const m = mood.read();
          await logOutreach(p, m);
          clear(box).append(h('p', { class: 'notice', role: 'status', text: `Logged. Good on you for reaching out to ${p.name}.` }));
          const offer = crisisOffer(m);
          if (offer) box.append(offer);
        } }, 'Log it'),
        h('button', { type: 'button', class: 'secondary', onclick: () => {
          sessionStorage.removeItem(PENDING);
          clear(box);
        } }, 'Not now')));
    clear(box).append(card);
    card.querySelector('h2').focus();
  };
  const onVisible = () => document.visibilityState === 'visible' && show();
  document.addEventListener('visibilitychange', onVisible);
  events.addEventListener('back', show);
  ctx.onCleanup(() => {
    document.removeEventListener('visibilitychange', onVisible);
    events.removeEventListener('back', show);
  });
  if (pending()) queueMicrotask(show); // came back to a reloaded page
  return box;
}

// ---- the composer ----------------------------------------------------------

// A modal with a message to start from (editable), then the link that opens
// the phone's app. Without a number or address: copy the message, and log
// a reach-out made another way.
export function openComposer(contact) {
  const titleId = nextId('reach');
  const choice = chips({ legend: 'Start from', name: nextId('reach-template'), options: REACH_OUT_MESSAGES.map((m, i) => [i, m]), selected: [0] });
  const message = field({ label: 'Your message', name: 'message', multiline: true, rows: 4, maxlength: 2000, value: REACH_OUT_MESSAGES[0] });
  choice.el.addEventListener('change', () => {
    message.input.value = REACH_OUT_MESSAGES[Number(choice.read())];
    update();
  });
  const go = h('a', { class: 'button primary' });
  const noHandle = h('p', { class: 'muted', text: `There’s no number or address for ${contact.name} yet: copy the message, or add one in their details.` });
  const copied = h('p', { class: 'muted', role: 'status' });
  const dlg = h('dialog', { class: 'dialog composer', 'aria-labelledby': titleId });
  const close = () => dlg.close();
  const done = (channel) => {
    remember(contact, channel);
    close();
  };
  go.addEventListener('click', () => done(contact.channel));
  const update = () => {
    const href = reachOutHref(contact, message.input.value);
    go.hidden = !href;
    noHandle.hidden = Boolean(href) || contact.channel === 'other';
    if (href) {
      go.setAttribute('href', href);
      go.textContent = `${VERB[contact.channel]} ${contact.name}`;
    }
  };
  message.input.addEventListener('input', update);
  update();
  const copy = h('button', { type: 'button', class: 'secondary', onclick: async () => {
    try {
      await navigator.clipboard.writeText(message.input.value);
      copied.textContent = 'Copied.';
    } catch {
      message.input.select();
      copied.textContent = 'Selected — copy it with your keyboard or menu.';
    }
  } }, 'Copy message');
  const another = h('button', { type: 'button', class: 'link-button', onclick: () => done('other') }, 'I reached out another way');
  dlg.append(
    h('h2', { id: titleId, text: `Reach out to ${contact.name}` }),
    choice.el, message.wrap, noHandle,
    h('div', { class: 'actions stack' }, go, copy), copied,
    h('div', { class: 'actions' }, another, h('button', { type: 'button', class: 'secondary', onclick: close }, 'Close')));
  dlg.addEventListener('close', () => dlg.remove());
  document.body.append(dlg);
  dlg.showModal();
}
