// The bell in the header: a link to the inbox that says how many reminders
// are unread, to the eye (a badge) and to a screen reader (the link's name,
// "Reminders, 2 unread"). Kept current by the store (a sync that brings a
// nudge, a mark made on any screen) and by the clock (a planned reminder
// falling due).

import * as store from './store.js';
import { unreadCount } from './nudges.js';
import * as sync from './sync.js';
import { serially } from './router.js';

export function startBell(link) {
  const badge = link.querySelector('.badge');
  const draw = async () => {
    const n = unreadCount(await store.list('nudges'));
    badge.textContent = n > 9 ? '9+' : String(n);
    badge.hidden = n === 0;
    link.setAttribute('aria-label', n === 0 ? 'Reminders' : `Reminders, ${n} unread`);
  };
  // One count at a time; a change during a count gives one more after it.
  const update = serially(draw);
  store.events.addEventListener('change', (e) => {
    const entity = e.detail?.entity;
    if (!entity || entity === 'nudges') update();
  });
  // Each sync (the app coming back into view starts one) recounts, so a
  // reminder that fell due while the phone slept shows at once. The sync
  // client owns the page's visibility listener, and only while signed in.
  sync.events.addEventListener('status', update);
  setInterval(update, 60_000);
  return update();
}
