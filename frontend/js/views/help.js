// Crisis resources: plain words and tel: links. Nothing is fetched.

import { h } from '../ui.js';
import { session } from '../session.js';
import { HELPLINES, HELPLINES_CHECKED } from '../content.js';

export async function helpView() {
  return h('section', { class: 'help' },
    h('h1', { text: 'Need to talk to someone?' }),
    h('p', { class: 'lead', text: 'A rejection can hit hard, and sometimes it lands on top of everything else. You don’t have to be in crisis to call: these lines are free, confidential and there for exactly this.' }),
    h('p', { text: 'If you are in danger right now, call your local emergency number.' }),
    h('ul', { class: 'list' }, HELPLINES.map(([where, name, number, note]) => h('li', {},
      h('a', { class: 'row', href: `tel:${number.replace(/\s/g, '')}` },
        h('span', { class: 'row-title', text: `${name === number ? '' : `${name} `}${number}` }),
        h('span', { class: 'row-meta', text: `${where}. ${note}.` }))))),
    h('p', {}, 'Somewhere else? ',
      h('a', { href: 'https://findahelpline.com', rel: 'noopener noreferrer', target: '_blank' }, 'findahelpline.com'),
      ' lists free helplines in many countries.'),
    h('p', { class: 'small muted', text: `Numbers checked on ${HELPLINES_CHECKED}.` }),
    h('p', {}, h('a', { href: session.user ? '/today' : '/' }, session.user ? 'Back to Today' : 'Back')));
}
