// One person in the support circle (/support/<id>): reach out, when you
// last did, their details (saved as you go, the server's refusals shown
// next to their field) and removing them with Undo. And adding someone
// (/support/new): a short form, then their own screen.

import { h, chips, field, toast, showDate } from '../ui.js';
import { bindRecord } from '../binders.js';
import { navigate } from '../router.js';
import * as store from '../store.js';
import { RELATIONSHIPS, CHANNELS, labelOf, moodLabel } from '../content.js';
import { newestFirst } from '../models.js';
import { showRefused } from '../refused.js';
import { openComposer, returnOffer, rhythm } from '../reach-out.js';
import { dayIn } from '../break-status.js';

const ENTITY = 'contacts';

const HANDLE = {
  label: 'Phone number or email (optional)',
  hint: 'For a call or a text, their number; for email, their address.',
};
const CADENCE = {
  label: 'Check in every … days (optional)',
  hint: 'Rebound shows when a check-in comes round. Leave it empty for no rhythm.',
};
const INPUT_MODE = { phone: 'tel', sms: 'tel', email: 'email' };

// The check-in rhythm as typed: null (empty), a whole number 1–365, or an error message.
function readCadence(value) {
  const v = value.trim();
  if (!v) return { value: null };
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 && n <= 365 ? { value: n } : { error: 'A whole number of days, from 1 to 365.' };
}

const fitHandle = (input, channel) => input.setAttribute('inputmode', INPUT_MODE[channel] ?? 'text');

export async function newContactView() {
  const name = field({ label: 'Name', name: 'name', required: true, maxlength: 200, autocomplete: 'off' });
  const relationship = chips({ legend: 'Who are they to you? (optional)', name: 'relationship', options: RELATIONSHIPS });
  const channel = chips({ legend: 'Best way to reach them (optional)', name: 'channel', options: CHANNELS });
  const handle = field({ ...HANDLE, name: 'handle', maxlength: 200, autocomplete: 'off' });
  const cadence = field({ ...CADENCE, name: 'check_in_every_days', type: 'number', min: 1, max: 365, inputmode: 'numeric' });
  channel.el.addEventListener('change', () => fitHandle(handle.input, channel.read()));
  const form = h('form', { class: 'form', novalidate: true },
    name.wrap, relationship.el, channel.el, handle.wrap, cadence.wrap,
    h('div', { class: 'actions' },
      h('a', { href: '/support', class: 'button secondary' }, 'Cancel'),
      h('button', { type: 'submit', class: 'primary' }, 'Add to my circle')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const every = readCadence(cadence.input.value);
    name.setError(name.input.value.trim() ? null : 'Who is it? A name is all that’s needed.');
    cadence.setError(every.error ?? null);
    if (!name.input.value.trim() || every.error) {
      (name.input.value.trim() ? cadence.input : name.input).focus();
      return;
    }
    const fields = { name: name.input.value.trim() };
    if (relationship.read()) fields.relationship = relationship.read();
    if (channel.read()) fields.channel = channel.read();
    if (handle.input.value.trim()) fields.handle = handle.input.value.trim();
    if (every.value) fields.check_in_every_days = every.value;
    const id = await store.save(ENTITY, null, fields);
    await navigate(`/support/${id}`, { replace: true });
    toast(`${fields.name} is in your circle.`);
  });
  return h('section', {},
    h('p', { class: 'back' }, h('a', { href: '/support' }, '← Support')),
    h('h1', { text: 'Add someone' }),
    h('p', { class: 'lead', text: 'Someone you’d be glad to hear from: a friend, family, a mentor, someone else looking for work.' }),
    form);
}

function outreachList(items) {
  if (!items.length) return h('p', { class: 'empty', text: 'When you reach out, it’s noted here.' });
  return h('ul', { class: 'list', 'aria-label': 'Your reach-outs' }, items.map((o) => h('li', { class: 'row' },
    h('span', { class: 'row-title', text: showDate(dayIn(new Date(o.at ?? o.created_at))) }),
    h('span', { class: 'row-meta', text: [labelOf(CHANNELS, o.channel), o.mood_after ? `Felt ${moodLabel(o.mood_after).toLowerCase()} after` : ''].filter(Boolean).join(' · ') || 'Reached out' }))));
}

