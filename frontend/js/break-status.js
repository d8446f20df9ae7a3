// Whether a break is on, and how Today says so. Small and loaded with Today;
// the breaks screen itself (views/breaks.js) loads when first opened.

import { h, clear } from './ui.js';
import * as store from './store.js';
import { session } from './session.js';
import { newest, daysBetween } from './models.js';

export const userZone = () => session.user?.timezone || Intl.DateTimeFormat().resolvedOptions().timeZone;

// 'YYYY-MM-DD' of a moment (default now) in the user's timezone.
export function dayIn(when = new Date(), zone = userZone()) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(when).map(({ type, value }) => [type, value]));
  return `${p.year}-${p.month}-${p.day}`;
}

// A break this device started that the server refused because another one
// was already on (409, `conflict`): it never started, so it is not "on".
export const refusedAsSecond = (b) => Boolean(b._local && b._rejected?.some((x) => x.error?.code === 'conflict'));

// The break going on now (no `ended_at`), or null.
export const currentBreak = (breaks) => newest('breaks', breaks.filter((b) => !b.ended_at && !refusedAsSecond(b)));

// "until Sunday", "for the rest of today", "until 12 Dec" — from its planned end.
export function untilWords(plannedEnd, today = dayIn()) {
  if (!plannedEnd) return '';
  const days = daysBetween(today, plannedEnd);
  const [y, m, d] = plannedEnd.split('-').map(Number);
  const date = new Date(y, m - 1, d);
  if (days <= 0) return days === 0 ? 'for the rest of today' : '';
  if (days === 1) return 'until tomorrow';
  if (days < 7) return `until ${new Intl.DateTimeFormat(undefined, { weekday: 'long' }).format(date)}`;
  return `until ${new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' }).format(date)}`;
}

// Draws Today's calm banner into `box` while a break is on; true while it is,
// so Today holds back its suggestion of one more application.
export async function showBreak(box) {
  const b = currentBreak(await store.list('breaks'));
  clear(box);
  if (!b) return false;
  const until = untilWords(b.planned_end_on);
  box.append(h('section', { class: 'card soft break-banner', 'aria-labelledby': 'break-banner-title' },
    h('h2', { id: 'break-banner-title', text: `On a break${until ? ` ${until}` : ''}` }),
    h('p', { text: 'Rest is part of this. Rebound won’t suggest applications until you’re back.' }),
    h('a', { href: '/breaks', class: 'more' }, 'Your break')));
  return true;
}
