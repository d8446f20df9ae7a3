import { h, lineIcon } from '../ui.js';
import { navigate } from '../router.js';
import { installBlock } from '../pwa.js';

// What Rebound does, in three lines a newcomer can take in at a glance.
const POINTS = [
  ['Log it in a minute', 'Write down a rejection and how it felt, even offline.',
    ['M4 20h4L19 9l-4-4L4 16z', 'M13.5 6.5l4 4']],
  ['Learn from it', 'Turn it into a lesson, or ask the employer for feedback.',
    ['M9 18h6', 'M10 21h4', 'M12 3a6 6 0 0 0-3.5 10.9c.6.5 1 1.2 1 2.1h5c0-.9.4-1.6 1-2.1A6 6 0 0 0 12 3z']],
  ['Look after yourself', 'Take a real break, lean on your people, see how far you’ve come.',
    ['M12 20s-7-4.4-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 10c0 5.6-7 10-7 10z']],
];

export async function welcomeView() {
  const mark = document.querySelector('.brand-mark')?.cloneNode(true);
  mark?.classList.add('hero-mark');
  return h('section', { class: 'welcome' },
    mark ?? null,
    h('h1', { text: 'A no is not the end of your story.' }),
    h('p', { class: 'lead', text: 'Rebound helps you get through job rejections and keep going, at your own pace.' }),
    h('ul', { class: 'points' }, POINTS.map(([title, text, icon]) => h('li', {},
      h('span', { class: 'point-icon' }, lineIcon(...icon)),
      h('span', {}, h('strong', { text: title }), h('span', { text })),
    ))),
    h('p', { class: 'small muted', text: 'Private to you: export or delete it all any time. No streaks, no scores.' }),
    h('div', { class: 'actions stack welcome-actions' },
      h('button', { type: 'button', class: 'primary', onclick: () => navigate('/signup') }, 'Sign up'),
      h('button', { type: 'button', class: 'secondary', onclick: () => navigate('/signin') }, 'Sign in')),
    installBlock({ quiet: true }),
    h('p', { class: 'small' }, h('a', { href: '/help' }, 'Need to talk to someone now?')));
}
