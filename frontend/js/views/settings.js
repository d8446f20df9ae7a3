// "You": profile, timezone, goals, reminders, devices, email, password,
// install, support, export, sign out and account deletion.
//
// Settings are account data, not synced records: each form goes to the
// API directly (PATCH /api/me and friends) and needs a connection; offline
// it says so and changes nothing. A refused change (wrong password, a taken
// email, an invalid value, too many tries) shows next to its field, and
// the saved values stay as they were.

import { h, clear, append, field, ask, toast, nextId, showDate } from '../ui.js';
import { api, ApiError, NetworkError } from '../api.js';
import { navigate, render } from '../router.js';
import * as store from '../store.js';
import * as sync from '../sync.js';
import { session, signOut, accountDeleted, updateUser, refresh } from '../session.js';
import { installBlock } from '../pwa.js';
import { NUDGE_KINDS } from '../content.js';
import { todayIn } from '../insights.js';
import { notificationsCard } from './notifications-card.js';

const OFFLINE = 'You’re offline. Changes to your account need a connection, so nothing was changed. Try again when you’re back online.';
const deviceZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const settingsOf = () => session.user?.settings ?? {};

function zones() {
  let list = [];
  try {
    list = Intl.supportedValuesOf('timeZone');
  } catch {
    list = [deviceZone()];
  }
  return [...new Set(['UTC', ...list, session.user?.timezone, deviceZone()].filter(Boolean))].sort();
}

function minutes(seconds) {
  const m = Math.ceil(seconds / 60);
  return m <= 1 ? 'a minute' : `${m} minutes`;
}

// A form that sends one account change. `fields` maps the server's field
// names (dotted for settings) to the field objects that show their errors.
function accountForm({ title, intro, submit, danger = false, body, fields, send, done }) {
  const titleId = nextId('sec');
  const status = h('p', { class: 'status-line', role: 'status' });
  const button = h('button', { type: 'submit', class: danger ? 'danger' : 'primary' }, submit);
  const form = h('form', { novalidate: true }, body, h('div', { class: 'actions' }, button), status);
  const clearErrors = () => {
    for (const f of Object.values(fields)) f.setError(null);
    status.textContent = '';
    status.classList.remove('error');
  };
  const say = (text, error = false) => {
    status.textContent = text;
    status.classList.toggle('error', error);
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors();
    if (!navigator.onLine) return say(OFFLINE, true);
    button.disabled = true;
    try {
      const result = await send();
      if (result !== false) say(await done(result));
    } catch (err) {
      showError(err, fields, say);
    } finally {
      button.disabled = false;
    }
  });
  const section = h('section', { class: 'card settings-card', 'aria-labelledby': titleId },
    h('h2', { id: titleId, text: title }),
    intro ? h('p', { class: 'muted', text: intro }) : null,
    form);
  return { section, form, say, clearErrors };
}

// Puts the server's refusal next to the field it is about.
function showError(err, fields, say) {
  if (err instanceof NetworkError) return say(OFFLINE, true);
  if (err.invalid) return err.invalid.setError(err.message);
  if (!(err instanceof ApiError)) throw err;
  const at = (name) => fields[name] ?? Object.entries(fields).find(([k]) => name.startsWith(`${k}.`))?.[1];
  if (err.status === 403 && err.code === 'wrong_password') {
    const f = fields.current_password ?? fields.password;
    if (f) return f.setError('That isn’t your current password. Nothing was changed.');
  }
  if (err.status === 409 && fields.new_email) return fields.new_email.setError('Another account already uses this email.');
  if (err.status === 429) {
    return say(`Too many tries for now. Try again in ${err.retryAfter ? minutes(err.retryAfter) : 'a while'}; nothing was changed.`, true);
  }
  if (err.status === 422 && Object.keys(err.fields).length) {
    const loose = [];
    for (const [name, messages] of Object.entries(err.fields)) {
      const f = at(name);
      if (f) f.setError(messages.join(' '));
      else loose.push(messages.join(' '));
    }
    return say(loose.length ? loose.join(' ') : 'Nothing was changed: see the message above.', true);
  }
  if (err.status === 401) return say('This device was signed out. Sign in again to change your account.', true);
  return say(`${err.message} Nothing was changed.`, true);
}

// Raised before sending: a value the form can already tell is missing.
function invalid(f, message) {
  const e = new Error(message);
  e.invalid = f;
  return e;
}

const patchMe = async (changes) => {
  const user = await api('PATCH', '/api/me', changes);
  await updateUser(user);
  return user;
};

