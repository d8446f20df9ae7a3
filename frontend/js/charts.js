// Small SVG charts drawn by the app (no chart library). Each returns an
// <svg> with role="img"; the caller puts it in a <figure> whose caption
// holds the figures in words, with a table behind a toggle (figure()), so
// nothing is only in the picture. Colours come from CSS classes (app.css,
// "Charts"), so dark mode and contrast live in one place. Text goes in
// through textContent only.

import { h, nextId } from './ui.js';

const NS = 'http://www.w3.org/2000/svg';
const W = 340; // the viewBox width; the SVG scales to its box

export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') el.textContent = v;
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) if (c) el.append(c);
  return el;
}

const round1 = (n) => Math.round(n * 10) / 10;

function frame(height, labelledBy) {
  return s('svg', {
    viewBox: `0 0 ${W} ${height}`, class: 'chart', role: 'img', 'aria-labelledby': labelledBy,
    preserveAspectRatio: 'xMidYMid meet',
  });
}

// A "nice" top for a y axis and its ticks (0, step, … top).
function ticksFor(max, wanted = 4) {
  if (max <= 0) return { top: 1, ticks: [0, 1] };
  const rough = max / wanted;
  const mag = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((m) => m >= rough);
  const top = Math.ceil(max / step) * step;
  const ticks = [];
  for (let t = 0; t <= top + 1e-9; t += step) ticks.push(round1(t));
  return { top, ticks };
}

// A figure: the chart, a caption with the figures (which also names the
// chart for screen readers), and the numbers as a table behind a toggle.
export function figure({ title, caption, chart, table, extra }) {
  const captionId = nextId('cap');
  const fig = h('figure', { class: 'chart-figure' },
    h('h2', { text: title }),
    chart ? chart(captionId) : null,
    h('figcaption', { id: captionId, class: 'caption' }, caption),
    extra ?? null);
  if (table) {
    fig.append(h('details', { class: 'numbers' },
      h('summary', { text: 'Show the numbers' }),
      dataTable({ label: `${title}: the numbers`, ...table })));
  }
  return fig;
}

// { caption, head: [...], rows: [[...], ...] } → a plain <table>.
export function dataTable({ caption, head, rows, label = caption ?? 'The numbers' }) {
  // Focusable, so a table wider than a phone can be scrolled with the keyboard.
  return h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': label },
    h('table', {},
      caption ? h('caption', { text: caption }) : null,
      h('thead', {}, h('tr', {}, head.map((c, i) => h('th', { scope: 'col', class: i ? 'num' : null, text: c })))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => (i
        ? h('td', { class: 'num', text: c })
        : h('th', { scope: 'row', text: c }))))))));
}

// Bars side by side per group (weeks): `labels` under the groups, `series`
// [{ name, cls, values }]. Every `labelEvery`-th label is written.
export function groupedBars({ labels, series, labelEvery = 1, height = 190 }) {
  return (labelledBy) => {
    const svg = frame(height, labelledBy);
    const left = 28;
    const bottom = height - 24;
    const top = 10;
    const max = Math.max(0, ...series.flatMap((se) => se.values));
    const { top: yTop, ticks } = ticksFor(max);
    const y = (v) => bottom - (v / yTop) * (bottom - top);
    for (const t of ticks) {
      svg.append(s('line', { x1: left, x2: W, y1: y(t), y2: y(t), class: 'grid' }),
        s('text', { x: left - 6, y: y(t) + 4, class: 'axis', 'text-anchor': 'end', text: String(t) }));
    }
    const groupW = (W - left) / labels.length;
    const gap = Math.max(1, groupW * 0.18);
    const barW = (groupW - gap) / series.length;
    labels.forEach((label, i) => {
      const x0 = left + i * groupW + gap / 2;
      series.forEach((se, j) => {
        const v = se.values[i];
        if (v > 0) {
          svg.append(s('rect', { x: x0 + j * barW, y: y(v), width: Math.max(1, barW - 1), height: bottom - y(v), rx: 1.5, class: se.cls }));
        }
      });
      if (i % labelEvery === 0 || i === labels.length - 1) {
        svg.append(s('text', { x: x0 + (groupW - gap) / 2, y: height - 6, class: 'axis', 'text-anchor': 'middle', text: label }));
      }
    });
    svg.append(s('line', { x1: left, x2: W, y1: bottom, y2: bottom, class: 'baseline' }));
    return svg;
  };
}

// Horizontal bars, one per row: [{ label, value, cls }], each bar's value
// written at its end. For the funnel: widths against the first row.
export function horizontalBars({ rows, max = Math.max(1, ...rows.map((r) => r.value)) }) {
  return (labelledBy) => {
    const rowH = 34;
    const height = rows.length * rowH + 4;
    const svg = frame(height, labelledBy);
    const left = 92;
    const room = W - left - 34;
    rows.forEach((r, i) => {
      const y = i * rowH + 6;
      const w = max ? (r.value / max) * room : 0;
      svg.append(
        s('text', { x: 0, y: y + 17, class: 'label', text: r.label }),
        s('rect', { x: left, y, width: room, height: 22, rx: 4, class: 'track' }),
        w > 0 ? s('rect', { x: left, y, width: Math.max(3, w), height: 22, rx: 4, class: r.cls ?? 'bar-1' }) : null,
        s('text', { x: left + Math.max(3, w) + 6, y: y + 16, class: 'value', text: String(r.value) }));
    });
    return svg;
  };
}

