// "You": the account, install, support, and signing out.

import { h, ask } from '../ui.js';
import { navigate } from '../router.js';
import * as store from '../store.js';
import * as sync from '../sync.js';
import { session, signOut } from '../session.js';
import { installBlock } from '../pwa.js';

async function confirmSignOut() {
  if (await store.pendingCount()) await sync.syncNow();
  const waiting = await store.pendingCount();
  if (!waiting) return true;
  const n = waiting === 1 ? '1 change hasn’t' : `${waiting} changes haven’t`;
  return ask({
    title: 'Some changes haven’t synced yet',
    body: `${n} reached the server yet. If you sign out now, they will be lost. Connect to the internet and wait for “All changes saved” to keep them.`,
    confirm: 'Sign out anyway',
    cancel: 'Stay signed in',
    danger: true,
  });
}

export async function accountView() {
  const user = session.user ?? {};
  return h('section', {},
    h('h1', { text: user.display_name ? `You, ${user.display_name}` : 'You' }),
    h('p', { class: 'lead', text: `Signed in as ${user.email ?? ''}` }),
    h('section', { class: 'card' },
      h('h2', { text: 'Install' }),
      h('p', { class: 'muted', text: 'Rebound works offline and opens from your home screen like any other app.' }),
      installBlock()),
    h('section', { class: 'card' },
      h('h2', { text: 'Support' }),
      h('p', {}, h('a', { href: '/help' }, 'Crisis lines and someone to talk to'))),
    h('section', { class: 'card' },
      h('h2', { text: 'Sign out' }),
      h('p', { class: 'muted', text: 'Signing out removes your data from this device. It stays safe on your account.' }),
      h('button', { type: 'button', class: 'secondary', onclick: async () => {
        if (!(await confirmSignOut())) return;
        await signOut();
        await navigate('/', { replace: true });
      } }, 'Sign out')));
}