function wholeNumber(f, min, max) {
  const raw = f.input.value.trim();
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw invalid(f, `Use a whole number from ${min} to ${max}.`);
  return Number(raw);
}

// ---- the sections ------------------------------------------------------------

function profileSection() {
  const name = field({ label: 'Your name', name: 'display_name', value: session.user?.display_name ?? '', maxlength: 200, autocomplete: 'nickname', hint: 'What Rebound calls you. Optional.' });
  return accountForm({
    title: 'Profile', submit: 'Save name', body: name.wrap, fields: { display_name: name },
    send: () => patchMe({ display_name: name.input.value.trim() || null }),
    done: (u) => (u.display_name ? `Saved. Hello, ${u.display_name}.` : 'Saved.'),
  });
}

function timezoneSection() {
  const listId = nextId('zones');
  const here = deviceZone();
  const tz = field({
    label: 'Time zone', name: 'timezone', value: session.user?.timezone ?? here, list: listId,
    autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off',
    hint: 'Type to search, such as “Berlin” or “New York”. “Today”, “this week” and reminder times follow it.',
  });
  const options = h('datalist', { id: listId }, zones().map((z) => h('option', { value: z })));
  const useHere = h('button', { type: 'button', class: 'link-button', onclick: () => { tz.input.value = here; tz.input.focus(); } },
    `Use this device’s time zone (${here})`);
  const form = accountForm({
    title: 'Time zone', submit: 'Save time zone', body: [tz.wrap, options, h('p', { class: 'small' }, useHere)],
    fields: { timezone: tz },
    send: () => {
      const value = tz.input.value.trim();
      if (!value) throw invalid(tz, 'Choose a time zone.');
      return patchMe({ timezone: value });
    },
    done: (u) => `Saved. Your time zone is ${u.timezone}.`,
  });
  return form;
}

function goalsSection() {
  const s = settingsOf();
  const goal = field({ label: 'Weekly application goal', name: 'weekly_application_goal', type: 'number', min: 0, max: 100, step: 1, inputmode: 'numeric', value: String(s.weekly_application_goal ?? 5), hint: 'A gentle target for the week, never a streak. 0 turns it off.' });
  const ghost = field({ label: 'Days without news before an application counts as silent', name: 'ghost_after_days', type: 'number', min: 7, max: 180, step: 1, inputmode: 'numeric', value: String(s.ghost_after_days ?? 30), hint: 'From 7 to 180. After that, Rebound offers to close it as “No reply”, and Insights counts it as silence.' });
  return accountForm({
    title: 'Job search', submit: 'Save goals', body: [goal.wrap, ghost.wrap],
    fields: { 'settings.weekly_application_goal': goal, 'settings.ghost_after_days': ghost },
    send: () => {
      const wanted = { weekly_application_goal: wholeNumber(goal, 0, 100), ghost_after_days: wholeNumber(ghost, 7, 180) };
      const now = settingsOf();
      const defaults = { weekly_application_goal: 5, ghost_after_days: 30 };
      // Only what changed: each setting stands on its own.
      const settings = Object.fromEntries(Object.entries(wanted).filter(([k, v]) => v !== (now[k] ?? defaults[k])));
      return Object.keys(settings).length ? patchMe({ settings }) : session.user;
    },
    done: () => 'Saved.',
  });
}

// Turn notifications on for this device, test them (views/notifications-card.js).
// The reminders section below (quiet hours, switches, caps) says what they send.
function deviceNotificationsSection() {
  return notificationsCard();
}

// A switch: the whole row is its label (a big target); a hint below it
// describes it without becoming part of its name.
function switchRow(name, label, checked, hint) {
  const id = nextId(name);
  const input = h('input', { type: 'checkbox', role: 'switch', id, name, class: 'check' });
  input.checked = Boolean(checked);
  const hintEl = hint ? h('p', { class: 'hint switch-hint', id: `${id}-hint`, text: hint }) : null;
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  const row = h('label', { class: 'switch', for: id }, input, h('span', { class: 'switch-label', text: label }));
  return { input, el: hintEl ? h('div', {}, row, hintEl) : row };
}