// One bar split in parts: [{ name, value, cls }].
export function splitBar({ parts }) {
  return (labelledBy) => {
    const height = 40;
    const svg = frame(height, labelledBy);
    const total = parts.reduce((a, p) => a + p.value, 0);
    svg.append(s('rect', { x: 0, y: 6, width: W, height: 28, rx: 6, class: 'track' }));
    let x = 0;
    for (const p of parts) {
      if (!total || !p.value) continue;
      const w = (p.value / total) * W;
      svg.append(s('rect', { x, y: 6, width: w, height: 28, class: p.cls }));
      x += w;
    }
    return svg;
  };
}

// A line over days: `points` [{ x (0…span), y }], `span` the number of days
// shown minus one, y from 1 to 5. `selected` marks one point; tapping or
// clicking the chart calls `onPick(point)` with the nearest one.
export function moodLine({ points, span, ticks, selected, onPick, height = 170 }) {
  return (labelledBy) => {
    const svg = frame(height, labelledBy);
    const left = 22;
    const right = W - 8;
    const top = 10;
    const bottom = height - 24;
    const px = (x) => left + (span ? (x / span) * (right - left) : (right - left) / 2);
    const py = (v) => bottom - ((v - 1) / 4) * (bottom - top);
    for (let v = 1; v <= 5; v++) {
      svg.append(s('line', { x1: left, x2: right, y1: py(v), y2: py(v), class: v === 3 ? 'grid mid' : 'grid' }),
        s('text', { x: left - 7, y: py(v) + 4, class: 'axis', 'text-anchor': 'end', text: String(v) }));
    }
    for (const t of ticks) {
      svg.append(s('text', { x: px(t.x), y: height - 6, class: 'axis', 'text-anchor': 'middle', text: t.label }));
    }
    if (points.length > 1) {
      svg.append(s('polyline', { points: points.map((p) => `${px(p.x)},${py(p.y)}`).join(' '), class: 'line' }));
    }
    for (const p of points) {
      svg.append(s('circle', { cx: px(p.x), cy: py(p.y), r: p === selected ? 6 : 3.2, class: p === selected ? 'dot picked' : 'dot' }));
    }
    if (selected) {
      svg.append(s('line', { x1: px(selected.x), x2: px(selected.x), y1: top, y2: bottom, class: 'cursor' }));
    }
    if (onPick && points.length) {
      svg.classList.add('pickable');
      svg.addEventListener('click', (e) => {
        const box = svg.getBoundingClientRect();
        const x = ((e.clientX - box.left) / box.width) * W;
        let best = points[0];
        for (const p of points) if (Math.abs(px(p.x) - x) < Math.abs(px(best.x) - x)) best = p;
        onPick(best);
      });
    }
    return svg;
  };
}

// Bars left or right of zero: [{ label, value }] within ±`limit`.
export function divergingBars({ rows, limit = 4 }) {
  return (labelledBy) => {
    const rowH = 34;
    const height = rows.length * rowH + 20;
    const svg = frame(height, labelledBy);
    const left = 112;
    // All up (or all down): one side only, so the bars get the whole width.
    const both = rows.some((r) => r.value < 0) && rows.some((r) => r.value > 0);
    const allDown = !both && rows.some((r) => r.value < 0);
    const mid = both ? left + (W - left) / 2 : allDown ? W - 40 : left + 2;
    const half = both ? (W - left) / 2 - 40 : W - left - 44;
    rows.forEach((r, i) => {
      const y = i * rowH + 6;
      const w = (Math.min(limit, Math.abs(r.value)) / limit) * half;
      const x = r.value >= 0 ? mid : mid - w;
      svg.append(
        s('text', { x: 0, y: y + 17, class: 'label', text: r.label }),
        w > 0 ? s('rect', { x, y, width: Math.max(2, w), height: 22, rx: 4, class: r.value >= 0 ? 'up' : 'down' }) : null,
        s('text', {
          x: r.value >= 0 ? mid + w + 6 : mid - w - 6, y: y + 16, class: 'value',
          'text-anchor': r.value >= 0 ? 'start' : 'end', text: r.text,
        }));
    });
    svg.append(s('line', { x1: mid, x2: mid, y1: 0, y2: height - 16, class: 'baseline' }),
      s('text', { x: mid, y: height - 3, class: 'axis', 'text-anchor': 'middle', text: 'no change' }));
    return svg;
  };
}

// A legend as HTML (readable at any width): [{ name, cls }].
export function legend(items) {
  return h('ul', { class: 'legend' }, items.map((i) => h('li', {},
    h('span', { class: `key ${i.cls}`, 'aria-hidden': 'true' }), i.name)));
}
