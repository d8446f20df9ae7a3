import { h } from '../ui.js';
import { navigate } from '../router.js';
import { installBlock } from '../pwa.js';

export async function welcomeView() {
  return h('section', { class: 'welcome' },
    h('h1', { text: 'A no is not the end of your story.' }),
    h('p', { class: 'lead', text: 'Rebound helps you get through job rejections and keep going, at your own pace.' }),
    h('ul', { class: 'points' },
      h('li', { text: 'Write down a rejection in under a minute, and how it feels.' }),
      h('li', { text: 'Turn it into a lesson, or ask the employer for feedback.' }),
      h('li', { text: 'Keep the big picture, and take a break when you need one.' })),
    h('div', { class: 'actions stack' },
      h('button', { type: 'button', class: 'primary', onclick: () => navigate('/signup') }, 'Sign up'),
      h('button', { type: 'button', class: 'secondary', onclick: () => navigate('/signin') }, 'Sign in')),
    installBlock({ quiet: true }),
    h('p', { class: 'small' }, h('a', { href: '/help' }, 'Need to talk to someone now?')));
}
