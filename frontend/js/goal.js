// The weekly application goal on Today: "2 of 5 this week", counted by
// `applied_on` in the user's timezone, weeks from Monday (as Insights and
// GET /api/insights count it). A gentle target: never a streak, never red,
// and nothing at all while a break is on or the goal is off (0).

import { h } from './ui.js';
import * as store from './store.js';
import { session } from './session.js';
import { activeBreak } from './models.js';

const zoneOf = () => session.user?.timezone || Intl.DateTimeFormat().resolvedOptions().timeZone;

// Applications sent this week (Monday to today) in `zone`. The week logic is
// Insights' own, loaded when Today first needs it (it is not part of the
// first load).
export async function sentThisWeek(apps, zone = zoneOf()) {
  const { todayIn, dayNum, weekStart } = await import('./insights.js');
  const today = dayNum(todayIn(zone));
  const monday = weekStart(today);
  return apps.filter((a) => {
    const day = a.applied_on ? dayNum(a.applied_on) : null;
    return day !== null && day >= monday && day <= today;
  }).length;
}

export function goalWords(done, target) {
  if (done >= target) {
    return [`${done} of ${target} this week`, done > target
      ? 'Past your goal for the week. Anything more is a bonus.'
      : 'That’s your goal for the week. Anything more is a bonus.'];
  }
  return [`${done} of ${target} this week`, done
    ? 'Applications sent since Monday. Every one counts.'
    : 'A new week. When you’re ready, one application is a fine start.'];
}

// The Today card; it keeps itself up to date until the screen is left
// (updated in place, so a sync never replaces what someone is reading).
export async function applicationGoal(ctx) {
  const count = h('p', { class: 'goal-count' });
  const bar = h('progress', { class: 'goal-bar' });
  const words = h('p', { class: 'muted' });
  const card = h('section', { class: 'card goal', 'aria-labelledby': 'goal-title', hidden: true },
    h('h2', { id: 'goal-title', text: 'This week’s applications' }),
    count, bar, words,
    h('a', { href: '/applications', class: 'more' }, 'Your applications'));
  const draw = async () => {
    const target = Number(session.user?.settings?.weekly_application_goal ?? 5);
    const [apps, breaks] = [await store.list('applications'), await store.list('breaks')];
    card.hidden = !target || Boolean(activeBreak(breaks));
    if (card.hidden) return;
    const done = await sentThisWeek(apps);
    const [headline, text] = goalWords(done, target);
    count.textContent = headline;
    bar.max = target;
    bar.value = Math.min(done, target);
    bar.setAttribute('aria-label', headline);
    words.textContent = text;
  };
  await ctx.watch(['applications', 'breaks'], draw);
  return card;
}
