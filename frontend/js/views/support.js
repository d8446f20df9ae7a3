// The support circle (SPEC §1 strategy 6): the people in your corner, one
// tap to reach each, when a check-in comes round; a break; "Share how I'm
// doing"; what helps; and the crisis lines, always.

import { h, clear, field, emptyState } from '../ui.js';
import * as store from '../store.js';
import { RELATIONSHIPS, CHANNELS, labelOf, moodLabel } from '../content.js';
import { newest, within } from '../models.js';
import { compute } from '../insights.js';
import { helplineList } from '../crisis.js';
import { openComposer, returnOffer, rhythm } from '../reach-out.js';
import { currentBreak, untilWords, dayIn, userZone } from '../break-status.js';
import { whatHelpsCard, HELPS_ENTITIES } from '../helps.js';

function contactCard(c, outreach) {
  const r = rhythm(c, outreach);
  const meta = [labelOf(RELATIONSHIPS, c.relationship), labelOf(CHANNELS, c.channel)].filter(Boolean).join(' · ');
  return h('li', { class: 'card contact-card' },
    h('h3', {}, h('a', { href: `/support/${c.id}`, class: 'more' }, c.name || 'Someone')),
    meta ? h('p', { class: 'row-meta', text: meta }) : null,
    h('p', { class: 'small', text: [r.last, r.due].filter(Boolean).join(' ') }),
    c._rejected?.length ? h('p', {}, h('span', { class: 'tag warn', text: 'Not saved — open to fix' })) : null,
    h('button', { type: 'button', class: r.isDue ? 'primary' : 'secondary', onclick: () => openComposer(c) }, `Reach out to ${c.name || 'them'}`));
}

// A short update anyone can receive, no account needed: this week's
// applications and how you feel. Built from counts and a mood only, so no
// company is named unless the person types one.
async function shareCard() {
  if (!navigator.share) return null;
  const zone = userZone();
  const data = Object.fromEntries(await Promise.all(['applications', 'checkins'].map(async (e) => [e, await store.list(e)])));
  const sent = compute({ applications: data.applications }, dayIn(new Date(), zone), zone).goal.done_this_week;
  const feeling = moodLabel(newest('checkins', within('checkins', data.checkins, 7))?.mood).toLowerCase();
  const words = [
    sent ? `This week I’ve sent ${sent} application${sent === 1 ? '' : 's'}.` : 'This week I’m taking the job search one step at a time.',
    feeling ? `I’m feeling ${feeling}.` : '',
    'Thanks for being there.',
  ].filter(Boolean).join(' ');
  const text = field({ label: 'Your update', name: 'update', multiline: true, rows: 3, maxlength: 1000, value: words, hint: 'Change anything before you send it.' });
  const status = h('p', { class: 'muted', role: 'status' });
  const share = h('button', { type: 'button', class: 'secondary', onclick: async () => {
    try {
      await navigator.share({ text: text.input.value });
      status.textContent = 'Sent.';
    } catch (err) {
      status.textContent = err?.name === 'AbortError' ? '' : 'Sharing didn’t work here. You can copy the text instead.';
    }
  } }, 'Share how I’m doing');
  return h('section', { class: 'card', 'aria-labelledby': 'share-title' },
    h('h2', { id: 'share-title', text: 'Let someone know how you’re doing' }),
    text.wrap, share, status);
}

async function breakCard() {
  const b = currentBreak(await store.list('breaks'));
  const until = b ? untilWords(b.planned_end_on) : '';
  return h('section', { class: 'card soft', 'aria-labelledby': 'break-title' },
    h('h2', { id: 'break-title', text: b ? `On a break${until ? ` ${until}` : ''}` : 'Need a rest?' }),
    h('p', { text: b ? 'Job-search suggestions are paused while you rest.' : 'A few hours or a few days away from the search. Rest counts as progress.' }),
    h('a', { href: '/breaks', class: 'more' }, b ? 'Your break' : 'Take a break'));
}

export async function supportView(ctx) {
  const people = h('div');
  const rest = h('div');
  const helps = h('div');
  const lead = h('p', { class: 'lead', text: 'The people in your corner. One message can change a day.' });
  const add = h('a', { href: '/support/new', class: 'button secondary' }, 'Add someone');
  const draw = async () => {
    const contacts = (await store.list('contacts')).sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
    const outreach = await store.list('outreach');
    lead.hidden = add.hidden = !contacts.length;
    clear(people).append(contacts.length
      ? h('ul', { class: 'cards', 'aria-label': 'Your support circle' }, contacts.map((c) => contactCard(c, outreach)))
      : emptyState({ title: 'Nobody here yet', text: 'Add a friend, a mentor, or anyone you’d be glad to hear from.',
        action: h('a', { href: '/support/new', class: 'button primary' }, 'Add someone') }));
    rest.replaceChildren(await breakCard());
    helps.replaceChildren(await whatHelpsCard());
  };
  await ctx.watch([...new Set(['contacts', 'outreach', 'breaks', ...HELPS_ENTITIES])], draw);
  return h('section', { class: 'support' },
    h('h1', { text: 'Support' }),
    lead,
    returnOffer(ctx),
    people,
    add,
    rest,
    await shareCard(),
    helps,
    h('section', { id: 'crisis', class: 'crisis', 'aria-labelledby': 'crisis-title' },
      h('h2', { id: 'crisis-title', text: 'Need to talk to someone now?' }),
      h('p', { text: 'These lines are free and confidential. You don’t have to be in crisis to call. If you are in danger right now, call your local emergency number.' }),
      helplineList()));
}
