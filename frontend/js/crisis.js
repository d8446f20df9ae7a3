// One rule for crisis resources: after a mood of 1 ("Very low") on any mood
// input — the Today check-in, the log flow, a break's mood before or after,
// the mood after reaching out — the same offer appears, with the same words.
// The helplines themselves (content.js) are listed the same way on /help and
// on the support screen.

import { h, lineIcon } from './ui.js';
import { HELPLINES, HELPLINES_CHECKED } from './content.js';

const PHONE = 'M6.5 3.5h3l1.5 4.5-2 1.5a11 11 0 0 0 5.5 5.5l1.5-2 4.5 1.5v3a2 2 0 0 1-2 2A16.5 16.5 0 0 1 4.5 5.5a2 2 0 0 1 2-2z';

export const isVeryLow = (mood) => Number(mood) === 1;

// The offer after a very low mood, or null for any other mood.
export function crisisOffer(mood) {
  if (!isVeryLow(mood)) return null;
  return h('aside', { class: 'card soft crisis-offer', 'aria-label': 'Someone to talk to' },
    h('p', { text: 'That sounds really hard. You don’t have to carry it alone: talking to someone you trust, or to a free, confidential helpline, can help.' }),
    h('a', { href: '/help', class: 'more' }, 'Talk to someone now'));
}

// The built-in helplines as tel: links, and the international directory.
export function helplineList() {
  return [
    h('ul', { class: 'list helplines' }, HELPLINES.map(([where, name, number, note]) => h('li', {},
      h('a', { class: 'row helpline', href: `tel:${number.replace(/\s/g, '')}` },
        h('span', { class: 'call-icon' }, lineIcon(PHONE)),
        h('span', { class: 'helpline-text' },
          h('span', { class: 'row-title', text: name }),
          h('span', { class: 'row-meta', text: `${where} · Call ${number}. ${note}.` })))))),
    h('p', {}, 'Somewhere else? ',
      h('a', { href: 'https://findahelpline.com', rel: 'noopener noreferrer', target: '_blank' }, 'findahelpline.com'),
      ' lists free helplines in many countries.'),
    h('p', { class: 'small muted', text: `Numbers checked on ${HELPLINES_CHECKED} against each service’s own site.` }),
  ];
}
