// Today looks forward: a check-in, the "Log a rejection" button and the next
// reminder. Past rejections live in their own list, never here.

import { h, chips, field, clear, append } from '../ui.js';
import { navigate } from '../router.js';
import * as store from '../store.js';
import { session } from '../session.js';
import { MOODS } from '../content.js';
import { crisisOffer } from '../crisis.js';
import { showBreak } from '../break-status.js';
import { applicationGoal } from '../goal.js';
import { nextPlanned, dueAt, whenText } from '../nudges.js';

function greeting() {
  const hour = new Date().getHours();
  const part = hour < 12 ? 'Good morning' : hour < 18 ? 'Good afternoon' : 'Good evening';
  const name = session.user?.display_name;
  return name ? `${part}, ${name}` : part;
}

// The next reminder the server planned (SPEC §6), in the user's time zone:
// Today shows what is coming rather than working it out again here.
function nextReminder(n) {
  if (!n) {
    return h('p', { class: 'muted', text: 'Nothing planned right now. Rebound sends a gentle reminder when one might help.' });
  }
  const at = dueAt(n);
  return h('div', { class: 'card next-nudge' },
    h('p', { class: 'nudge-when' }, h('time', { datetime: new Date(at).toISOString(), text: whenText(at) })),
    h('h3', { text: n.title }),
    h('p', { text: n.body }));
}

function checkinCard() {
  const status = h('p', { class: 'status-line', role: 'status' });
  const mood = chips({ legend: 'Mood', name: 'checkin-mood', options: MOODS });
  const note = field({ label: 'Anything on your mind? (optional)', name: 'note', multiline: true, rows: 2, maxlength: 10000 });
  const after = h('div');
  const form = h('form', { class: 'card', 'aria-labelledby': 'checkin-title' },
    h('h2', { id: 'checkin-title', text: 'How are you feeling?' }),
    mood.el, note.wrap,
    h('button', { type: 'submit', class: 'secondary' }, 'Save check-in'),
    status, after);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const value = mood.read();
    clear(after);
    if (!value) {
      status.textContent = 'Pick the mood that fits best first.';
      return;
    }
    const fields = { mood: Number(value), at: new Date().toISOString() };
    if (note.input.value.trim()) fields.note = note.input.value.trim();
    await store.save('checkins', null, fields);
    const n = Number(value);
    status.textContent = ['Thanks for telling us. That sounds really hard.', 'Thanks for checking in. Go gently today.',
      'Thanks for checking in.', 'Thanks for checking in. Glad to hear it.', 'Thanks for checking in. Enjoy it.'][n - 1];
    append(after, [crisisOffer(n)]);
    mood.set([]);
    note.input.value = '';
  });
  return form;
}

export async function todayView(ctx) {
  const next = h('div');
  const onBreak = h('div');
  const draw = async () => {
    // While a break is on: a calm banner, and no "one more application". The
    // planner plans none then, but one planned before may not be pulled away yet.
    const paused = await showBreak(onBreak);
    const nudges = (await store.list('nudges')).filter((n) => !(paused && n.kind === 'apply'));
    clear(next).append(nextReminder(nextPlanned(nudges)));
  };
  await ctx.watch(['nudges', 'breaks'], draw);
  return h('section', { class: 'today' },
    h('h1', { text: greeting() }),
    onBreak,
    h('button', { type: 'button', class: 'primary big', onclick: () => navigate('/log') }, 'Log a rejection'),
    checkinCard(),
    await applicationGoal(ctx),
    h('h2', { text: 'Your next reminder' }),
    next,
    h('p', { class: 'small' }, h('a', { href: '/inbox' }, 'All your reminders')),
    h('p', { class: 'small' }, h('a', { href: '/help' }, 'Need to talk to someone now?')));
}
