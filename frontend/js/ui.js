// DOM helpers. Text always goes in through textContent or text nodes,
// never through HTML parsing, so nothing a user types can become markup.

let uid = 0;
export const nextId = (prefix = 'f') => `${prefix}-${++uid}`;

export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'value') el.value = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

// A labelled input or textarea with an optional hint and an error slot.
// `check(value)` returns a message or null; `validate()` shows it. A shown
// message goes as soon as the field is valid again (a server's message, which
// has no check here, as soon as the person edits the field).
export function field({ label, name, type = 'text', value = '', hint, multiline = false, check, ...attrs }) {
  const id = nextId(name);
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint`, text: hint }) : null;
  const error = h('p', { class: 'error', id: `${id}-error`, hidden: true });
  const describedBy = [hintEl && hintEl.id, error.id].filter(Boolean).join(' ');
  const input = multiline
    ? h('textarea', { id, name, rows: 4, 'aria-describedby': describedBy, ...attrs })
    : h('input', { id, name, type, 'aria-describedby': describedBy, ...attrs });
  input.value = value ?? '';
  const wrap = h('div', { class: 'field' }, h('label', { for: id, text: label }), hintEl, input, error);
  const setError = (msg) => {
    error.textContent = msg ?? '';
    error.hidden = !msg;
    if (msg) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  };
  input.addEventListener('input', () => {
    if (!error.hidden) setError(check ? check(input.value) : null);
  });
  return { wrap, input, setError, validate() {
    const msg = check ? check(input.value) : null;
    setError(msg);
    return !msg;
  } };
}

// One-tap choices: radios (type "radio") or toggles (type "checkbox"),
// real inputs so they work with a keyboard and a screen reader.
export function chips({ legend, name, options, type = 'radio', selected = [], hint, onchange }) {
  const chosen = new Set([].concat(selected ?? []).map(String));
  const group = h('fieldset', { class: 'chips' }, h('legend', { text: legend }));
  if (hint) group.append(h('p', { class: 'hint', text: hint }));
  if (type === 'radio') {
    // A radio group is one Tab stop; say how to move inside it (shown while
    // the keyboard is in the group, read out with the group).
    const keys = h('p', { class: 'keys-hint', id: nextId('keys'), text: 'Use the arrow keys to move between the choices.' });
    group.setAttribute('aria-describedby', keys.id);
    group.append(keys);
  }
  const row = h('div', { class: 'chip-row' });
  for (const [value, label] of options) {
    const input = h('input', { type, name, value: String(value), class: 'chip-input' });
    input.checked = chosen.has(String(value));
    row.append(h('label', { class: 'chip' }, input, h('span', { text: label })));
  }
  group.append(row);
  const read = () => {
    const vals = [...row.querySelectorAll('input:checked')].map((i) => i.value);
    return type === 'radio' ? (vals[0] ?? null) : vals;
  };
  if (onchange) group.addEventListener('change', () => onchange(read()));
  return { el: group, read, set(values) {
    const want = new Set([].concat(values ?? []).map(String));
    for (const i of row.querySelectorAll('input')) i.checked = want.has(i.value);
  } };
}

let toastTimer = null;
export function toast(message, action) {
  const box = document.getElementById('toast');
  clearTimeout(toastTimer);
  clear(box).append(h('span', { text: message }));
  if (action) {
    box.append(h('button', { type: 'button', class: 'link-button', onclick: async () => {
      clear(box);
      box.classList.remove('show');
      await action.run();
    } }, action.label));
  }
  box.classList.add('show');
  toastTimer = setTimeout(() => {
    box.classList.remove('show');
    clear(box);
  }, action?.ms ?? 4000);
}

// A modal question. Resolves true for the confirming button.
export function ask({ title, body, confirm, cancel = 'Cancel', danger = false }) {
  return new Promise((resolve) => {
    const titleId = nextId('dlg');
    const dlg = h('dialog', { class: 'dialog', 'aria-labelledby': titleId },
      h('h2', { id: titleId, text: title }),
      h('p', { text: body }),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', value: 'no', onclick: () => dlg.close('no') }, cancel),
        h('button', { type: 'button', class: danger ? 'danger' : 'primary', onclick: () => dlg.close('yes') }, confirm)));
    dlg.addEventListener('close', () => {
      dlg.remove();
      resolve(dlg.returnValue === 'yes');
    });
    document.body.append(dlg);
    dlg.showModal();
  });
}

// Dates -----------------------------------------------------------------

export function localDate(d = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function showDate(iso) {
  if (!iso) return '';
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  const date = new Date(y, m - 1, d);
  const opts = { day: 'numeric', month: 'short' };
  if (y !== new Date().getFullYear()) opts.year = 'numeric';
  return new Intl.DateTimeFormat(undefined, opts).format(date);
}

export function debounce(fn, ms) {
  let t = null;
  const wrapped = (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
  wrapped.flush = (...args) => {
    clearTimeout(t);
    return fn(...args);
  };
  return wrapped;
}

// An empty screen: a small drawing, a plain line or two, and one next step
// (`action`: an element, e.g. a link styled as a button).
export function emptyState({ title, text, action }) {
  return h('div', { class: 'empty-state' }, sprout(), h('p', { class: 'empty-title', text: title }),
    text ? h('p', { class: 'muted', text }) : null, action ?? null);
}

// An SVG element, made with DOM calls (no markup parsing): `svgEl('path', { d })`.
export function svgEl(tag, attrs, ...children) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

// A small line icon (24 × 24, drawn with the text colour), hidden from screen readers.
export function lineIcon(...paths) {
  return svgEl('svg', { viewBox: '0 0 24 24', class: 'line-icon', 'aria-hidden': 'true', focusable: 'false' },
    ...paths.map((d) => svgEl('path', { d })));
}

// A sprout in a soft circle.
function sprout() {
  const el = svgEl;
  const svg = el('svg', { viewBox: '0 0 96 96', width: '96', height: '96', 'aria-hidden': 'true', focusable: 'false', class: 'empty-art' });
  svg.append(
    el('circle', { cx: '48', cy: '48', r: '44', class: 'art-soft' }),
    el('path', { d: 'M30 72h36', class: 'art-line' }),
    el('path', { d: 'M48 72V44', class: 'art-line' }),
    el('path', { d: 'M48 52c-12 0-18-8-18-18 10 0 18 6 18 18z', class: 'art-leaf' }),
    el('path', { d: 'M48 46c0-12 8-20 20-20 0 12-8 20-20 20z', class: 'art-leaf' }));
  return svg;
}
