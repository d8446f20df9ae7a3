// Today looks forward: a check-in, the "Log a rejection" button and what
// to do next. Past rejections live in their own list, never here.

import { h, chips, field, clear, append } from '../ui.js';
import { navigate } from '../router.js';
import * as store from '../store.js';
import { session } from '../session.js';
import { MOODS } from '../content.js';
import { newestFirst, newest, within, hasLesson } from '../models.js';

const INTERVIEWISH = ['interview', 'final_round', 'offer'];

function greeting() {
  const hour = new Date().getHours();
  const part = hour < 12 ? 'Good morning' : hour < 18 ? 'Good afternoon' : 'Good evening';
  const name = session.user?.display_name;
  return name ? `${part}, ${name}` : part;
}

// At most three gentle suggestions, drawn from the local store.
export function suggestions(rejections, checkins) {
  const out = [];
  const byNewest = newestFirst('rejections', rejections);
  const recent = within('rejections', byNewest, 4);
  const lastCheckin = newest('checkins', checkins);
  const low = recent.some((r) => r.mood && r.mood <= 2) || (lastCheckin && lastCheckin.mood <= 2);
  if (low) {
    out.push({ title: 'Be kind to yourself today', body: 'A walk, a nap, time with a friend: rest counts as progress.', href: '/help', link: 'Talk to someone' });
  }
  const ask = byNewest.find((r) => INTERVIEWISH.includes(r.stage) && (r.feedback_status ?? 'not_requested') === 'not_requested');
  if (ask) {
    out.push({ title: `Ask ${ask.company} for feedback`, body: 'We wrote the email for you. It takes a minute to send.', href: `/rejections/${ask.id}#feedback`, link: 'See the email' });
  }
  const reflect = byNewest.find((r) => !hasLesson(r));
  if (reflect && out.length < 3) {
    out.push({ title: `Reflect on ${reflect.company}`, body: 'What went well? What did you learn? A few words are enough.', href: `/rejections/${reflect.id}#reflect`, link: 'Reflect' });
  }
  if (out.length < 3) {
    out.push({ title: 'When you’re ready, one more application', body: 'Not today? That’s fine too. Momentum comes back.', href: null });
  }
  return out.slice(0, 3);
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
    if (n === 1) {
      after.append(h('p', {}, 'You don’t have to carry it alone. ', h('a', { href: '/help' }, 'Talk to someone now'), '.'));
    }
    mood.set([]);
    note.input.value = '';
  });
  return form;
}

export async function todayView(ctx) {
  const next = h('ul', { class: 'cards' });
  const draw = async () => {
    const items = suggestions(await store.list('rejections'), await store.list('checkins'));
    append(clear(next), items.map((s) => h('li', { class: 'card' },
      h('h3', { text: s.title }),
      h('p', { text: s.body }),
      s.href ? h('a', { href: s.href, class: 'more' }, s.link) : null)));
  };
  await ctx.watch(['rejections', 'checkins'], draw);
  return h('section', { class: 'today' },
    h('h1', { text: greeting() }),
    h('button', { type: 'button', class: 'primary big', onclick: () => navigate('/log') }, 'Log a rejection'),
    checkinCard(),
    h('h2', { text: 'What to do next' }),
    next,
    h('p', { class: 'small' }, h('a', { href: '/help' }, 'Need to talk to someone now?')));
}