function remindersSection() {
  const s = settingsOf();
  const start = field({ label: 'Quiet from', name: 'quiet_start', type: 'time', value: s.quiet_start ?? '21:00' });
  const end = field({ label: 'Quiet until', name: 'quiet_end', type: 'time', value: s.quiet_end ?? '08:00' });
  const kindsError = h('p', { class: 'error', hidden: true });
  const kinds = NUDGE_KINDS.map(([kind, label]) => [kind, switchRow(`kind-${kind}`, label, (s.nudge_kinds ?? {})[kind] ?? true)]);
  const kindsField = { setError(msg) { kindsError.textContent = msg ?? ''; kindsError.hidden = !msg; } };
  const perDay = field({ label: 'At most a day', name: 'max_nudges_per_day', type: 'number', min: 0, max: 10, step: 1, inputmode: 'numeric', value: String(s.max_nudges_per_day ?? 2) });
  const perWeek = field({ label: 'At most a week', name: 'max_nudges_per_week', type: 'number', min: 0, max: 50, step: 1, inputmode: 'numeric', value: String(s.max_nudges_per_week ?? 6) });
  const detailed = switchRow('detailed_notifications', 'Name companies and people in notifications', s.detailed_notifications ?? false,
    'Off unless you turn it on, because lock screens are public: with it off, a reminder says “Reach out to someone today”, never who, and never which company.');
  const detailedField = { setError: kindsField.setError };
  const body = [
    h('fieldset', { class: 'pair' }, h('legend', { text: 'Quiet hours' }),
      h('p', { class: 'hint', text: 'No reminders between these times, in your time zone. One that falls inside waits until they end.' }),
      h('div', { class: 'pair-row' }, start.wrap, end.wrap)),
    h('fieldset', {}, h('legend', { text: 'Remind me to' }), h('div', { class: 'switches' }, kinds.map(([, k]) => k.el)), kindsError),
    h('fieldset', { class: 'pair' }, h('legend', { text: 'How many reminders' }),
      h('div', { class: 'pair-row' }, perDay.wrap, perWeek.wrap)),
    h('fieldset', {}, h('legend', { text: 'Privacy' }), detailed.el),
  ];
  return accountForm({
    title: 'Reminders', submit: 'Save reminders',
    intro: 'Gentle nudges: a break, someone to talk to, feedback to ask for, the next application.',
    body,
    fields: {
      'settings.quiet_start': start, 'settings.quiet_end': end, 'settings.nudge_kinds': kindsField,
      'settings.max_nudges_per_day': perDay, 'settings.max_nudges_per_week': perWeek,
      'settings.detailed_notifications': detailedField,
    },
    send: () => {
      if (!start.input.value) throw invalid(start, 'Choose a time.');
      if (!end.input.value) throw invalid(end, 'Choose a time.');
      return patchMe({ settings: {
        quiet_start: start.input.value.slice(0, 5),
        quiet_end: end.input.value.slice(0, 5),
        nudge_kinds: Object.fromEntries(kinds.map(([kind, k]) => [kind, k.input.checked])),
        max_nudges_per_day: wholeNumber(perDay, 0, 10),
        max_nudges_per_week: wholeNumber(perWeek, 0, 50),
        detailed_notifications: detailed.input.checked,
      } });
    },
    done: () => 'Saved. Your reminders are planned again with these settings.',
  });
}

function devicesSection(ctx) {
  const titleId = nextId('sec');
  const box = h('div', { class: 'devices' });
  const status = h('p', { class: 'status-line', role: 'status' });
  const when = (iso) => showDate(iso);
  const load = async () => {
    if (!navigator.onLine) {
      clear(box).append(h('p', { class: 'muted', text: 'Connect to the internet to see the devices signed in to your account.' }));
      return;
    }
    let list;
    try {
      list = await api('GET', '/api/me/sessions');
    } catch (err) {
      clear(box).append(h('p', { class: 'muted', text: err instanceof NetworkError
        ? 'Connect to the internet to see the devices signed in to your account.' : 'Could not load your devices just now.' }));
      return;
    }
    if (!ctx.isCurrent()) return;
    list.sort((a, b) => Number(b.current) - Number(a.current) || b.last_seen_at.localeCompare(a.last_seen_at));
    const others = list.filter((d) => !d.current);
    const act = async (path, message) => {
      status.textContent = '';
      if (!navigator.onLine) {
        status.textContent = OFFLINE;
        return;
      }
      try {
        await api('DELETE', path);
        status.textContent = message;
      } catch (err) {
        status.textContent = err instanceof NetworkError ? OFFLINE : `${err.message} Nothing was changed.`;
      }
      await load();
    };
    append(clear(box), [
      h('ul', { class: 'device-list', 'aria-label': 'Signed-in devices' }, list.map((d) => {
        const label = d.device_label || 'A device';
        return h('li', { class: 'device' },
          h('div', {},
            h('span', { class: 'device-name', text: label }),
            d.current ? h('span', { class: 'tag', text: 'This device' }) : null,
            h('span', { class: 'row-meta', text: `Signed in ${when(d.created_at)} · last used ${when(d.last_seen_at)}` })),
          d.current ? null : h('button', {
            type: 'button', class: 'secondary', 'aria-label': `Sign out ${label}, last used ${when(d.last_seen_at)}`,
            onclick: () => act(`/api/me/sessions/${d.id}`, `${label} is signed out.`),
          }, 'Sign out'));
      })),
      others.length ? h('div', { class: 'actions' }, h('button', {
        type: 'button', class: 'secondary',
        onclick: () => act('/api/me/sessions', others.length === 1 ? 'Your other device is signed out.' : 'Your other devices are signed out.'),
      }, 'Sign out all other devices')) : null]);
  };
  const onOnline = () => load();
  addEventListener('online', onOnline);
  ctx.onCleanup(() => removeEventListener('online', onOnline));
  load();
  const section = h('section', { class: 'card settings-card', id: 'devices', 'aria-labelledby': titleId },
    h('h2', { id: titleId, text: 'Signed-in devices' }),
    h('p', { class: 'muted', text: 'Lost a phone, or used a shared computer? Sign it out here.' }),
    box, status);
  return { section, reload: load };
}

