// Every screen and who may open it. A route is signed-in only unless it says
// otherwise:
//   signedOutOnly  for people who are not signed in (welcome, sign up, sign in);
//                  a signed-in person is sent to Today
//   everyone       open signed in or out (the reset link, the helplines), and
//                  never interrupted when a session ends (see main.js)
//   redirect       an old address: go there instead

import { h } from './ui.js';
import { welcomeView } from './views/welcome.js';

// Every other screen is loaded when first opened, not with the app: the
// welcome page's first load stays small (SPEC §7). The service worker
// precaches them all the same, so each opens offline.
const lazy = (load, name) => async (ctx) => (await load())[name](ctx);
const signUpView = lazy(() => import('./views/auth.js'), 'signUpView');
const signInView = lazy(() => import('./views/auth.js'), 'signInView');
const forgotPasswordView = lazy(() => import('./views/reset.js'), 'forgotPasswordView');
const resetPasswordView = lazy(() => import('./views/reset.js'), 'resetPasswordView');
const todayView = lazy(() => import('./views/today.js'), 'todayView');
const logView = lazy(() => import('./views/log.js'), 'logView');
const rejectionsView = lazy(() => import('./views/rejections.js'), 'rejectionsView');
const rejectionView = lazy(() => import('./views/rejection.js'), 'rejectionView');
const lessonsView = lazy(() => import('./views/lessons.js'), 'lessonsView');
const helpView = lazy(() => import('./views/help.js'), 'helpView');
const insightsView = lazy(() => import('./views/insights.js'), 'insightsView');
const settingsView = lazy(() => import('./views/settings.js'), 'settingsView');
const breaksView = lazy(() => import('./views/breaks.js'), 'breaksView');
const supportView = lazy(() => import('./views/support.js'), 'supportView');
const newContactView = lazy(() => import('./views/contact.js'), 'newContactView');
const contactView = lazy(() => import('./views/contact.js'), 'contactView');
const applicationsView = lazy(() => import('./views/applications.js'), 'applicationsView');
const applicationView = lazy(() => import('./views/application.js'), 'applicationView');
const newApplicationView = lazy(() => import('./views/application.js'), 'newApplicationView');
const importView = lazy(() => import('./views/import.js'), 'importView');
const inboxView = lazy(() => import('./views/inbox.js'), 'inboxView');

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
  { path: '/breaks', view: breaksView },
  { path: '/support', view: supportView },
  { path: '/support/new', view: newContactView },
  { path: '/support/:id', view: contactView },
  { path: '/applications', view: applicationsView },
  { path: '/applications/new', view: newApplicationView },
  { path: '/applications/import', view: importView },
  { path: '/applications/:id', view: applicationView },
  { path: '/account', redirect: '/settings' }, // the old address of "You"
  { path: '/inbox', view: inboxView },
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