export async function contactView(ctx) {
  const { id } = ctx.params;
  const c = await store.get(ENTITY, id);
  if (!c) {
    return h('section', {},
      h('h1', { text: 'Not on this device' }),
      h('p', { text: 'This person isn’t here. They may have been removed, or haven’t synced yet.' }),
      h('a', { href: '/support', class: 'button secondary' }, 'Your support circle'));
  }
  const form = bindRecord(ctx, ENTITY, c);
  const title = h('h1');
  const meta = h('p', { class: 'lead' });
  const refusedBox = h('div');
  const when = h('p');
  const reach = h('button', { type: 'button', class: 'primary big', onclick: () => openComposer(form.record) });

  const name = form.line('name', { label: 'Name', maxlength: 200, required: 'A name is needed.' });
  const relationship = form.choice('relationship', { legend: 'Who are they to you?', options: RELATIONSHIPS });
  const channel = form.choice('channel', { legend: 'Best way to reach them', options: CHANNELS });
  const handle = form.line('handle', { ...HANDLE, maxlength: 200, autocomplete: 'off' });
  const cadence = field({ ...CADENCE, name: 'check_in_every_days', type: 'number', min: 1, max: 365, inputmode: 'numeric' });
  cadence.input.addEventListener('change', () => {
    const every = readCadence(cadence.input.value);
    cadence.setError(every.error ?? null);
    if (!every.error) form.save({ check_in_every_days: every.value });
  });
  const notes = form.text('notes', { label: 'Notes (optional)', rows: 3, hint: 'Only you see this.' });

  form.onUpdate((r) => {
    title.textContent = r.name || 'Someone';
    meta.textContent = [labelOf(RELATIONSHIPS, r.relationship), labelOf(CHANNELS, r.channel)].filter(Boolean).join(' · ');
    reach.textContent = `Reach out to ${r.name || 'them'}`;
    fitHandle(handle.input, r.channel);
    if (document.activeElement !== cadence.input && !cadence.input.getAttribute('aria-invalid')) {
      cadence.input.value = r.check_in_every_days ?? '';
    }
    showRefused(r, ENTITY, { name, handle, check_in_every_days: cadence }, refusedBox,
      () => r._local && navigate('/support'));
  });
  await form.watch();

  const history = h('div');
  const drawOutreach = async () => {
    const all = await store.list('outreach');
    const r = rhythm(form.record, all);
    when.textContent = [r.last, r.due].filter(Boolean).join(' ');
    history.replaceChildren(outreachList(newestFirst('outreach', all.filter((o) => String(o.contact_id) === String(id)))));
  };
  await ctx.watch(['outreach', ENTITY], drawOutreach);

  const remove = h('button', { type: 'button', class: 'danger', onclick: async () => {
    const undo = await store.remove(ENTITY, id, 5000);
    const who = form.record.name;
    await navigate('/support');
    toast(`Removed ${who || 'them'} from your circle.`, { label: 'Undo', ms: 5000, run: async () => {
      if (await undo()) toast('Brought them back.');
    } });
  } }, 'Remove from my circle');

  return h('article', { class: 'detail contact' },
    h('p', { class: 'back' }, h('a', { href: '/support' }, '← Support')),
    title, meta, refusedBox, returnOffer(ctx), reach, when,
    h('section', { 'aria-labelledby': 'h-outreach' },
      h('h2', { id: 'h-outreach', text: 'Reach-outs' }), history),
    h('section', { id: 'details', 'aria-labelledby': 'h-details' },
      h('h2', { id: 'h-details', text: 'Details' }),
      name.wrap, relationship.el, channel.el, handle.wrap, cadence.wrap, notes.wrap),
    h('div', { class: 'actions end' }, remove));
}