function emailSection() {
  const current = h('strong', { class: 'email', text: session.user?.email ?? '' });
  const email = field({ label: 'New email', name: 'new_email', type: 'email', autocomplete: 'email', maxlength: 254 });
  const password = field({ label: 'Current password', name: 'current_password', type: 'password', autocomplete: 'current-password' });
  const form = accountForm({
    title: 'Sign-in email', submit: 'Change email',
    body: [h('p', {}, 'You sign in as ', current, '.'), email.wrap, password.wrap],
    fields: { new_email: email, current_password: password },
    send: () => {
      if (!email.input.value.trim()) throw invalid(email, 'Enter the new email.');
      if (!password.input.value) throw invalid(password, 'Enter your current password.');
      return api('POST', '/api/me/email', { new_email: email.input.value.trim(), current_password: password.input.value });
    },
    done: async (user) => {
      await updateUser(user);
      current.textContent = user.email;
      email.input.value = '';
      password.input.value = '';
      return `Done. You now sign in as ${user.email}.`;
    },
  });
  return form;
}

function passwordSection(onChanged) {
  const current = field({ label: 'Current password', name: 'current_password', type: 'password', autocomplete: 'current-password' });
  const next = field({ label: 'New password', name: 'new_password', type: 'password', autocomplete: 'new-password', hint: 'At least 10 characters.' });
  return accountForm({
    title: 'Password', submit: 'Change password',
    intro: 'Changing your password signs out every other device signed in to your account. This one stays signed in.',
    body: [current.wrap, next.wrap],
    fields: { current_password: current, new_password: next },
    send: () => {
      if (!current.input.value) throw invalid(current, 'Enter your current password.');
      if (next.input.value.length < 10) throw invalid(next, 'Use at least 10 characters.');
      return api('POST', '/api/me/password', { current_password: current.input.value, new_password: next.input.value });
    },
    done: async () => {
      current.input.value = '';
      next.input.value = '';
      await onChanged();
      return 'Password changed. Your other devices are signed out.';
    },
  });
}

