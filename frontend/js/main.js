// The entry module and the only script tag: registers the service worker,
// restores the session from the local store, wires routes and sync status.

import { h } from './ui.js';
import { route, setGuard, start, navigate, here } from './router.js';
import * as sync from './sync.js';
import { session, load, refresh } from './session.js';
import { registerServiceWorker } from './pwa.js';
import { welcomeView } from './views/welcome.js';
import { signUpView, signInView } from './views/auth.js';
import { forgotPasswordView, resetPasswordView } from './views/reset.js';
import { todayView } from './views/today.js';
import { logView } from './views/log.js';
import { rejectionsView } from './views/rejections.js';
import { rejectionView } from './views/rejection.js';
import { lessonsView } from './views/lessons.js';
import { accountView } from './views/account.js';
import { helpView } from './views/help.js';

registerServiceWorker();

route('/', welcomeView, { public: true });
route('/signup', signUpView, { public: true });
route('/signin', signInView, { public: true });
route('/forgot-password', forgotPasswordView, { any: true });
route('/reset-password', resetPasswordView, { any: true });
route('/help', helpView, { any: true });
route('/today', todayView);
route('/log', logView);
route('/rejections', rejectionsView);
route('/rejections/:id', rejectionView);
route('/lessons', lessonsView);
route('/account', accountView);
route('*', async () => h('section', {},
  h('h1', { text: 'Page not found' }),
  h('p', {}, 'There’s nothing here. ', h('a', { href: '/' }, 'Go to the start'), '.')));

setGuard((found) => {
  document.getElementById('tabs').hidden = !session.user;
  if (!found) return null;
  const signedIn = Boolean(session.user);
  if (found.public && signedIn && !(found.pattern === '/signin' && session.expired)) return '/today';
  if (!found.public && !found.any && !signedIn) return '/';
  return null;
});

// Calm, short sync status. Repeated states are not re-announced.
const statusEl = document.getElementById('sync-status');
function statusText({ kind, pending }) {
  const n = pending === 1 ? '1 change' : `${pending} changes`;
  switch (kind) {
    case 'syncing': return pending ? 'Saving…' : null;
    case 'saved': return pending ? `${n} waiting` : 'All changes saved';
    case 'offline': return pending ? `Offline — ${n} waiting` : 'Offline — saved on this device';
    case 'error': return pending ? `Could not sync, retrying — ${n} waiting` : 'Could not sync, retrying';
    case 'signedout': return 'Signed out — sign in to sync';
    default: return '';
  }
}
sync.events.addEventListener('status', (e) => {
  const text = statusText(e.detail);
  if (text !== null && statusEl.textContent !== text) statusEl.textContent = text;
  statusEl.dataset.state = e.detail.kind;
});
// This device's session ended: ask to sign in again, but leave a screen that
// works signed out (a reset link, the helplines) or the sign-in form itself
// alone, so nobody is pulled away mid-way or loses what they typed.
function askToSignInAgain() {
  session.expired = true;
  if (here()?.any || location.pathname === '/signin') return;
  navigate('/signin?again=1');
}
sync.events.addEventListener('unauthorized', askToSignInAgain);

await load();
await start();
if (session.user) {
  sync.start();
  await refresh();
  if (session.expired) askToSignInAgain();
}
