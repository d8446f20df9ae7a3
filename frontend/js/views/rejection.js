// One rejection in three short sections, each reachable from the top: what
// happened and how I felt; reflect (with the thinking-trap check); feedback. Every field saves to the local store as you type; edits
// pulled from other devices appear in fields you are not typing in.

import { h, clear, toast, showDate, localDate, debounce } from '../ui.js';
import { bindRecord } from '../binders.js';
import { navigate } from '../router.js';
import * as store from '../store.js';
import { session } from '../session.js';
import { STAGES, MOODS, EMOTIONS, FEEDBACK, TRAPS, stageLabel, moodLabel, feedbackEmail } from '../content.js';

const ENTITY = 'rejections';
const emailCheck = (value) => (!value.trim() || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim())
  ? null : 'That doesn’t look like an email address yet, e.g. sam@company.com.');

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
  const lessons = text('lessons', { label: 'What did I learn?', rows: 3, hint: 'Lessons gather under Lessons, in the Journal.' });

  // Thinking traps: each one's question opens right under it when ticked.
  const trapBox = h('fieldset', { class: 'traps' }, h('legend', { text: 'Do any of these sound familiar?' }));
  const trapInputs = TRAPS.map(([value, name, example, question]) => {
    const input = h('input', { type: 'checkbox', name: `traps-${id}`, value, class: 'check' });
    const prompt = h('p', { class: 'trap-question', hidden: true }, h('span', { class: 'vh', text: 'A question that helps: ' }), question);
    trapBox.append(h('div', { class: 'trap-item' },
      h('label', { class: 'trap' }, input, h('span', {}, h('strong', { text: name }), h('span', { class: 'example', text: ` ${example}` }))),
      prompt));
    input.addEventListener('change', () => { prompt.hidden = !input.checked; });
    return { input, prompt };
  });
  trapBox.addEventListener('change', () => save({ thinking_traps: trapInputs.filter((t) => t.input.checked).map((t) => t.input.value) }));
  const reframe = text('reframe', { label: 'A kinder, truer way to see it', rows: 3 });
  form.onUpdate((r) => {
    const set = new Set(r.thinking_traps ?? []);
    if (trapBox.contains(document.activeElement)) return;
    for (const t of trapInputs) {
      t.input.checked = set.has(t.input.value);
      t.prompt.hidden = !t.input.checked;
    }
  });

  // Feedback: who to write to, the email (yours to change), then where it stands.
  const recipient = form.line('contact_email', { label: 'Their email (optional)', type: 'email', autocomplete: 'off',
    maxlength: 254, nullable: true, check: emailCheck,
    hint: 'The recruiter or hiring manager, if you have it. It fills in the “To” line.' });
  const emailText = h('textarea', { id: `email-${id}`, class: 'email', rows: 10, maxlength: 10000, 'aria-describedby': `email-${id}-hint` });
  const emailHint = h('p', { class: 'hint', id: `email-${id}-hint`, text: 'Change anything you like. Your version stays on this device.' });
  const EMAIL_DRAFT = `draft:feedback-email:${id}`;
  let ownEmail = await store.getMeta(EMAIL_DRAFT);
  const suggest = h('button', { type: 'button', class: 'link-button', hidden: !ownEmail, onclick: async () => {
    ownEmail = null;
    suggest.hidden = true;
    await store.setMeta(EMAIL_DRAFT, null);
    form.update(form.record);
  } }, 'Go back to the suggested email');
  const keepEmail = debounce(() => store.setMeta(EMAIL_DRAFT, ownEmail), 400);
  const mail = h('a', { class: 'button secondary' }, 'Open in email app');
  // The "To" line is what the field shows once it is an address: the saved
  // copy arrives a moment after the field is left, and a tap may come first.
  const recipientAddress = () => {
    const typed = recipient.input.value.trim();
    return typed && !emailCheck(typed) ? typed : '';
  };
  const setMailto = () => {
    const [first, ...rest] = emailText.value.split('\n');
    const hasSubject = /^subject:/i.test(first);
    const subject = hasSubject ? first.replace(/^subject:\s*/i, '') : '';
    const body = (hasSubject ? rest : [first, ...rest]).join('\n').replace(/^\n+/, '');
    const address = recipientAddress();
    const to = address ? encodeURIComponent(address).replace(/%40/g, '@') : '';
    mail.setAttribute('href', `mailto:${to}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`);
  };
  emailText.addEventListener('input', () => {
    ownEmail = emailText.value;
    suggest.hidden = false;
    keepEmail();
    setMailto();
  });
  recipient.input.addEventListener('input', setMailto);
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
  const status = choice('feedback_status', { legend: 'Where it stands', options: FEEDBACK, fallback: 'not_requested' });
  status.el.addEventListener('change', () => {
    if (status.read() === 'requested' && !form.record.feedback_requested_on) save({ feedback_requested_on: localDate() });
  });
  const asked = h('p', { class: 'muted' });
  const received = text('feedback', { label: 'Feedback you received', rows: 4, hint: 'Keep their words here, even if they’re short.' });
  form.onUpdate((r) => {
    if (ownEmail !== null && ownEmail !== undefined) {
      if (emailText.value !== ownEmail) emailText.value = ownEmail;
    } else {
      const { subject, body } = feedbackEmail(r, session.user?.display_name);
      emailText.value = `Subject: ${subject}\n\n${body}`;
    }
    setMailto();
    asked.textContent = r.feedback_status === 'requested' && r.feedback_requested_on
      ? `Asked on ${showDate(r.feedback_requested_on)}. If a week goes by, one short, friendly follow-up is fine.` : '';
  });

  // What happened -------------------------------------------------------------
  const company = form.line('company', { label: 'Company', maxlength: 200, required: 'A company name is needed.' });
  const role = form.line('role', { label: 'Role', maxlength: 200 });
  const date = form.line('received_on', { label: 'When did you hear?', type: 'date', ignoreEmpty: true });
  const stage = choice('stage', { legend: 'How far did you get?', options: STAGES });
  const mood = choice('mood', { legend: 'Mood', options: MOODS }, Number);
  const emotions = choice('emotions', { legend: 'Emotions', options: EMOTIONS, type: 'checkbox' });
  const feelings = text('feelings', { label: 'How I feel', rows: 4, hint: 'Only you see this.' });

  const remove = h('button', { type: 'button', class: 'danger', onclick: async () => {
    const undo = await store.remove(ENTITY, id, 5000);
    const company = form.record.company;
    await navigate('/rejections');
    toast(`Deleted ${company || 'the rejection'}.`, { label: 'Undo', ms: 5000, run: async () => {
      if (await undo()) toast('Brought it back.');
    } });
  } }, 'Delete this rejection');

  await form.watch();

  const section = (key, heading, ...parts) => h('section', { id: key, class: 'detail-section', 'aria-labelledby': `h-${key}` },
    h('h2', { id: `h-${key}`, tabindex: '-1', text: heading }), parts);
  const jump = (key, label) => h('li', {}, h('a', { href: `#${key}`, onclick: (e) => {
    e.preventDefault(); // stay on this screen: scroll, and move focus for keyboards and screen readers
    history.replaceState(null, '', `#${key}`);
    const target = document.getElementById(`h-${key}`);
    target?.scrollIntoView({ block: 'start' });
    target?.focus({ preventScroll: true });
  } }, label));

  return h('article', { class: 'detail' },
    h('p', { class: 'back' }, h('a', { href: '/rejections' }, '← All rejections')),
    title, meta, refused,
    h('nav', { class: 'jump', 'aria-label': 'On this page' }, h('ul', {},
      jump('happened', 'What happened'), jump('reflect', 'Reflect'), jump('feedback', 'Feedback'))),
    section('happened', 'What happened and how I felt',
      felt, feelings.wrap,
      h('details', { class: 'more-details' },
        h('summary', { text: 'Edit details' }),
        company.wrap, role.wrap, stage.el, date.wrap, mood.el, emotions.el)),
    section('reflect', 'Reflect',
      h('p', { class: 'muted', text: 'No right answers. A few words are enough, and you can come back any time.' }),
      wentWell.wrap, differently.wrap, lessons.wrap,
      h('div', { id: 'traps', class: 'subsection' },
        h('h3', { text: 'Thinking-trap check' }),
        h('p', { class: 'muted', text: 'After a no, the mind often jumps to unfair conclusions. Noticing one is the first step out of it.' }),
        trapBox, reframe.wrap)),
    section('feedback', 'Ask for feedback',
      h('p', { class: 'muted', text: 'Many employers will share a few words if asked kindly. Here’s an email you can send as it is, or change.' }),
      recipient.wrap,
      h('div', { class: 'field' }, h('label', { for: emailText.id, text: 'Feedback request email' }), emailHint, emailText),
      h('p', { class: 'quiet-action' }, suggest),
      h('div', { class: 'actions' }, copy, mail), copied,
      status.el, asked, received.wrap),
    h('div', { class: 'actions end' }, remove));
}
