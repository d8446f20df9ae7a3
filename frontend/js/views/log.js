// Log a rejection in three steps. Only the company is required; stage,
// mood and emotions are one tap each. It ends with a kind, specific word.

import { h, field, chips, clear, localDate } from '../ui.js';
import * as store from '../store.js';
import { STAGES, MOODS, EMOTIONS, kindResponse } from '../content.js';

export async function logView() {
  const box = h('section', { class: 'log' });
  const stepBox = h('div');
  const heading = h('h1', { text: 'Log a rejection' });
  const progress = h('p', { class: 'muted', id: 'log-progress' });
  box.append(heading, progress, stepBox);

  const company = field({ label: 'Company', name: 'company', required: true, maxlength: 200, autocomplete: 'organization' });
  const role = field({ label: 'Role (optional)', name: 'role', maxlength: 200 });
  const stage = chips({ legend: 'How far did you get?', name: 'stage', options: STAGES });
  const when = field({ label: 'When did you hear?', name: 'received_on', type: 'date', value: localDate(), max: localDate() });
  const mood = chips({ legend: 'How are you feeling about it?', name: 'mood', options: MOODS });
  const emotions = chips({ legend: 'Which of these fit?', hint: 'Pick any, or none.', name: 'emotions', type: 'checkbox', options: EMOTIONS });
  const feelings = field({ label: 'How I feel', name: 'feelings', multiline: true, rows: 6, maxlength: 10000, hint: 'Only you see this. A word or a page, whatever helps.' });

  const steps = [
    { title: 'What happened', parts: [company.wrap, role.wrap, stage.el, when.wrap], next: 'Next' },
    { title: 'How it feels', parts: [mood.el, emotions.el], next: 'Next' },
    { title: 'In your own words', parts: [feelings.wrap], next: 'Save' },
  ];
  let index = 0;

  const show = (focus) => {
    const step = steps[index];
    progress.textContent = `Step ${index + 1} of ${steps.length}`;
    const title = h('h2', { text: step.title, tabindex: '-1' });
    const form = h('form', { class: 'form', novalidate: true, 'aria-describedby': 'log-progress' }, title, step.parts,
      h('div', { class: 'actions' },
        index > 0 ? h('button', { type: 'button', class: 'secondary', onclick: () => { index -= 1; show(true); } }, 'Back') : null,
        h('button', { type: 'submit', class: 'primary' }, step.next)));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (index === 0) {
        company.setError(null);
        if (!company.input.value.trim()) {
          company.setError('Which company was it? That’s the only thing we need.');
          company.input.focus();
          return;
        }
      }
      if (index < steps.length - 1) {
        index += 1;
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
    const id = await store.save('rejections', null, fields);
    progress.textContent = 'Saved';
    heading.textContent = 'Thank you for writing it down';
    const low = fields.mood && fields.mood <= 2;
    clear(stepBox).append(h('div', { class: 'response' },
      kindResponse(fields).map((line) => h('p', { text: line })),
      low ? h('div', { class: 'card soft' },
        h('p', { text: 'If it feels like too much, you don’t have to carry it alone. Talking to someone you trust, or to a free helpline, can help.' }),
        h('a', { href: '/help', class: 'more' }, 'Talk to someone now')) : null,
      h('div', { class: 'actions stack' },
        h('a', { href: `/rejections/${id}#reflect`, class: 'button primary' }, 'Reflect on it'),
        h('a', { href: '/today', class: 'button secondary' }, 'Back to Today'))));
    heading.focus();
  };

  heading.setAttribute('tabindex', '-1');
  show(false);
  return box;
}
