// One application: its status in one tap, its details saved as you edit
// them, and "Log a rejection" for it. Also the form that adds one.
// A link is kept only when it is http or https, and only such a link is
// ever rendered (pipeline.js `safeUrl`).

import { h, clear, field, chips, toast } from '../ui.js';
import { bindRecord } from '../binders.js';
import { navigate } from '../router.js';
import * as store from '../store.js';
import { session } from '../session.js';
import { todayIn } from '../insights.js';
import { APPLICATION_STATUSES } from '../content.js';
import { statusAge, safeUrl, readUrl, dateProblem } from '../pipeline.js';

const ENTITY = 'applications';
const zoneOf = () => session.user?.timezone || Intl.DateTimeFormat().resolvedOptions().timeZone;
const today = () => todayIn(zoneOf());
const COMPANY_NEEDED = 'Which company is it? That’s the only thing we need.';

// Reads a typed value: { value } to save or { problem } to show instead.
const checks = {
  url: (v) => {
    const { url, problem } = readUrl(v);
    return problem ? { problem } : { value: url };
  },
  applied_on: (v) => {
    const problem = dateProblem(v, today());
    return problem ? { problem } : { value: v };
  },
};

// A one-line field of the record saved on change only when its check
// passes; otherwise the message shows by it and nothing is saved.
function checkedLine(form, name, check, opts) {
  const f = field({ name, value: form.record[name] ?? '', ...opts });
  f.input.addEventListener('change', () => {
    const { value, problem } = check(f.input.value);
    f.setError(problem ?? null);
    if (!problem) form.save({ [name]: value });
  });
  form.onUpdate((r) => {
    if (document.activeElement !== f.input && f.input.getAttribute('aria-invalid') !== 'true') f.input.value = r[name] ?? '';
  });
  return f;
}

function refusedBox(form, id) {
  const box = h('div');
  form.onUpdate((r) => {
    clear(box);
    for (const x of r._rejected ?? []) {
      const details = Object.entries(x.error.fields ?? {}).map(([k, v]) => `${k.replace(/_/g, ' ')}: ${[].concat(v).join(' ')}`);
      box.append(h('div', { class: 'alert', role: 'alert' },
        h('p', {}, h('strong', { text: 'This change couldn’t be saved. ' }), x.error.message ?? ''),
        details.length ? h('ul', {}, details.map((d) => h('li', { text: d }))) : null,
        h('button', { type: 'button', class: 'secondary', onclick: () => store.discardRejected(ENTITY, id) }, 'Discard my change')));
    }
  });
  return box;
}

export async function applicationView(ctx) {
  const { id } = ctx.params;
  const app = await store.get(ENTITY, id);
  if (!app) {
    return h('section', {},
      h('h1', { text: 'Not on this device' }),
      h('p', { text: 'This application isn’t here. It may have been deleted, or it hasn’t synced yet.' }),
      h('a', { href: '/applications', class: 'button secondary' }, 'All applications'));
  }
  const form = bindRecord(ctx, ENTITY, app);
  const title = h('h1');
  const meta = h('p', { class: 'lead' });
  const linkBox = h('p');
  form.onUpdate((r) => {
    title.textContent = r.company || 'Untitled';
    meta.textContent = [r.role, statusAge(r, today())].filter(Boolean).join(' · ');
    const href = safeUrl(r.url);
    clear(linkBox).append(href ? h('a', { href, class: 'more', target: '_blank', rel: 'noopener noreferrer' }, 'Open the job ad') : '');
  });
  const refused = refusedBox(form, id);
  const status = form.choice('status', { legend: 'Where it stands', options: APPLICATION_STATUSES, fallback: 'applied' });
  const company = form.line('company', { label: 'Company', maxlength: 200, required: COMPANY_NEEDED, autocomplete: 'organization' });
  const role = form.line('role', { label: 'Role', maxlength: 200 });
  const url = checkedLine(form, 'url', checks.url, { label: 'Link to the job ad', type: 'url', inputmode: 'url', maxlength: 2000, hint: 'An address starting with http:// or https://' });
  const applied = checkedLine(form, 'applied_on', checks.applied_on, { label: 'Date applied', type: 'date' });
  const source = form.line('source', { label: 'Where you found it', maxlength: 200 });
  const notes = form.text('notes', { label: 'Notes', rows: 4 });

  const logIt = h('a', { href: `/log?application=${id}`, class: 'button secondary' }, 'Log a rejection for this');
  const remove = h('button', { type: 'button', class: 'danger', onclick: async () => {
    const undo = await store.remove(ENTITY, id, 5000);
    const name = form.record.company;
    await navigate('/applications');
    toast(`Deleted ${name || 'the application'}.`, { label: 'Undo', ms: 5000, run: async () => {
      if (await undo()) toast('Brought it back.');
    } });
  } }, 'Delete this application');

  await form.watch();
  return h('article', { class: 'detail application' },
    h('p', { class: 'back' }, h('a', { href: '/applications' }, '← All applications')),
    title, meta, linkBox, refused,
    status.el,
    h('p', { class: 'muted small', text: 'Heard no? Log it as a rejection: it closes this application and gives you a place to reflect.' }),
    h('div', { class: 'actions' }, logIt),
    h('section', { 'aria-labelledby': 'h-details' },
      h('h2', { id: 'h-details', text: 'Details' }),
      company.wrap, role.wrap, url.wrap, applied.wrap, source.wrap, notes.wrap),
    h('div', { class: 'actions end' }, remove));
}

// Add an application: only the company is required; nothing is saved
// while a field has a problem.
export async function newApplicationView() {
  const company = field({ label: 'Company', name: 'company', required: true, maxlength: 200, autocomplete: 'organization' });
  const role = field({ label: 'Role (optional)', name: 'role', maxlength: 200 });
  const url = field({ label: 'Link to the job ad (optional)', name: 'url', type: 'url', inputmode: 'url', maxlength: 2000, hint: 'An address starting with http:// or https://' });
  const applied = field({ label: 'Date applied', name: 'applied_on', type: 'date', value: today() });
  const status = chips({ legend: 'Where it stands', name: 'status', options: APPLICATION_STATUSES.slice(0, 4), selected: 'applied' });
  const notes = field({ label: 'Notes (optional)', name: 'notes', multiline: true, rows: 3, maxlength: 10000 });
  const form = h('form', { class: 'form', novalidate: true },
    company.wrap, role.wrap, url.wrap, applied.wrap, status.el, notes.wrap,
    h('div', { class: 'actions' },
      h('a', { href: '/applications', class: 'button secondary' }, 'Cancel'),
      h('button', { type: 'submit', class: 'primary' }, 'Save application')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = company.input.value.trim();
    const link = checks.url(url.input.value);
    const date = checks.applied_on(applied.input.value);
    company.setError(name ? null : COMPANY_NEEDED);
    url.setError(link.problem ?? null);
    applied.setError(date.problem ?? null);
    const bad = [[!name, company], [link.problem, url], [date.problem, applied]].find(([p]) => p);
    if (bad) {
      bad[1].input.focus();
      return;
    }
    const fields = { company: name, applied_on: date.value, status: status.read() ?? 'applied' };
    if (role.input.value.trim()) fields.role = role.input.value.trim();
    if (link.value) fields.url = link.value;
    if (notes.input.value.trim()) fields.notes = notes.input.value;
    await store.save(ENTITY, null, fields);
    await navigate('/applications');
    toast(`Added ${name}.`);
  });
  return h('section', { class: 'new-application' },
    h('p', { class: 'back' }, h('a', { href: '/applications' }, '← All applications')),
    h('h1', { text: 'Add an application' }),
    form);
}
