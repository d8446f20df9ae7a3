// Every lesson, newest first, with the company it came from.

import { h, clear, showDate, emptyState } from '../ui.js';
import * as store from '../store.js';
import { newestFirst, hasLesson } from '../models.js';

export async function lessonsView(ctx) {
  const box = h('div');
  const lead = h('p', { class: 'lead', text: 'What each no taught you, in your words. This is how you get better at this.' });
  const draw = async () => {
    const items = newestFirst('rejections', (await store.list('rejections')).filter(hasLesson));
    lead.hidden = !items.length;
    clear(box).append(items.length
      ? h('ul', { class: 'lessons', 'aria-label': 'Your lessons' }, items.map((r) => h('li', { class: 'card' },
        h('p', { class: 'lesson', text: r.lessons.trim() }),
        h('p', { class: 'from' }, 'From ', h('a', { href: `/rejections/${r.id}` }, r.company || 'a rejection'),
          r.received_on ? `, ${showDate(r.received_on)}` : ''))))
      : emptyState({ title: 'No lessons yet', text: 'When you answer “What did I learn?” on a rejection, the lesson gathers here.',
        action: h('a', { href: '/rejections', class: 'button secondary' }, 'Open the Journal') }));
  };
  await ctx.watch('rejections', draw);
  return h('section', {},
    h('p', { class: 'back' }, h('a', { href: '/rejections' }, '← Journal')),
    h('h1', { text: 'Lessons' }), lead, box);
}
