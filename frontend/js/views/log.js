// Log a rejection in three steps. Only the company is required; stage,
// mood and emotions are one tap each. It ends with a kind, specific word.
//
// Nothing typed is lost: an unfinished log is kept as a draft in the local
// store (offered back on return), a tap elsewhere asks first, and the kind
// response lives at /log?done=<id> so a reload shows it again.

import { h, field, chips, clear, localDate, ask, debounce } from '../ui.js';
import * as store from '../store.js';
import { navigate } from '../router.js';
import { STAGES, MOODS, EMOTIONS, kindResponse } from '../content.js';
import { crisisOffer } from '../crisis.js';
import { applicationPicker } from '../application-picker.js';

const DRAFT = 'draft:log';

export async function logView(ctx) {
  const done = ctx.query.get('done');
  if (done) {
    const saved = await store.get('rejections', done);
    if (saved) return response(saved);
  }

  const box = h('section', { class: 'log' });
  const stepBox = h('div');
  const heading = h('h1', { text: 'Log a rejection', tabindex: '-1' });
  const progress = h('p', { class: 'muted', id: 'log-progress' });
  const notice = h('div', { 'aria-live': 'polite' });
  box.append(heading, progress, notice, stepBox);

  const company = field({ label: 'Company', name: 'company', required: true, maxlength: 200, autocomplete: 'organization',
    check: (value) => (value.trim() ? null : 'Which company was it? That’s the only thing we need.') });
  const role = field({ label: 'Role (optional)', name: 'role', maxlength: 200 });
  const stage = chips({ legend: 'How far did you get?', name: 'stage', options: STAGES });
  const when = field({ label: 'When did you hear?', name: 'received_on', type: 'date', value: localDate(), max: localDate() });
  const mood = chips({ legend: 'How are you feeling about it?', name: 'mood', options: MOODS });
  const emotions = chips({ legend: 'Which of these fit?', hint: 'Pick any, or none.', name: 'emotions', type: 'checkbox', options: EMOTIONS });
  const feelings = field({ label: 'How I feel', name: 'feelings', multiline: true, rows: 6, maxlength: 10000, hint: 'Only you see this. A word or a page, whatever helps.' });
  const application = await applicationPicker(company, role, ctx.query.get('application'));

  const steps = [
    { title: 'What happened', parts: [company.wrap, application.el, role.wrap, stage.el, when.wrap], next: 'Next' },
    { title: 'How it feels', parts: [mood.el, emotions.el], next: 'Next' },
    { title: 'In your own words', parts: [feelings.wrap], next: 'Save' },
  ];
  let index = 0;
  let finished = false;

  const typed = () => ({
    company: company.input.value,
    role: role.input.value,
    stage: stage.read(),
    received_on: when.input.value,
    mood: mood.read(),
    emotions: emotions.read(),
    feelings: feelings.input.value,
  });
  // Only what the person chose counts; the date's default does not.
  const started = (d = typed()) => Boolean(d.company.trim() || d.role.trim() || d.stage || d.mood
    || d.emotions.length || d.feelings.trim());

  const keepDraft = debounce(async () => {
    if (finished) return;
    const draft = typed();
    await store.setMeta(DRAFT, started(draft) ? { ...draft, step: index, saved_at: new Date().toISOString() } : null);
  }, 300);
  // Typing is written a moment after it pauses; a choice (a chip, the date) at once.
  box.addEventListener('input', () => keepDraft());
  box.addEventListener('change', () => keepDraft.flush());

  const fill = (d) => {
    company.input.value = d.company ?? '';
    company.input.dispatchEvent(new Event('input')); // the application picker follows the company
    role.input.value = d.role ?? '';
    stage.set(d.stage);
    if (d.received_on) when.input.value = d.received_on;
    mood.set(d.mood);
    emotions.set(d.emotions ?? []);
    feelings.input.value = d.feelings ?? '';
  };

  const draft = ctx.query.get('application') ? null : await store.getMeta(DRAFT);
  if (draft && started(draft)) {
    fill(draft);
    index = Math.min(Math.max(Number(draft.step) || 0, 0), steps.length - 1);
    const name = draft.company.trim();
    notice.append(h('div', { class: 'notice' },
      h('p', { text: name ? `Here’s what you started about ${name}. Pick up where you left off.` : 'Here’s what you started last time. Pick up where you left off.' }),
      h('button', { type: 'button', class: 'secondary', onclick: async () => {
        await store.setMeta(DRAFT, null);
        fill({ company: '', role: '', stage: null, received_on: localDate(), mood: null, emotions: [], feelings: '' });
        clear(notice);
        index = 0;
        show(true);
      } }, 'Start fresh')));
  }

  const discard = async () => {
    const sure = !started() || await ask({
      title: 'Discard this log?',
      body: 'What you’ve typed here will be deleted from this device.',
      confirm: 'Discard', cancel: 'Keep going', danger: true,
    });
    if (!sure) return;
    finished = true;
    await store.setMeta(DRAFT, null);
    await navigate('/rejections', { force: true });
  };

  const show = (focus) => {
    const step = steps[index];
    progress.textContent = `Step ${index + 1} of ${steps.length}`;
    const title = h('h2', { text: step.title, tabindex: '-1' });
    const form = h('form', { class: 'form', novalidate: true, 'aria-describedby': 'log-progress' }, title, step.parts,
      h('div', { class: 'actions' },
        index > 0
          ? h('button', { type: 'button', class: 'secondary', onclick: () => { index -= 1; keepDraft(); show(true); } }, 'Back')
          : h('button', { type: 'button', class: 'secondary', onclick: discard }, 'Cancel'),
        h('button', { type: 'submit', class: 'primary' }, step.next)),
      index > 0 ? h('p', { class: 'quiet-action' }, h('button', { type: 'button', class: 'link-button', onclick: discard }, 'Cancel this log')) : null);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (index === 0 && !company.validate()) {
        company.input.focus();
        return;
      }
      if (index < steps.length - 1) {
        index += 1;
        keepDraft();
        show(true);
      } else {
        finish();
      }
    });
    clear(stepBox).append(form);
    if (focus) title.focus();
  };

  const finish = async () => {
    const fields = {
      company: company.input.value.trim(),
      received_on: when.input.value || localDate(),
      emotions: emotions.read(),
    };
    if (role.input.value.trim()) fields.role = role.input.value.trim();
    if (stage.read()) fields.stage = stage.read();
    if (mood.read()) fields.mood = Number(mood.read());
    if (feelings.input.value.trim()) fields.feelings = feelings.input.value;
    Object.assign(fields, application.fields());
    finished = true;
    const id = await store.save('rejections', null, fields);
    await application.saved();
    await store.setMeta(DRAFT, null);
    // The kind response has its own address: a reload shows it again.
    history.replaceState(null, '', `/log?done=${id}`);
    box.replaceWith(response({ id, ...fields }, { offerNotifications: true }));
  };

  // A tap on a tab or a link asks before leaving a half-filled log (the
  // draft is kept either way). Closing or reloading the page does not ask:
  // the draft is written as the page goes, and offered back on return.
  ctx.beforeLeave(async () => {
    const leave = finished || !started() || await ask({
      title: 'Leave this log for now?',
      body: 'What you’ve typed stays on this device as a draft. It will be here when you come back.',
      confirm: 'Leave', cancel: 'Keep going',
    });
    if (leave) await keepDraft.flush(); // written before the address changes
    return leave;
  });
  const onHide = () => keepDraft.flush();
  addEventListener('pagehide', onHide);
  ctx.onCleanup(() => {
    removeEventListener('pagehide', onHide);
    keepDraft.flush(); // left by any way (a tap, the back button): the draft is current
  });

  show(false);
  return box;
}

// The kind, specific word after saving, and where to go next.
function response(fields, { offerNotifications = false } = {}) {
  const heading = h('h1', { text: 'Thank you for writing it down', tabindex: '-1' });
  const body = h('div', { class: 'response' },
    kindResponse(fields).map((line) => h('p', { text: line })),
    crisisOffer(fields.mood),
    h('div', { class: 'actions stack' },
      h('a', { href: `/rejections/${fields.id}#reflect`, class: 'button primary' }, 'Reflect on it'),
      h('a', { href: '/today', class: 'button secondary' }, 'Back to Today')));
  const box = h('section', { class: 'log' }, heading, body);
  if (offerNotifications) {
    import('./notifications-card.js').then((card) => card.offerOnce(body)); // once, lazily: not in the first load
    queueMicrotask(() => heading.focus());
  }
  return box;
}