function exportSection() {
  const titleId = nextId('sec');
  const status = h('p', { class: 'status-line', role: 'status' });
  const button = h('button', { type: 'button', class: 'secondary', onclick: async () => {
    status.textContent = '';
    if (!navigator.onLine) {
      status.textContent = 'You’re offline. The download comes from your account on the server: try again when you’re back online.';
      return;
    }
    button.disabled = true;
    try {
      const doc = await api('GET', '/api/me/export');
      const name = `rebound-export-${todayIn(session.user?.timezone || deviceZone())}.json`;
      const url = URL.createObjectURL(new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' }));
      const a = h('a', { href: url, download: name, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      status.textContent = `Downloaded ${name}.`;
    } catch (err) {
      status.textContent = err instanceof NetworkError ? 'You’re offline. Try again when you’re back online.' : err.message;
    } finally {
      button.disabled = false;
    }
  } }, 'Download my data');
  return h('section', { class: 'card settings-card', 'aria-labelledby': titleId },
    h('h2', { id: titleId, text: 'Your data' }),
    h('p', { class: 'muted', text: 'Everything in your account as one file (JSON): rejections and reflections, applications, breaks, people and reach-outs, check-ins, reminders and devices.' }),
    h('div', { class: 'actions' }, button), status);
}

function deleteSection() {
  const password = field({ label: 'Your password', name: 'password', type: 'password', autocomplete: 'current-password' });
  return accountForm({
    title: 'Delete your account', submit: 'Delete my account', danger: true,
    intro: 'This deletes your account and everything in it, on every device: your rejections, reflections and lessons, applications, breaks, people and reach-outs, check-ins, reminders and signed-in devices. It cannot be undone. Download your data first if you want a copy.',
    body: password.wrap,
    fields: { password },
    send: async () => {
      if (!password.input.value) throw invalid(password, 'Enter your password to confirm it’s you.');
      const sure = await ask({
        title: 'Delete everything?',
        body: 'Your account and all that is in it will be gone for good, here and on your other devices.',
        confirm: 'Delete my account', cancel: 'Keep my account', danger: true,
      });
      if (!sure) return false;
      await api('DELETE', '/api/me', { password: password.input.value });
      await accountDeleted();
      await navigate('/', { replace: true });
      toast('Your account and everything in it are deleted. Take care.');
      return false;
    },
    done: () => '',
  });
}

async function confirmSignOut() {
  if (navigator.onLine && await store.pendingCount()) await sync.syncNow();
  const waiting = await store.pendingCount();
  const offline = !navigator.onLine;
  if (!waiting && !offline) return true;
  const parts = [];
  if (waiting === 1) {
    parts.push('1 change hasn’t reached the server yet. If you sign out now, it will be lost. Connect to the internet and wait for “All changes saved” to keep it.');
  } else if (waiting) {
    parts.push(`${waiting} changes haven’t reached the server yet. If you sign out now, they will be lost. Connect to the internet and wait for “All changes saved” to keep them.`);
  }
  if (offline) {
    parts.push('You’re offline: your data leaves this device now, and this device is signed out of your account as soon as Rebound next opens with a connection.');
  }
  return ask({
    title: waiting ? 'Some changes haven’t synced yet' : 'Sign out while offline?',
    body: parts.join(' '),
    confirm: waiting ? 'Sign out anyway' : 'Sign out',
    cancel: 'Stay signed in',
    danger: Boolean(waiting),
  });
}

function signOutSection() {
  const titleId = nextId('sec');
  return h('section', { class: 'card settings-card', 'aria-labelledby': titleId },
    h('h2', { id: titleId, text: 'Sign out' }),
    h('p', { class: 'muted', text: 'Signing out removes your data from this device. It stays safe in your account.' }),
    h('button', { type: 'button', class: 'secondary', onclick: async () => {
      if (!(await confirmSignOut())) return;
      await signOut();
      await navigate('/', { replace: true });
    } }, 'Sign out'));
}

export async function settingsView(ctx) {
  const user = session.user ?? {};
  const devices = devicesSection(ctx);
  // The cached user is shown at once; the server's copy (another device may
  // have changed a setting) refreshes the values nobody is editing.
  const sections = {
    profile: profileSection(),
    timezone: timezoneSection(),
    goals: goalsSection(),
    reminders: remindersSection(),
    email: emailSection(),
  };
  const page = h('section', { class: 'settings' },
    h('h1', { text: 'You' }),
    h('p', { class: 'lead' }, 'Signed in as ', h('span', { class: 'email', text: user.email ?? '' })),
    h('p', {}, h('a', { href: '/insights', class: 'more' }, 'See the big picture: your insights')),
    sections.profile.section,
    sections.timezone.section,
    sections.goals.section,
    deviceNotificationsSection(),
    sections.reminders.section,
    devices.section,
    sections.email.section,
    passwordSection(devices.reload).section,
    h('section', { class: 'card settings-card', 'aria-labelledby': 'install-title' },
      h('h2', { id: 'install-title', text: 'Install' }),
      h('p', { class: 'muted', text: 'Rebound works offline and opens from your home screen like any other app.' }),
      installBlock()),
    h('section', { class: 'card settings-card', 'aria-labelledby': 'support-title' },
      h('h2', { id: 'support-title', text: 'Support' }),
      h('p', {}, h('a', { href: '/help' }, 'Crisis lines and someone to talk to'))),
    exportSection(),
    signOutSection(),
    deleteSection().section);
  const before = JSON.stringify(session.user);
  refresh().then(() => {
    if (ctx.isCurrent() && session.user && JSON.stringify(session.user) !== before
        && !(page.contains(document.activeElement) && document.activeElement.matches('input, textarea, select'))) render();
  });
  return page;
}
