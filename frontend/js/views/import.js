// Import applications from a CSV file: choose it, see what would come in
// (per-row problems, duplicates skipped), confirm. Nothing is written until
// "Import" is pressed; then the rows go in chunks so the page stays alive.

import { h, clear, nextId, toast, showDate } from '../ui.js';
import * as store from '../store.js';
import { session } from '../session.js';
import { todayIn } from '../insights.js';
import { APPLICATION_STATUSES, labelOf } from '../content.js';
import { CsvRefused, HEADERS, MAX_ROWS, analyse, decode, importRows } from '../csv-import.js';

const zoneOf = () => session.user?.timezone || Intl.DateTimeFormat().resolvedOptions().timeZone;
const count = (n) => n.toLocaleString('en');
const plural = (n, one, many) => `${count(n)} ${n === 1 ? one : many}`;
const FIELD_NAMES = { company: 'Company', role: 'Role', url: 'Link', status: 'Status', applied_on: 'Date applied', source: 'Source', notes: 'Notes' };
const SHOWN = 50; // rows of each kind in the preview tables

function table(id, caption, head, rows) {
  return h('div', { id, class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption },
    h('table', {},
      h('caption', { text: caption }),
      h('thead', {}, h('tr', {}, head.map((x) => h('th', { scope: 'col', text: x })))),
      h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((x) => h('td', { text: x })))))));
}

function preview(result) {
  const problems = result.rows.filter((r) => r.problems.length);
  const dupes = result.rows.filter((r) => r.duplicate);
  const noted = result.rows.filter((r) => !r.problems.length && !r.duplicate && r.notes.length);
  const ready = result.ready;
  const mapped = Object.entries(result.names).map(([f, header]) => `${FIELD_NAMES[f]} ← “${header}”`);
  return h('div', { class: 'import-preview' },
    h('h2', { text: 'Before anything is saved' }),
    h('ul', { class: 'points', 'aria-label': 'What this file holds' },
      h('li', {}, h('strong', { text: plural(ready.length, 'application', 'applications') }), ' ready to import'),
      dupes.length ? h('li', { text: `${plural(dupes.length, 'row', 'rows')} skipped: already in Rebound or repeated in the file (same company, role and date)` }) : null,
      problems.length ? h('li', { text: `${plural(problems.length, 'row', 'rows')} skipped: each has a problem, listed below` }) : null),
    h('p', { class: 'small', text: `Columns used: ${mapped.join(', ')}.` }),
    result.unused.length ? h('p', { class: 'small muted', text: `Not used: ${result.unused.join(', ')}.` }) : null,
    problems.length ? table('import-problems', `Rows with a problem${problems.length > SHOWN ? ` (the first ${SHOWN})` : ''}`, ['Line', 'Company', 'Problem'],
      problems.slice(0, SHOWN).map((r) => [String(r.line), r.fields.company, r.problems.join(' ')])) : null,
    dupes.length ? table('import-duplicates', `Skipped as duplicates${dupes.length > SHOWN ? ` (the first ${SHOWN})` : ''}`, ['Line', 'Company', 'Why'],
      dupes.slice(0, SHOWN).map((r) => [String(r.line), r.fields.company, r.duplicate === 'existing' ? 'Already in Rebound' : 'Repeated in this file'])) : null,
    noted.length ? table('import-changed', 'Imported with a change', ['Line', 'Company', 'Note'],
      noted.slice(0, SHOWN).map((r) => [String(r.line), r.fields.company, r.notes.join(' ')])) : null,
    ready.length ? table('import-ready', `Ready to import${ready.length > SHOWN ? ` (the first ${SHOWN})` : ''}`, ['Company', 'Role', 'Date applied', 'Status'],
      ready.slice(0, SHOWN).map((f) => [f.company, f.role ?? '', showDate(f.applied_on), labelOf(APPLICATION_STATUSES, f.status)])) : null);
}

export async function importView() {
  const inputId = nextId('csv');
  const input = h('input', { type: 'file', id: inputId, class: 'file', accept: '.csv,text/csv,text/plain', 'aria-describedby': `${inputId}-hint` });
  const message = h('div', { role: 'alert', class: 'import-message' });
  const previewBox = h('div');
  const status = h('p', { class: 'status-line', role: 'status' });
  const bar = h('progress', { class: 'goal-bar', hidden: true, 'aria-label': 'Import progress' });
  const actions = h('div', { class: 'actions' });
  let result = null;

  const reset = () => {
    result = null;
    clear(message);
    clear(previewBox);
    clear(actions);
    status.textContent = '';
  };

  input.addEventListener('change', async () => {
    reset();
    const file = input.files?.[0];
    if (!file) return;
    try {
      const text = decode(await file.arrayBuffer());
      result = analyse(text, await store.list('applications'), todayIn(zoneOf()));
    } catch (err) {
      if (!(err instanceof CsvRefused)) throw err;
      message.append(h('div', { class: 'alert' }, h('p', {}, h('strong', { text: 'Nothing was imported. ' }), err.message)));
      return;
    }
    previewBox.append(preview(result));
    status.textContent = `Checked ${file.name}: ${plural(result.ready.length, 'application', 'applications')} ready to import. Nothing is saved yet.`;
    const go = h('button', { type: 'button', class: 'primary', disabled: !result.ready.length },
      result.ready.length ? `Import ${plural(result.ready.length, 'application', 'applications')}` : 'Nothing to import');
    go.addEventListener('click', () => run(go));
    actions.append(go, h('a', { href: '/applications', class: 'button secondary' }, 'Cancel'));
  });

  const run = async (go) => {
    const ready = result.ready;
    go.disabled = true;
    input.disabled = true;
    bar.max = ready.length;
    bar.value = 0;
    bar.hidden = false;
    await importRows(store.saveMany, ready, (done) => {
      bar.value = done;
      status.textContent = `Importing… ${count(done)} of ${count(ready.length)}`;
    });
    bar.hidden = true;
    status.textContent = `Imported ${plural(ready.length, 'application', 'applications')}.`;
    const see = h('a', { href: '/applications', class: 'button primary' }, 'See your applications');
    clear(actions).append(see);
    see.focus(); // the pressed button is gone: keep the keyboard's place
    toast(`Imported ${plural(ready.length, 'application', 'applications')}.`);
  };

  const headers = Object.entries(HEADERS).map(([f, names]) => `${FIELD_NAMES[f]}: ${names.join(', ')}`);
  return h('section', { class: 'import' },
    h('p', { class: 'back' }, h('a', { href: '/applications' }, '← All applications')),
    h('h1', { text: 'Import applications' }),
    h('p', { class: 'lead', text: 'From a spreadsheet or another tracker: export it as CSV, then choose the file here. You’ll see what comes in before anything is saved.' }),
    h('details', { class: 'more-details' },
      h('summary', { text: 'Which columns Rebound reads' }),
      h('p', { text: 'The first row names the columns, in any order and any case. Only a company column is needed.' }),
      h('ul', { class: 'points' }, headers.map((x) => h('li', { text: x }))),
      h('p', { class: 'small', text: `Up to ${count(MAX_ROWS)} rows per file. Rows with the same company, role and date as one already here are skipped.` })),
    h('div', { class: 'field' },
      h('label', { for: inputId, text: 'CSV file' }),
      h('p', { class: 'hint', id: `${inputId}-hint`, text: 'A .csv file with a header row.' }),
      input),
    message, previewBox, bar, status, actions);
}
