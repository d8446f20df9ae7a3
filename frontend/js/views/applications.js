// Applications by where they stand (the SPEC §4 pipeline), each moved on in
// one tap; the quiet ones offered together for a close-out as "No reply",
// with Undo. Closing them writes nothing into the rejections journal.

import { h, clear, toast, emptyState } from '../ui.js';
import * as store from '../store.js';
import { session } from '../session.js';
import { todayIn } from '../insights.js';
import { APPLICATION_STATUSES, labelOf } from '../content.js';
import { OPEN, byStatus, goneQuiet, nextStatus, statusAge } from '../pipeline.js';

const UNDO_MS = 5000;
const QUIET_SHOWN = 3; // the rest behind "Show N more"; "Close all" takes every one
const zoneOf = () => session.user?.timezone || Intl.DateTimeFormat().resolvedOptions().timeZone;
const statusLabel = (s) => labelOf(APPLICATION_STATUSES, s ?? 'applied');
const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

// Closes `apps` as ghosted in one write, held for Undo like a delete.
async function closeAsGhosted(apps) {
  const undo = await store.saveMany('applications', apps.map((a) => ({ id: a.id, fields: { status: 'ghosted' } })), { holdMs: UNDO_MS });
  const what = apps.length === 1 ? apps[0].company : plural(apps.length, 'application', 'applications');
  toast(`Closed ${what} as no reply.`, { label: 'Undo', ms: UNDO_MS, run: async () => {
    toast(await undo() ? 'Brought back.' : 'Too late to undo: it was already saved.');
  } });
}

function row(app, today) {
  const meta = [app.role, statusAge(app, today)].filter(Boolean).join(' · ');
  const next = nextStatus(app);
  return h('li', { class: 'app-item' },
    h('a', { href: `/applications/${app.id}`, class: 'row' },
      h('span', { class: 'row-title', text: app.company || 'Untitled' }),
      h('span', { class: 'row-meta', text: meta }),
      app._rejected?.length ? h('span', { class: 'tags' }, h('span', { class: 'tag warn', text: 'Not saved — open to fix' })) : null),
    next ? h('button', {
      type: 'button', class: 'secondary move',
      'aria-label': `Move ${app.company || 'this application'} to ${statusLabel(next)}`,
      onclick: () => store.save('applications', app.id, { status: next }),
    }, `→ ${statusLabel(next)}`) : null);
}

function quietItem(a, today) {
  return h('li', { class: 'quiet-item' },
    h('span', {}, h('strong', { text: a.company || 'Untitled' }), h('span', { class: 'row-meta', text: [a.role, statusAge(a, today)].filter(Boolean).join(' · ') })),
    h('button', { type: 'button', class: 'secondary', 'aria-label': `Close ${a.company || 'this application'} as no reply`, onclick: () => closeAsGhosted([a]) }, 'Close'));
}

// `moreOpen`: the "Show N more" part was open before this redraw.
function quietCard(quiet, today, afterDays, moreOpen) {
  const more = quiet.slice(QUIET_SHOWN);
  return h('section', { class: 'card soft quiet', 'aria-labelledby': 'quiet-title' },
    h('h2', { id: 'quiet-title', text: 'No news for a while' }),
    h('p', { text: `${quiet.length === 1 ? 'This one has' : `These ${quiet.length} have`} had no news for ${afterDays} days or more. `
      + 'Closing them as “No reply” keeps your list about what’s still open. Nothing goes into your rejections journal.' }),
    h('ul', { class: 'list', 'aria-label': 'No news for a while' }, quiet.slice(0, QUIET_SHOWN).map((a) => quietItem(a, today))),
    more.length ? h('details', { class: 'quiet-more', open: moreOpen },
      h('summary', { text: `Show ${more.length} more` }),
      h('ul', { class: 'list', 'aria-label': 'More with no news' }, more.map((a) => quietItem(a, today)))) : null,
    quiet.length > 1 ? h('button', { type: 'button', class: 'primary', onclick: () => closeAsGhosted(quiet) }, `Close all ${quiet.length} as no reply`) : null);
}

export async function applicationsView(ctx) {
  const quietBox = h('div');
  const listBox = h('div');
  const lead = h('p', { class: 'lead', text: 'Where each one stands. Move one on with a tap when you hear back.' });
  const actions = h('div', { class: 'actions' },
    h('a', { href: '/applications/new', class: 'button primary' }, 'Add an application'),
    h('a', { href: '/applications/import', class: 'more' }, 'Import from a spreadsheet (CSV)'));
  const draw = async () => {
    const today = todayIn(zoneOf());
    const apps = await store.list('applications');
    const afterDays = Number(session.user?.settings?.ghost_after_days ?? 30);
    const quiet = goneQuiet(apps, today, afterDays);
    const moreOpen = Boolean(quietBox.querySelector('.quiet-more[open]'));
    clear(quietBox).append(quiet.length ? quietCard(quiet, today, afterDays, moreOpen) : '');
    // Closed groups the person opened stay open through a redraw.
    const opened = new Set([...listBox.querySelectorAll('details[open]')].map((d) => d.dataset.status));
    clear(listBox);
    lead.hidden = actions.hidden = !apps.length;
    if (!apps.length) {
      listBox.append(emptyState({ title: 'Nothing here yet', text: 'Add the applications you’ve sent, one at a time or from a spreadsheet.',
        action: h('div', { class: 'actions stack' },
          h('a', { href: '/applications/new', class: 'button primary' }, 'Add an application'),
          h('a', { href: '/applications/import', class: 'more' }, 'Import from a spreadsheet (CSV)')) }));
      return;
    }
    for (const [status, group] of byStatus(apps, today)) {
      const id = `group-${status}`;
      const heading = h('h2', { id, text: `${statusLabel(status)} (${group.length})` });
      const list = h('ul', { class: 'list', 'aria-labelledby': id }, group.map((a) => row(a, today)));
      listBox.append(OPEN.includes(status)
        ? h('section', { class: 'app-group', 'aria-labelledby': id }, heading, list)
        : h('details', { class: 'app-group closed', 'data-status': status, open: opened.has(status) }, h('summary', {}, heading), list));
    }
  };
  await ctx.watch('applications', draw);
  return h('section', { class: 'applications' },
    h('h1', { text: 'Applications' }),
    lead, actions, quietBox, listBox);
}
