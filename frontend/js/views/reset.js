// A forgotten password (SPEC §4): ask for a link by email, then choose a new
// password from that link. Both screens work signed out. The link carries its
// token after '#', so it never reaches a server log, and the screen takes it
// out of the address bar (and so out of history) as soon as it has read it.

import { h, field } from '../ui.js';
import { navigate } from '../router.js';
import { api } from '../api.js';
import { session, ended } from '../session.js';
import { authForm, email } from './auth.js';

let carried = null; // the token from the link, kept in memory for this page only

// Swaps the form for what happened, under a new heading that takes the focus.
function settle(form, title, ...body) {
  const section = form.closest('section');
  const heading = section.querySelector('h1');
  heading.textContent = title;
  document.title = `${title} · Rebound`;
  section.replaceChildren(heading, ...body);
  heading.setAttribute('tabindex', '-1');
  heading.focus();
}

const askAgain = (label) => h('div', { class: 'actions' }, h('a', { href: '/forgot-password', class: 'button primary' }, label));

export async function forgotPasswordView() {
  return authForm({
    title: 'Forgot your password?',
    intro: h('p', { class: 'lead', text: 'It happens. Enter the email you signed up with and we’ll send you a link to choose a new one.' }),
    submit: 'Send reset link',
    fields: [email()],
    offline: 'You seem to be offline. Sending a reset link needs a connection — try again once you’re back online.',
    action: (v) => api('POST', '/api/auth/reset', { email: v.email.trim() }),
    done: (_, form) => settle(form, 'Check your email',
      h('p', { class: 'lead', text: 'If an account uses that email, a link is on its way. It works for an hour.' }),
      h('p', { text: 'Nothing after a few minutes? Have a look in your spam folder, or ask again.' }),
      h('div', { class: 'actions' }, h('a', { href: '/signin', class: 'button secondary' }, 'Back to sign in'))),
    footer: h('p', {}, 'Remembered it? ', h('a', { href: '/signin' }, 'Sign in')),
  });
}

export async function resetPasswordView() {
  const fromLink = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromLink) {
    carried = fromLink;
    history.replaceState(null, '', location.pathname);
  }
  const token = carried;
  if (!token) {
    return h('section', { class: 'auth' },
      h('h1', { text: 'Open the link from your email' }),
      h('p', { class: 'lead', text: 'This screen needs the link we emailed you. If you can’t find it, or it is more than an hour old, ask for a new one.' }),
      askAgain('Ask for a new link'));
  }
  const password = Object.assign(
    field({ label: 'New password', name: 'new_password', type: 'password', autocomplete: 'new-password', required: true, minlength: 10, hint: 'At least 10 characters.' }),
    { check: (v) => (v.length >= 10 ? null : 'Use at least 10 characters.') });
  return authForm({
    title: 'Choose a new password',
    intro: h('p', { class: 'lead', text: 'Almost there. Once it is set, you sign in with it on every device.' }),
    submit: 'Set new password',
    fields: [password],
    offline: 'You seem to be offline. Setting a new password needs a connection — try again once you’re back online.',
    action: (v) => api('POST', '/api/auth/reset/confirm', { token, new_password: v.new_password }),
    handled: (err, form) => {
      if (!err.fields?.token) return false;
      carried = null;
      settle(form, 'This link has expired',
        h('p', { class: 'lead', text: 'Reset links work once, for an hour, and this one has expired or was already used.' }),
        askAgain('Ask for a new link'));
      return true;
    },
    done: async (_, form) => {
      carried = null;
      const here = Boolean(session.user);
      await ended();
      settle(form, 'Your new password is set',
        h('p', { class: 'lead', text: 'For your safety, every device that was signed in has been signed out. Sign in again with your new password.' }),
        here ? h('p', { text: 'Everything saved on this device is safe.' }) : null,
        h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', onclick: () => navigate(here ? '/signin?again=1' : '/signin') }, 'Sign in')));
    },
  });
}
