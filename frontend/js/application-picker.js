// Links a rejection being logged to one of the person's applications: type
// the company and matching open applications are offered (the link is
// optional); opened from an application (/log?application=<id>) it is
// filled and linked already. Saving the rejection closes the application
// as rejected here at once (the server does the same on its side).

import { h, clear, chips } from './ui.js';
import * as store from './store.js';

const NONE = 'none';
const norm = (s) => (s ?? '').trim().toLowerCase();

// `company` and `role` are the log form's fields ({ input }).
export async function applicationPicker(company, role, fromId) {
  const { isOpen } = await import('./pipeline.js'); // not needed for the first load
  const apps = (await store.list('applications')).filter(isOpen);
  const from = fromId ? await store.get('applications', fromId) : null;
  if (from) {
    company.input.value = from.company ?? '';
    if (from.role) role.input.value = from.role;
  }
  // The browser's own suggestions as the company is typed.
  const listId = 'application-companies';
  const datalist = h('datalist', { id: listId },
    [...new Set(apps.map((a) => a.company).filter(Boolean))].sort().map((c) => h('option', { value: c })));
  company.input.setAttribute('list', listId);

  const box = h('div', { class: 'picker', 'aria-live': 'polite' });
  let chosen = from?.id ?? null;
  let group = null;
  const draw = () => {
    const typed = norm(company.input.value);
    const matches = typed ? apps.filter((a) => norm(a.company).startsWith(typed)).slice(0, 4) : [];
    if (from && !matches.some((a) => a.id === from.id)) matches.unshift(from);
    clear(box);
    group = null;
    if (!matches.length) {
      chosen = null;
      return;
    }
    if (!matches.some((a) => a.id === chosen)) chosen = null;
    group = chips({
      legend: 'Is it one of your applications? (optional)',
      name: 'application',
      options: [...matches.map((a) => [a.id, [a.company, a.role].filter(Boolean).join(' — ')]), [NONE, 'None of these']],
      selected: chosen ?? NONE,
      onchange: (v) => {
        chosen = v === NONE ? null : v;
        const app = matches.find((a) => a.id === chosen);
        if (app?.role && !role.input.value.trim()) role.input.value = app.role;
      },
    });
    box.append(group.el);
  };
  company.input.addEventListener('input', draw);
  draw();

  return {
    el: h('div', {}, datalist, box),
    // The link for the rejection's fields ({} when none was picked).
    fields: () => (chosen ? { application_id: chosen } : {}),
    // After the rejection is saved: its application is closed as rejected.
    saved: async () => {
      if (chosen) await store.save('applications', chosen, { status: 'rejected' });
    },
  };
}
