// What the server refused on one record, shown where the person can fix it:
// each message next to its field, and a short alert that says the same and
// offers to discard the change.

import { h, clear } from './ui.js';
import * as store from './store.js';

// The server's messages by field name, from every refused mutation of `record`.
export function refusedMessages(record) {
  const out = {};
  for (const x of record._rejected ?? []) {
    for (const [name, msgs] of Object.entries(x.error?.fields ?? {})) out[name] = [].concat(msgs).join(' ');
  }
  return out;
}

// `fields`: { name: a ui.field() result } — each gets its message or none.
// `box` gets the alert while anything is refused; `onDiscarded` runs after
// "Discard" (a record the server never had is gone then).
export function showRefused(record, entity, fields, box, onDiscarded = () => {}) {
  const messages = refusedMessages(record);
  for (const [name, f] of Object.entries(fields)) f.setError(messages[name] ?? null);
  clear(box);
  if (!record._rejected?.length) return;
  const labelOf = (name) => fields[name]?.wrap.querySelector('label')?.textContent ?? name.replace(/_/g, ' ');
  const details = Object.entries(messages).map(([name, msg]) => `${labelOf(name)}: ${msg}`);
  const general = record._rejected.filter((x) => !x.error?.fields).map((x) => x.error?.message ?? '');
  box.append(h('div', { class: 'alert', role: 'alert' },
    h('p', {}, h('strong', { text: record._local ? 'This isn’t saved yet. ' : 'This change couldn’t be saved. ' }), general.join(' ')),
    details.length ? h('ul', {}, details.map((d) => h('li', { text: d }))) : null,
    h('p', { class: 'small', text: record._local ? 'Fix it below, or discard it.' : 'Fix it below, or discard the change to go back to what’s saved.' }),
    h('button', { type: 'button', class: 'secondary', onclick: async () => {
      await store.discardRejected(entity, record.id);
      onDiscarded();
    } }, record._local ? 'Discard it' : 'Discard my change')));
}
