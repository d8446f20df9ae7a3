// The list of rejections, newest first. Only here, never on Today.

import { h, clear, showDate, emptyState } from '../ui.js';
import { navigate } from '../router.js';
import * as store from '../store.js';
import { stageLabel, FEEDBACK } from '../content.js';
import { newestFirst, hasLesson } from '../models.js';

function item(r) {
  const meta = [r.role, stageLabel(r.stage), showDate(r.received_on)].filter(Boolean).join(' · ');
  const tags = [];
  if (hasLesson(r)) tags.push(h('span', { class: 'tag', text: 'Lesson written' }));
  if (r.feedback_status && r.feedback_status !== 'not_requested') {
    tags.push(h('span', { class: 'tag', text: `Feedback: ${FEEDBACK.find(([v]) => v === r.feedback_status)?.[1].toLowerCase()}` }));
  }
  if (r._rejected?.length) tags.push(h('span', { class: 'tag warn', text: 'Not saved — open to fix' }));
  return h('li', {}, h('a', { href: `/rejections/${r.id}`, class: 'row' },
    h('span', { class: 'row-title', text: r.company || 'Untitled' }),
    meta ? h('span', { class: 'row-meta', text: meta }) : null,
    tags.length ? h('span', { class: 'tags' }, tags) : null));
}

export async function rejectionsView(ctx) {
  const listBox = h('div');
  const lead = h('p', { class: 'lead', text: 'Each one is a step you took. Open one to reflect or ask for feedback.' });
  const log = h('button', { type: 'button', class: 'primary', onclick: () => navigate('/log') }, 'Log a rejection');
  // Lessons stay one tap away even on an empty Journal (every screen within two taps of Today).
  const actions = h('div', { class: 'actions' }, log, h('a', { href: '/lessons', class: 'button secondary' }, 'Lessons'));
  const draw = async () => {
    const items = newestFirst('rejections', await store.list('rejections'));
    lead.hidden = log.hidden = !items.length;
    clear(listBox).append(items.length
      ? h('ul', { class: 'list', 'aria-label': 'Your rejections' }, items.map(item))
      : emptyState({ title: 'Nothing here yet', text: 'When a no comes in, log it here. It takes under a minute.',
        action: h('button', { type: 'button', class: 'primary', onclick: () => navigate('/log') }, 'Log a rejection') }));
  };
  await ctx.watch('rejections', draw);
  return h('section', {}, h('h1', { text: 'Rejections' }), lead, actions, listBox);
}
