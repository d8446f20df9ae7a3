// "What helps you": from the person's own breaks and reach-outs, which
// activities and which people go with the largest lift in mood. The figures
// are insights.js's `helps` (SPEC §4: only keys with three readings or
// more), in plain words and without judgement.

import { h } from './ui.js';
import * as store from './store.js';
import { compute } from './insights.js';
import { ACTIVITIES, labelOf } from './content.js';
import { dayIn, userZone } from './break-status.js';

export const HELPS_ENTITIES = ['breaks', 'outreach', 'contacts', 'checkins', 'rejections', 'applications'];

function change(mean) {
  if (Math.abs(mean) < 0.25) return 'your mood stayed about the same';
  const size = Math.abs(mean).toFixed(1).replace(/\.0$/, '');
  return mean > 0 ? `your mood went up by ${size} on average` : `your mood went down by ${size} on average`;
}

export async function whatHelpsCard() {
  const data = Object.fromEntries(await Promise.all(HELPS_ENTITIES.map(async (e) => [e, await store.list(e)])));
  const names = new Map(data.contacts.map((c) => [String(c.id), c.name]));
  const zone = userZone();
  const helps = compute(data, dayIn(new Date(), zone), zone).helps
    .filter((x) => x.kind === 'activity' || names.has(x.key));
  const title = h('h2', { id: 'helps-title', text: 'What helps you' });
  if (!helps.length) {
    return h('section', { class: 'card helps', 'aria-labelledby': 'helps-title' }, title,
      h('p', { class: 'muted', text: 'After a few breaks or reach-outs with a mood noted before and after, you’ll see here what tends to lift you. It takes three of a kind.' }));
  }
  return h('section', { class: 'card helps', 'aria-labelledby': 'helps-title' }, title,
    h('p', { class: 'muted', text: 'From your own breaks and reach-outs: how you felt afterwards.' }),
    h('ul', { class: 'helps-list', 'aria-label': 'What helps you' }, helps.map((x) => h('li', {},
      h('strong', { text: x.kind === 'activity' ? labelOf(ACTIVITIES, x.key) || x.key : `Talking to ${names.get(x.key)}` }),
      `: ${change(x.mean_change)} (${x.readings} times).`))));
}
