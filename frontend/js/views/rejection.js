// One rejection: reflection, the thinking-trap check, the feedback helper
// and its details. Every field saves to the local store as you type; edits
// pulled from other devices appear in fields you are not typing in.

import { h, clear, toast, showDate, localDate } from '../ui.js';
import { bindRecord } from '../binders.js';
import { navigate } from '../router.js';
import * as store from '../store.js';
import { session } from '../session.js';
import { STAGES, MOODS, EMOTIONS, FEEDBACK, TRAPS, stageLabel, moodLabel, feedbackEmail } from '../content.js';

const ENTITY = 'rejections';

export async function rejectionView(ctx) {
  const { id } = ctx.params;
  const r = await store.get(ENTITY, id);
  if (!r) {
    return h('section', {},
      h('h1', { text: 'Not on this device' }),
      h('p', { text: 'This rejection isn’t here. It may have been deleted, or it hasn’t synced yet.' }),
      h('a', { href: '/rejections', class: 'button secondary' }, 'All rejections'));
  }
  const form = bindRecord(ctx, ENTITY, r);
  const { save, text, choice } = form;

  // Header -----------------------------------------------------------------
  const title = h('h1');
  const meta = h('p', { class: 'lead' });
  const felt = h('p', { class: 'muted' });
  const refused = h('div');
  form.onUpdate((r) => {
    title.textContent = r.company || 'Untitled';
    meta.textContent = [r.role, stageLabel(r.stage), showDate(r.received_on)].filter(Boolean).join(' · ');
    const emo = (r.emotions ?? []).join(', ');
    felt.textContent = r.mood || emo ? `You felt ${[moodLabel(r.mood).toLowerCase(), emo].filter(Boolean).join(' — ')}.` : '';
    clear(refused);
    for (const x of r._rejected ?? []) {
      const details = Object.entries(x.error.fields ?? {}).map(([k, v]) => `${k.replace(/_/g, ' ')}: ${[].concat(v).join(' ')}`);
      refused.append(h('div', { class: 'alert', role: 'alert' },
        h('p', {}, h('strong', { text: 'This change couldn’t be saved. ' }), x.error.message ?? ''),
        details.length ? h('ul', {}, details.map((d) => h('li', { text: d }))) : null,
        h('p', { class: 'small', text: 'Fix it below, or discard the change to go back to what’s saved.' }),
        h('button', { type: 'button', class: 'secondary', onclick: () => store.discardRejected(ENTITY, id) }, 'Discard my change')));
    }
  });

  // Reflect ----------------------------------------------------------------
  const wentWell = text('went_well', { label: 'What went well?', rows: 3 });
  const differently = text('do_differently', { label: 'What will I do differently?', rows: 3 });
  const lessons = text('lessons', { label: 'What did I learn?', rows: 3, hint: 'Lessons gather in the Lessons tab.' });

  // Thinking traps ---------------------------------------------------------
  const trapBox = h('fieldset', { class: 'traps' }, h('legend', { text: 'Do any of these sound familiar?' }));
  const trapInputs = TRAPS.map(([value, name, example]) => {
    const input = h('input', { type: 'checkbox', name: `traps-${id}`, value, class: 'check' });
    trapBox.append(h('label', { class: 'trap' }, input, h('span', {}, h('strong', { text: name }), h('span', { class: 'example', text: ` ${example}` }))));
    return input;
  });
  const prompts = h('div', { class: 'prompts', 'aria-live': 'polite' });
  trapBox.addEventListener('change', () => save({ thinking_traps: trapInputs.filter((i) => i.checked).map((i) => i.value) }));
  const reframe = text('reframe', { label: 'A kinder, truer way to see it', rows: 3 });
  form.onUpdate((r) => {
    const set = new Set(r.thinking_traps ?? []);
    if (!trapBox.contains(document.activeElement)) trapInputs.forEach((i) => { i.checked = set.has(i.value); });
    const chosen = TRAPS.filter(([v]) => set.has(v));
    clear(prompts);
    if (chosen.length) {
      prompts.append(h('p', { text: 'Questions that help:' }),
        h('ul', {}, chosen.map(([, name, , prompt]) => h('li', {}, h('strong', { text: `${name}: ` }), prompt))));
    }
  });

  // Feedback ---------------------------------------------------------------
  const status = choice('feedback_status', { legend: 'Feedback status', options: FEEDBACK, fallback: 'not_requested' });
  status.el.addEventListener('change', () => {
    if (status.read() === 'requested' && !form.record.feedback_requested_on) save({ feedback_requested_on: localDate() });
  });
  const asked = h('p', { class: 'muted' });
  const emailText = h('textarea', { id: `email-${id}`, class: 'email', readonly: true, rows: 10 });
  const mail = h('a', { class: 'button secondary' }, 'Open in email app');
  const copied = h('span', { class: 'muted', role: 'status' });
  const copy = h('button', { type: 'button', class: 'secondary', onclick: async () => {
    try {
      await navigator.clipboard.writeText(emailText.value);
      copied.textContent = 'Copied.';
    } catch {
      emailText.select();
      copied.textContent = 'Selected — copy it with your keyboard or menu.';
    }
  } }, 'Copy email');
  const received = text('feedback', { label: 'Feedback you received', rows: 4, hint: 'Keep their words here, even if they’re short.' });
  form.onUpdate((r) => {
    const { subject, body } = feedbackEmail(r, session.user?.display_name);
    emailText.value = `Subject: ${subject}\n\n${body}`;
    mail.setAttribute('href', `mailto:?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`);
    asked.textContent = r.feedback_status === 'requested' && r.feedback_requested_on
      ? `Asked on ${showDate(r.feedback_requested_on)}. If a week goes by, one short, friendly follow-up is fine.` : '';
  });

  // Details ----------------------------------------------------------------
  const company = form.line('company', { label: 'Company', maxlength: 200, required: 'A company name is needed.' });
  const role = form.line('role', { label: 'Role', maxlength: 200 });
  const date = form.line('received_on', { label: 'When did you hear?', type: 'date', ignoreEmpty: true });
  const stage = choice('stage', { legend: 'How far did you get?', options: STAGES });
  const mood = choice('mood', { legend: 'Mood', options: MOODS }, Number);
  const emotions = choice('emotions', { legend: 'Emotions', options: EMOTIONS, type: 'checkbox' });
  const feelings = text('feelings', { label: 'How I feel', rows: 4 });

  const remove = h('button', { type: 'button', class: 'danger', onclick: async () => {
    const undo = await store.remove(ENTITY, id, 5000);
    const company = form.record.company;
    await navigate('/rejections');
    toast(`Deleted ${company || 'the rejection'}.`, { label: 'Undo', ms: 5000, run: async () => {
      if (await undo()) toast('Brought it back.');
    } });
  } }, 'Delete this rejection');

  await form.watch();

  return h('article', { class: 'detail' },
    h('p', { class: 'back' }, h('a', { href: '/rejections' }, '← All rejections')),
    title, meta, felt, refused,
    h('section', { id: 'reflect', 'aria-labelledby': 'h-reflect' },
      h('h2', { id: 'h-reflect', text: 'Reflect' }),
      h('p', { class: 'muted', text: 'No right answers. A few words are enough, and you can come back any time.' }),
      wentWell.wrap, differently.wrap, lessons.wrap),
    h('section', { id: 'traps', 'aria-labelledby': 'h-traps' },
      h('h2', { id: 'h-traps', text: 'Thinking-trap check' }),
      h('p', { class: 'muted', text: 'After a no, the mind often jumps to unfair conclusions. Noticing one is the first step out of it.' }),
      trapBox, prompts, reframe.wrap),
    h('section', { id: 'feedback', 'aria-labelledby': 'h-feedback' },
      h('h2', { id: 'h-feedback', text: 'Ask for feedback' }),
      h('p', { class: 'muted', text: 'Many employers will share a few words if asked kindly. Here’s an email you can send as it is, or change.' }),
      status.el, asked,
      h('label', { for: emailText.id, text: 'Feedback request email' }), emailText,
      h('div', { class: 'actions' }, copy, mail), copied,
      received.wrap),
    h('details', { class: 'more-details' },
      h('summary', { text: 'Edit details' }),
      company.wrap, role.wrap, stage.el, date.wrap, mood.el, emotions.el, feelings.wrap),
    h('div', { class: 'actions end' }, remove));
}
