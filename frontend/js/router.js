// History-style routes (/today, /rejections/<id>): Flask answers any
// non-file path with index.html and the service worker serves the cached
// shell for every navigation, so deep links work online and offline.
// The table itself is in routes.js; a view gets a `ctx` (see render()).

import * as db from './db.js';

const routes = [];
let guard = () => null;
let current = null;
let token = 0;
let first = true;

// `table`: [{ path, view, ...options }]; `path` may hold `:name` parts, and
// '*' is the screen for a path nothing else matches. The options stay on the
// route for the guard and for here().
export function setRoutes(table) {
  routes.length = 0;
  for (const { path, ...rest } of table) {
    const keys = [];
    const re = path === '*' ? /(?!)/
      : new RegExp(`^${path.replace(/:(\w+)/g, (_, k) => { keys.push(k); return '([^/]+)'; })}/?$`);
    routes.push({ ...rest, path, re, keys });
  }
}

// `fn(route or null)` returns a path to go to instead, or null to show it.
export function setGuard(fn) {
  guard = fn;
}

// Goes to `path`, unless the screen shown asks first (ctx.beforeLeave) and the
// person stays; `force` skips that question (a session that ended, a wipe).
// Resolves false when nothing moved.
export async function navigate(path, { replace = false, force = false } = {}) {
  if (!force && !(await mayLeave())) return false;
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  return render();
}

async function mayLeave() {
  const ask = current?.beforeLeave;
  return ask ? (await ask()) !== false : true;
}

function match(path) {
  for (const r of routes) {
    const m = r.re.exec(path);
    if (m) return { ...r, params: Object.fromEntries(r.keys.map((k, i) => [k, decodeURIComponent(m[i + 1])])) };
  }
  return null;
}

// The route shown now (with its options), or null.
export function here() {
  return match(location.pathname);
}

export async function render() {
  const my = ++token;
  const found = match(location.pathname);
  const redirect = guard(found);
  if (redirect) return navigate(redirect, { replace: true, force: true });
  const cleanups = [];
  const screen = { cleanups, beforeLeave: null };
  const isCurrent = () => my === token;
  const ctx = {
    params: found?.params ?? {},
    query: new URLSearchParams(location.search),
    onCleanup: (fn) => cleanups.push(fn),
    isCurrent,
    watch: (entities, draw) => watch(entities, draw, cleanups),
    // `fn()` answers whether a tap elsewhere may leave this screen (it may ask
    // in a dialog). The back button is not asked: a screen that can lose
    // work keeps a draft instead.
    beforeLeave: (fn) => { screen.beforeLeave = fn; },
  };
  const view = found?.view ?? routes.find((r) => r.path === '*').view;
  let el;
  try {
    el = await view(ctx);
  } catch (err) {
    reportError(err); // still an uncaught error for the console and the tests
    el = document.createElement('section');
    const h1 = document.createElement('h1');
    h1.textContent = 'Something went wrong';
    const p = document.createElement('p');
    p.textContent = 'Your data is safe on this device. Try going back, or reload the app.';
    el.append(h1, p);
  }
  if (my !== token) {
    cleanups.forEach((fn) => fn());
    return;
  }
  current?.cleanups.forEach((fn) => fn());
  current = screen;
  const main = document.getElementById('main');
  main.replaceChildren(el);
  const heading = main.querySelector('h1');
  document.title = heading ? `${heading.textContent} · Rebound` : 'Rebound';
  // The current place in the bottom bar; `data-also` lists the other paths
  // that belong to it (the log flow and lessons are part of the Journal).
  for (const a of document.querySelectorAll('#tabs a')) {
    const places = [a.pathname, ...(a.dataset.also ?? '').split(' ').filter(Boolean)];
    const here = places.some((p) => location.pathname === p || location.pathname.startsWith(`${p}/`));
    if (here) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (!first && heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
  if (!location.hash) scrollTo(0, 0);
  else document.getElementById(location.hash.slice(1))?.scrollIntoView();
  first = false;
}

// `fn` made one-at-a-time: a call while it runs gives one more run after it (not
// one per call), so the last run always sees the latest data; `alive()` false
// drops the run still owed.
export function serially(fn, alive = () => true) {
  let busy = false;
  let again = false;
  return async () => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        await fn();
      } while (again && alive());
    } finally {
      busy = false;
    }
  };
}

// ctx.watch(entities, draw): runs `draw` now and again whenever a record of
// one of `entities` (a name or a list) changes in the store, or the store is
// wiped, until the screen is left. Resolves after the first draw. Draws never
// overlap: a change during a draw gives one more draw after it, so the last
// one always reads the latest data.
function watch(entities, draw, cleanups) {
  const names = [].concat(entities);
  let live = true;
  const run = serially(draw, () => live);
  const onChange = (e) => {
    const entity = e.detail?.entity;
    if (live && (!entity || names.includes(entity))) run();
  };
  db.events.addEventListener('change', onChange);
  cleanups.push(() => {
    live = false;
    db.events.removeEventListener('change', onChange);
  });
  return run();
}

export function start() {
  addEventListener('popstate', render);
  document.addEventListener('click', (e) => {
    const a = e.target.closest('a[href]');
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    if (a.origin !== location.origin || a.target || a.hasAttribute('download')) return;
    if (a.pathname.startsWith('/api/')) return;
    e.preventDefault();
    navigate(a.pathname + a.search + a.hash);
  });
  return render();
}
