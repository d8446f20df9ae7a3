// The inbox (/inbox, the bell in the header): every reminder that arrived,
// newest first, each with Mark as read, Dismiss and Snooze; then the ones
// still to come, each of which can be skipped. Marks are local writes
// (nudges.js), so they work offline; the bell's count follows by itself.

import { h, clear, append, toast, nextId, emptyState } from '../ui.js';
import * as store from '../store.js';
import * as nudges from '../nudges.js';

const dayWord = (d) => (d === 1 ? '1 day' : `${d} days`);

export async function inboxView(ctx) {
  const title = h('h1', { text: 'Reminders', tabindex: '-1' });
  const lead = h('p', { class: 'lead', text: 'Gentle reminders, newest first. Open one, or put it off for a few days.' });
  const arrivedBox = h('div');
  const plannedBox = h('div');
  const snoozeChoice = new Map(); // id -> days picked, kept across redraws
  let focusWanted = null; // the data-focus key to focus after the next draw

  // After an action takes a control away (Mark as read, a dismissed card),
  // focus goes somewhere sensible instead of falling to the page.
  const focusAfter = (key) => { focusWanted = key; };
  const neighbour = (id) => {
    const cards = [...document.querySelectorAll('#main [data-nudge]')];
    const i = cards.findIndex((c) => c.dataset.nudge === id);
    const other = cards[i + 1] ?? cards[i - 1];
    return other ? `${other.dataset.nudge}:open` : 'title';
  };

  function actions(n, titleId, ahead) {
    const read = !ahead && !nudges.isRead(n)
      ? h('button', { type: 'button', class: 'secondary', 'data-focus': `${n.id}:read`, 'aria-describedby': titleId,
        onclick: () => { focusAfter(`${n.id}:dismiss`); nudges.markRead(n.id); } }, 'Mark as read')
      : null;
    const dismiss = h('button', { type: 'button', class: 'secondary', 'data-focus': `${n.id}:dismiss`, 'aria-describedby': titleId,
      onclick: async () => {
        focusAfter(neighbour(n.id));
        await nudges.dismiss(n.id);
        toast(ahead ? 'Skipped. It won’t be sent.' : 'Dismissed. It won’t come back.');
      } }, ahead ? 'Skip this one' : 'Dismiss');
    let snoozeRow = null;
    if (!ahead && nudges.canSnooze(n)) {
      const pickId = nextId('snooze');
      const pick = h('select', { id: pickId, 'data-focus': `${n.id}:days`, 'aria-describedby': titleId, onchange: () => snoozeChoice.set(n.id, Number(pick.value)) },
        nudges.SNOOZE_DAYS.map((d) => h('option', { value: String(d) }, dayWord(d))));
      pick.value = String(snoozeChoice.get(n.id) ?? 1);
      snoozeRow = h('div', { class: 'snooze' },
        h('label', { for: pickId, text: 'Remind me again in' }),
        h('div', { class: 'snooze-pick' }, pick,
          h('button', { type: 'button', class: 'secondary', 'data-focus': `${n.id}:snooze`, 'aria-describedby': titleId,
            onclick: async () => {
              const days = Number(pick.value);
              focusAfter(neighbour(n.id));
              await nudges.snooze(n.id, days);
              const record = await store.get('nudges', n.id);
              const when = nudges.whenText(nudges.dueAt(record ?? n)).replace(/^(Today|Tomorrow)/, (w) => w.toLowerCase());
              toast(`Snoozed until ${when}.`);
            } }, 'Snooze')));
    }
    return [h('div', { class: 'actions nudge-actions' }, read, dismiss), snoozeRow];
  }

  // A mark the server refused (rare: the nudge changed on the server first).
  function refusal(n) {
    if (!n._rejected?.length) return null;
    return h('div', { class: 'alert', role: 'alert' },
      h('p', { text: `That didn’t go through: ${n._rejected[0].error?.message ?? 'the server said no'}` }),
      h('button', { type: 'button', class: 'secondary', onclick: () => store.discardRejected('nudges', n.id) }, 'OK'));
  }

  function card(n, ahead) {
    const titleId = nextId('nudge');
    const unread = !ahead && !nudges.isRead(n);
    const at = ahead ? nudges.dueAt(n) : nudges.arrivedAt(n);
    const heading = ahead ? 'h3' : 'h2';
    // A planned one has not arrived: its title is not a link yet.
    const name = n.url && !ahead
      ? h('a', { href: n.url, 'data-focus': `${n.id}:open`, onclick: () => !nudges.isRead(n) && nudges.markRead(n.id) }, n.title)
      : h('span', { 'data-focus': `${n.id}:open`, tabindex: '-1' }, n.title);
    return h('li', { class: `card nudge${unread ? ' unread' : ''}`, 'data-nudge': n.id },
      h('p', { class: 'nudge-when' },
        h('time', { datetime: new Date(at).toISOString(), text: nudges.whenText(at) }),
        unread ? h('span', { class: 'tag' }, 'New') : null),
      h(heading, { id: titleId, class: 'nudge-title' }, name),
      h('p', { text: n.body }),
      refusal(n),
      actions(n, titleId, ahead));
  }

  const draw = async () => {
    const all = await store.list('nudges');
    const now = Date.now();
    const arrived = nudges.inbox(all, now);
    const ahead = nudges.planned(all, now);
    const active = document.activeElement;
    const key = focusWanted ?? (active?.closest?.('#main') ? active.dataset?.focus : null);
    focusWanted = null;
    lead.hidden = !arrived.length;
    clear(arrivedBox).append(arrived.length
      ? h('ul', { class: 'cards', 'aria-label': 'Your reminders' }, arrived.map((n) => card(n, false)))
      : emptyState({ title: 'Nothing here yet', text: 'When Rebound sends you a gentle reminder, it waits for you here.',
        action: h('a', { href: '/settings#device-notifications', class: 'button secondary' }, 'Choose your reminders') }));
    append(clear(plannedBox), ahead.length
      ? [h('h2', { id: 'coming-up', text: 'Coming up' }),
        h('p', { class: 'muted', text: 'Planned around your quiet hours. Skip any you don’t want.' }),
        h('ul', { class: 'cards', 'aria-label': 'Coming up' }, ahead.map((n) => card(n, true)))]
      : []);
    if (key === 'title') title.focus();
    else if (key) (document.querySelector(`#main [data-focus="${CSS.escape(key)}"]`) ?? title).focus();
  };
  await ctx.watch('nudges', draw);

  const bell = document.getElementById('inbox-link');
  bell?.setAttribute('aria-current', 'page');
  ctx.onCleanup(() => bell?.removeAttribute('aria-current'));

  return h('section', { class: 'inbox' },
    title,
    lead,
    arrivedBox,
    plannedBox);
}
