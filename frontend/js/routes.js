// Every screen and who may open it. A route is signed-in only unless it says
// otherwise:
//   signedOutOnly  for people who are not signed in (welcome, sign up, sign in);
//                  a signed-in person is sent to Today
//   everyone       open signed in or out (the reset link, the helplines), and
//                  never interrupted when a session ends (see main.js)
//   redirect       an old address: go there instead

import { h } from './ui.js';
import { welcomeView } from './views/welcome.js';
import { signUpView, signInView } from './views/auth.js';
import { forgotPasswordView, resetPasswordView } from './views/reset.js';
import { todayView } from './views/today.js';
import { logView } from './views/log.js';
import { rejectionsView } from './views/rejections.js';
import { rejectionView } from './views/rejection.js';
import { lessonsView } from './views/lessons.js';
import { helpView } from './views/help.js';

// A screen loaded when first opened, not with the app: the first load stays
// within its budget (SPEC §7). The service worker precaches it all the
// same, so it opens offline.
const lazy = (load, name) => async (ctx) => (await load())[name](ctx);
const insightsView = lazy(() => import('./views/insights.js'), 'insightsView');
const settingsView = lazy(() => import('./views/settings.js'), 'settingsView');

async function notFoundView() {
  return h('section', {},
    h('h1', { text: 'Page not found' }),
    h('p', {}, 'There’s nothing here. ', h('a', { href: '/' }, 'Go to the start'), '.'));
}

export const ROUTES = [
  { path: '/', view: welcomeView, signedOutOnly: true },
  { path: '/signup', view: signUpView, signedOutOnly: true },
  { path: '/signin', view: signInView, signedOutOnly: true },
  { path: '/forgot-password', view: forgotPasswordView, everyone: true },
  { path: '/reset-password', view: resetPasswordView, everyone: true },
  { path: '/help', view: helpView, everyone: true },
  { path: '/today', view: todayView },
  { path: '/log', view: logView },
  { path: '/rejections', view: rejectionsView },
  { path: '/rejections/:id', view: rejectionView },
  { path: '/lessons', view: lessonsView },
  { path: '/insights', view: insightsView },
  { path: '/settings', view: settingsView },
  { path: '/account', redirect: '/settings' }, // the old address of "You"
  { path: '*', view: notFoundView, everyone: true },
];

// Where to send someone instead of `route` (null: show it). Sign in stays
// open to a signed-in device whose session ended, so it can sign in again.
export function redirectFor(route, session) {
  if (!route) return null;
  if (route.redirect) return route.redirect;
  const signedIn = Boolean(session.user);
  if (route.signedOutOnly && signedIn && !(route.path === '/signin' && session.expired)) return '/today';
  if (!route.signedOutOnly && !route.everyone && !signedIn) return '/';
  return null;
}
