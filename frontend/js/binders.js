// Edit forms bound to one stored record: each field saves itself to the
// local store, and shows edits pulled from other devices unless the person
// is in it. A view makes the form, builds its fields, then `await
// form.watch()`:
//
//   const form = bindRecord(ctx, 'rejections', r);
//   const role = form.line('role', { label: 'Role', maxlength: 200 });
//   form.onUpdate((r) => { title.textContent = r.company; });
//   await form.watch();

import { h, clear, field, chips, debounce } from './ui.js';
import * as store from './store.js';

export function bindRecord(ctx, entity, record) {
  let r = record;
  const updaters = [];
  // A record the server never took (its create was refused) is sent whole
  // again with the fix: the refused fields are what the create needs.
  const save = (fields) => store.save(entity, r.id, r._local && r._rejected?.length
    ? Object.assign({}, ...r._rejected.map((x) => x.fields), fields) : fields);

  const form = {
    get record() { return r; },
    save,

    // `fn(record)` runs on every update: for the parts of the screen that
    // show the record but are not fields.
    onUpdate(fn) {
      updaters.push(fn);
    },

    update(next) {
      r = next;
      for (const fn of updaters) fn(r);
    },

    // Updates now and whenever the record changes in the store, until the
    // screen is left. A record deleted meanwhile keeps what is shown.
    watch() {
      let first = true;
      return ctx.watch(entity, async () => {
        const next = (await store.get(entity, r.id)) ?? (first ? r : null);
        first = false;
        if (next && ctx.isCurrent()) form.update(next);
      });
    },

    // A text area: saved while typing (debounced), on leaving it, when the
    // page is hidden and when the screen is left; updated only while the
    // person has no unsaved typing in it.
    text(name, opts) {
      const f = field({ name, multiline: true, maxlength: 10000, value: r[name] ?? '', ...opts });
      let dirty = false;
      const push = debounce(() => {
        if (!dirty) return;
        dirty = false;
        save({ [name]: f.input.value });
      }, 600);
      f.input.addEventListener('input', () => { dirty = true; push(); });
      f.input.addEventListener('change', () => push.flush());
      const other = otherVersion(entity, r.id, name, f);
      updaters.push(() => {
        if (!dirty && f.input.value !== (r[name] ?? '')) f.input.value = r[name] ?? '';
        other.show(r._others?.[name]);
      });
      const flushHidden = () => document.visibilityState === 'hidden' && push.flush();
      document.addEventListener('visibilitychange', flushHidden);
      ctx.onCleanup(() => {
        document.removeEventListener('visibilitychange', flushHidden);
        push.flush();
      });
      return f;
    },

    // A one-line input, saved trimmed when it changes (on leaving it).
    // `required`: the message shown instead of saving an empty value.
    // `ignoreEmpty`: an empty value is not saved (a date being typed).
    // `check(value)`: a message shown instead of saving; `nullable`: empty is saved as null.
    line(name, { required, ignoreEmpty = false, check, nullable = false, ...opts }) {
      const f = field({ name, value: r[name], required: Boolean(required), check, ...opts });
      f.input.addEventListener('change', () => {
        const v = f.input.value.trim();
        if (required) f.setError(v ? null : required);
        if (!v && (required || ignoreEmpty)) return;
        if (check && !f.validate()) return;
        save({ [name]: v === '' && nullable ? null : v });
      });
      updaters.push(() => {
        if (document.activeElement !== f.input) f.input.value = r[name] ?? '';
      });
      return f;
    },

    // One-tap chips (radio, or checkbox with `type: 'checkbox'`), saved on
    // every tap through `convert`. `fallback`: what the server fills in when
    // the field is missing, shown before a record made here has synced.
    choice(name, { fallback = [], ...opts }, convert = (v) => v) {
      const c = chips({ name: `${name}-${r.id}`, onchange: (v) => save({ [name]: convert(v) }), selected: r[name] ?? fallback, ...opts });
      updaters.push(() => {
        if (!c.el.contains(document.activeElement)) c.set(r[name] ?? fallback);
      });
      return c;
    },
  };
  return form;
}

// "Your other version": another device's text for a field this device was
// editing too (store.js keeps it). Shown under the field until the person
// keeps it (it replaces what is in the field) or discards it.
function otherVersion(entity, id, name, f) {
  const box = h('div', { class: 'other-version', role: 'group', hidden: true });
  const labelId = `${f.input.id}-other`;
  box.setAttribute('aria-labelledby', labelId);
  f.wrap.append(box);
  return {
    show(text) {
      if (typeof text !== 'string') {
        box.hidden = true;
        clear(box);
        return;
      }
      if (!box.hidden && box.dataset.text === text) return;
      box.dataset.text = text;
      clear(box).append(
        h('p', { id: labelId, class: 'other-title', text: 'Your other version' }),
        h('p', { class: 'hint', text: 'You wrote this on another device at about the same time. Which one should stay?' }),
        h('blockquote', { class: 'other-text', text }),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'secondary', onclick: async () => {
            f.input.value = text;
            await store.resolveOther(entity, id, name, text);
          } }, 'Keep this one'),
          h('button', { type: 'button', class: 'secondary', onclick: () => store.resolveOther(entity, id, name) }, 'Discard')));
      box.hidden = false;
    },
  };
}
