// Crisis resources: plain words and tel: links. Nothing is fetched.

import { h } from '../ui.js';
import { session } from '../session.js';
import { helplineList } from '../crisis.js';

export async function helpView() {
  return h('section', { class: 'help' },
    h('h1', { text: 'Need to talk to someone?' }),
    h('p', { class: 'lead', text: 'A rejection can hit hard, and sometimes it lands on top of everything else. You don’t have to be in crisis to call: these lines are free, confidential and there for exactly this.' }),
    h('p', { text: 'If you are in danger right now, call your local emergency number.' }),
    helplineList(),
    h('p', {}, h('a', { href: session.user ? '/today' : '/' }, session.user ? 'Back to Today' : 'Back')));
}
