// Breaks (SPEC §1 strategy 5): start one in two taps (how long, then
// "Start my break"), see it while it lasts, end it with an optional mood,
// and look back at what each held. One break at a time: the start form is
// only there while none is on; a start the server refused because another
// device had already started one (409) is shown kindly and kept until the
// person decides what to do with it.

import { h, clear, chips, field, toast, showDate } from '../ui.js';
import * as store from '../store.js';
import { ACTIVITIES, MOODS, labelOf, moodLabel } from '../content.js';
import { newestFirst, daysBetween } from '../models.js';
import { crisisOffer } from '../crisis.js';
import { refusedMessages } from '../refused.js';
import { currentBreak, refusedAsSecond, untilWords, dayIn } from '../break-status.js';
import { whatHelpsCard, HELPS_ENTITIES } from '../helps.js';

const ENTITY = 'breaks';

const LENGTHS = [
  ['today', 'The rest of today'],
  ['day', 'A day'],
  ['weekend', 'A weekend'],
  ['week', 'A week'],
  ['date', 'Until a date'],
];

function addDays(iso, n) {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

// The planned last day of a break of `length` that starts `today`. A weekend
// runs to the coming Sunday (today, on a Sunday).
export function plannedEnd(length, today) {
  const [y, m, d] = today.split('-').map(Number);
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay(); // 0 is Sunday
  return { today, day: addDays(today, 1), weekend: addDays(today, (7 - weekday) % 7), week: addDays(today, 7) }[length] ?? null;
}

const activityList = (b) => (b.activities ?? []).map((a) => labelOf(ACTIVITIES, a)).join(', ');

function moodChange(b) {
  const before = moodLabel(b.mood_before);
  const after = moodLabel(b.mood_after);
  if (before && after) return `Mood ${before.toLowerCase()} → ${after.toLowerCase()}`;
  if (before) return `Mood before: ${before.toLowerCase()}`;
  if (after) return `Mood after: ${after.toLowerCase()}`;
  return '';
}

// The start form; `onStarted(fields)` after the break is saved.
function startForm(onStarted) {
  const today = dayIn();
  const length = chips({ legend: 'How long?', name: 'break-length', options: LENGTHS });
  const until = field({ label: 'Until (the last day of your break)', name: 'planned_end_on', type: 'date', min: today, max: addDays(today, 365) });
  until.wrap.hidden = true;
  length.el.addEventListener('change', () => {
    until.wrap.hidden = length.read() !== 'date';
    until.setError(null);
  });
  const activities = chips({ legend: 'What might help? (optional)', hint: 'Pick any, or none.', name: 'break-activities', type: 'checkbox', options: ACTIVITIES });
  const mood = chips({ legend: 'How are you feeling now? (optional)', name: 'break-mood-before', options: MOODS });
  const form = h('form', { class: 'card', 'aria-labelledby': 'start-title', novalidate: true },
    h('h2', { id: 'start-title', text: 'Take a break' }),
    h('p', { class: 'muted', text: 'Stepping away is part of a job search, not a pause from it. While you rest, Rebound holds back job-search suggestions.' }),
    length.el, until.wrap, activities.el, mood.el,
    h('button', { type: 'submit', class: 'primary' }, 'Start my break'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const chosen = length.read();
    let end = plannedEnd(chosen, today);
    if (chosen === 'date') {
      end = until.input.value;
      if (!end || end < today || end > addDays(today, 365)) {
        until.setError('Pick a day from today to a year from now.');
        until.input.focus();
        return;
      }
    }
    const fields = { started_at: new Date().toISOString(), activities: activities.read() };
    if (end) fields.planned_end_on = end;
    if (mood.read()) fields.mood_before = Number(mood.read());
    await store.save(ENTITY, null, fields);
    onStarted(fields);
  });
  return form;
}

// The break going on now, with "End my break" and its optional mood after.
function currentCard(b, onEnded) {
  const today = dayIn();
  const until = untilWords(b.planned_end_on, today);
  const overdue = b.planned_end_on && daysBetween(today, b.planned_end_on) < 0;
  const ending = h('div', { class: 'end-break', hidden: true });
  const endButton = h('button', { type: 'button', class: 'secondary' }, 'End my break');
  const mood = chips({ legend: 'How do you feel now? (optional)', hint: 'Skip it if you like.', name: `break-mood-after-${b.id}`, options: MOODS });
  ending.append(mood.el, h('div', { class: 'actions' },
    h('button', { type: 'button', class: 'primary', onclick: async () => {
      const fields = { ended_at: new Date().toISOString() };
      if (mood.read()) fields.mood_after = Number(mood.read());
      await store.save(ENTITY, b.id, fields);
      onEnded(fields);
    } }, 'End break'),
    h('button', { type: 'button', class: 'secondary', onclick: () => {
      ending.hidden = true;
      endButton.hidden = false;
      endButton.focus();
    } }, 'Keep resting')));
  endButton.addEventListener('click', () => {
    ending.hidden = false;
    endButton.hidden = true;
    ending.querySelector('input')?.focus();
  });
  return h('section', { class: 'card soft', 'aria-labelledby': 'current-title' },
    h('h2', { id: 'current-title', text: `You’re on a break${until ? ` ${until}` : ''}` }),
    h('p', { text: `Since ${showDate(dayIn(new Date(b.started_at)))}.${activityList(b) ? ` ${activityList(b)}.` : ''}` }),
    b.mood_before ? h('p', { class: 'muted', text: `You started it feeling ${moodLabel(b.mood_before).toLowerCase()}.` }) : null,
    overdue ? h('p', { text: `You planned to rest until ${showDate(b.planned_end_on)}. Take longer if you need it, or end it when you’re ready.` }) : null,
    endButton, ending);
}

// A start another device beat to it: the server said a break was already on.
function refusedCard(r, current) {
  const keep = current
    ? h('button', { type: 'button', class: 'primary', onclick: async () => {
      const activities = [...new Set([...(current.activities ?? []), ...(r.activities ?? [])])];
      const fields = { activities };
      if (!current.mood_before && r.mood_before) fields.mood_before = r.mood_before;
      await store.save(ENTITY, current.id, fields);
      await store.discardRejected(ENTITY, r.id);
      toast('Added to your current break.');
    } }, 'Add these to the current break')
    : h('button', { type: 'button', class: 'primary', onclick: async () => {
      const { id, created_at: _c, _rejected, _local, ...fields } = r;
      await store.save(ENTITY, id, { ...fields, started_at: new Date().toISOString() });
    } }, 'Start it now');
  const picked = [activityList(r), r.mood_before ? `feeling ${moodLabel(r.mood_before).toLowerCase()}` : '',
    r.planned_end_on ? `planned to ${showDate(r.planned_end_on)}` : ''].filter(Boolean).join(' · ');
  return h('section', { class: 'card notice', role: 'status', 'aria-labelledby': `refused-${r.id}` },
    h('h2', { id: `refused-${r.id}`, text: current ? 'You’re already on a break' : 'This break didn’t start' }),
    h('p', { text: current
      ? 'A break started on another of your devices was already on, so this one wasn’t added. Nothing is lost: what you picked is here.'
      : 'Another of your devices had a break on when this one was started. That one has ended now; you can start this one if you still want it.' }),
    picked ? h('p', { class: 'muted', text: `What you picked: ${picked}.` }) : null,
    h('div', { class: 'actions' }, keep,
      h('button', { type: 'button', class: 'secondary', onclick: () => store.discardRejected(ENTITY, r.id) }, 'Let it go')));
}

// Any other change the server refused, such as an end before the start
// (another device's clock, an edit elsewhere): its message, and a way on.
function changeRefusedCard(r) {
  const messages = Object.values(refusedMessages(r));
  const general = r._rejected.filter((x) => !x.error?.fields).map((x) => x.error?.message ?? '');
  const endsIt = r._rejected.some((x) => 'ended_at' in (x.fields ?? {}));
  return h('div', { class: 'alert', role: 'alert' },
    h('p', {}, h('strong', { text: 'A change to your break couldn’t be saved. ' }), [...messages, ...general].join(' ')),
    h('div', { class: 'actions' },
      endsIt ? h('button', { type: 'button', class: 'primary', onclick: () => {
        // Now, but never before it started; the rest of the refused change (a mood after) goes with it.
        const end = new Date(Math.max(Date.now(), Date.parse(r.started_at) + 1000)).toISOString();
        return store.save(ENTITY, r.id, Object.assign({}, ...r._rejected.map((x) => x.fields), { ended_at: end }));
      } }, 'End it now') : null,
      h('button', { type: 'button', class: 'secondary', onclick: () => store.discardRejected(ENTITY, r.id) }, 'Discard my change')));
}

function historyList(ended) {
  if (!ended.length) return h('p', { class: 'empty', text: 'Your past breaks will gather here, with what each held.' });
  return h('ul', { class: 'list', 'aria-label': 'Your past breaks' }, ended.map((b) => {
    const from = showDate(dayIn(new Date(b.started_at)));
    const to = showDate(dayIn(new Date(b.ended_at)));
    return h('li', { class: 'row' },
      h('span', { class: 'row-title', text: from === to ? from : `${from} – ${to}` }),
      h('span', { class: 'row-meta', text: [activityList(b), moodChange(b)].filter(Boolean).join(' · ') || 'A rest' }));
  }));
}

export async function breaksView(ctx) {
  const offer = h('div', { 'aria-live': 'polite' }); // the crisis offer after a very low mood: kept across redraws
  const refusedBox = h('div');
  const now = h('div');
  const history = h('div');
  const helps = h('div');
  let shown = null; // what `now` holds: 'start', or the current break's id and details
  const after = (mood) => offer.replaceChildren(...[crisisOffer(mood)].filter(Boolean));

  const draw = async () => {
    const breaks = await store.list(ENTITY);
    const current = currentBreak(breaks);
    clear(refusedBox).append(...breaks.filter(refusedAsSecond).map((r) => refusedCard(r, current)),
      ...breaks.filter((b) => b._rejected?.length && !refusedAsSecond(b)).map(changeRefusedCard));
    const key = current ? JSON.stringify([current.id, current.planned_end_on, current.activities, current.mood_before]) : 'start';
    if (key !== shown) {
      shown = key;
      if (current) {
        now.replaceChildren(currentCard(current, (fields) => {
          toast('Welcome back. Go easy on yourself.');
          after(fields.mood_after);
        }));
      } else {
        now.replaceChildren(startForm((fields) => after(fields.mood_before)));
      }
    }
    const ended = newestFirst(ENTITY, breaks.filter((b) => b.ended_at));
    history.replaceChildren(historyList(ended));
    helps.replaceChildren(await whatHelpsCard());
  };
  await ctx.watch([...new Set([ENTITY, ...HELPS_ENTITIES])], draw);

  return h('section', { class: 'breaks' },
    h('p', { class: 'back' }, h('a', { href: '/support' }, '← Support')),
    h('h1', { text: 'Breaks' }),
    h('p', { class: 'lead', text: 'Rest counts as progress. A few hours or a few days, whatever you need.' }),
    offer, refusedBox, now,
    h('h2', { text: 'Past breaks' }), history,
    helps);
}
