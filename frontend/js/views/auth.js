// Sign up and sign in. Each screen has one field labelled "Email" and one
// labelled "Password" (SPEC §7).

import { h, field } from '../ui.js';
import { navigate } from '../router.js';
import { signUp, signIn } from '../session.js';
import { NetworkError } from '../api.js';

// "in about 27 minutes", from a 429's Retry-After (seconds).
export function waitWords(seconds) {
  if (!seconds) return 'in a little while';
  const m = Math.ceil(seconds / 60);
  if (m <= 1) return 'in a minute';
  if (m < 90) return `in about ${m} minutes`;
  const hours = Math.round(m / 60);
  return `in about ${hours} hour${hours === 1 ? '' : 's'}`;
}

const OFFLINE = 'You seem to be offline. This needs a connection — try again in a moment.';

// A titled form that checks its fields, calls `action` with their values,
// then `done` (by default: open Today). `handled(err, form)` may take over
// an error; otherwise the server's message shows above the form and its
// per-field messages under their fields.
export function authForm({ title, intro, submit, fields, action, footer,
  done = () => navigate('/today', { replace: true }), handled = () => false, offline = OFFLINE }) {
  const alert = h('p', { class: 'alert', role: 'alert', hidden: true });
  const button = h('button', { type: 'submit', class: 'primary' }, submit);
  const form = h('form', { class: 'form', novalidate: true }, alert, fields.map((f) => f.wrap), button);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    alert.hidden = true;
    fields.forEach((f) => f.setError(null));
    const values = Object.fromEntries(fields.map((f) => [f.input.name, f.input.value]));
    const problems = fields.filter((f) => f.check && f.check(f.input.value));
    problems.forEach((f) => f.setError(f.check(f.input.value)));
    if (problems.length) {
      problems[0].input.focus();
      return;
    }
    button.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      await action(values);
    } catch (err) {
      button.disabled = false;
      form.removeAttribute('aria-busy');
      if (handled(err, form)) return;
      let message = err.message;
      if (err instanceof NetworkError) message = offline;
      else if (err.status === 429) message = `Too many tries for now. Try again ${waitWords(err.retryAfter)}.`;
      for (const f of fields) {
        const msgs = err.fields?.[f.input.name === 'displayName' ? 'display_name' : f.input.name];
        if (msgs) f.setError([].concat(msgs).join(' '));
      }
      alert.textContent = message;
      alert.hidden = false;
      return;
    }
    await done(values, form);
  });
  return h('section', { class: 'auth' }, h('h1', { text: title }), intro, form, footer);
}

export const email = () => Object.assign(field({ label: 'Email', name: 'email', type: 'email', autocomplete: 'email', required: true, inputmode: 'email' }),
  { check: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : 'Enter your email address, like name@example.com.') });

export async function signUpView() {
  const password = Object.assign(
    field({ label: 'Password', name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: 10, hint: 'At least 10 characters.' }),
    { check: (v) => (v.length >= 10 ? null : 'Use at least 10 characters.') });
  const name = field({ label: 'What should we call you? (optional)', name: 'displayName', autocomplete: 'given-name', maxlength: 200 });
  return authForm({
    title: 'Create your account',
    intro: h('p', { class: 'lead', text: 'Your notes stay private to you. You can delete everything at any time.' }),
    submit: 'Sign up',
    fields: [email(), password, name],
    action: (v) => signUp({ email: v.email.trim(), password: v.password, displayName: v.displayName.trim() }),
    footer: h('p', {}, 'Already have an account? ', h('a', { href: '/signin' }, 'Sign in instead')),
  });
}

export async function signInView(ctx) {
  const password = Object.assign(
    field({ label: 'Password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    { check: (v) => (v ? null : 'Enter your password.') });
  const again = ctx.query.has('again')
    ? h('p', { class: 'notice', text: 'You were signed out on this device. Sign in again to keep syncing — everything saved here is safe.' })
    : h('p', { class: 'lead', text: 'Good to see you.' });
  return authForm({
    title: 'Sign in',
    intro: again,
    submit: 'Sign in',
    fields: [email(), password],
    action: (v) => signIn({ email: v.email.trim(), password: v.password }),
    footer: [
      h('p', {}, h('a', { href: '/forgot-password', class: 'more' }, 'Forgot your password?')),
      h('p', {}, 'New here? ', h('a', { href: '/signup' }, 'Create an account')),
    ],
  });
}
