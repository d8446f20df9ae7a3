// Insights: the big picture (SPEC §1 strategy 4). Everything is computed
// here from the local store by insights.js, with the server's definitions,
// so the screen opens offline and shows what GET /api/insights would.

import { h, clear, chips, showDate } from '../ui.js';
import * as store from '../store.js';
import { session } from '../session.js';
import { compute, todayIn, localDay, dayNum, isoDay, STAGES } from '../insights.js';
import { figure, groupedBars, horizontalBars, splitBar, moodLine, divergingBars, legend } from '../charts.js';
import { stageLabel, moodLabel, ACTIVITIES, labelOf } from '../content.js';

const ENTITIES = ['applications', 'rejections', 'breaks', 'outreach', 'checkins', 'contacts'];
const RANGES = [[4, '4 weeks'], [12, '12 weeks'], [26, '26 weeks']];

const num = (n) => new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }).format(n);
const signed = (n) => (n > 0 ? `+${num(n)}` : num(n));
const pct = (part, whole) => (whole ? `${Math.round((part / whole) * 100)}%` : '—');
const plural = (n, one, many = `${one}s`) => `${num(n)} ${n === 1 ? one : many}`;
const zoneOf = () => session.user?.timezone || Intl.DateTimeFormat().resolvedOptions().timeZone;

function stat(label, value, note) {
  return h('div', { class: 'stat' },
    h('dt', { text: label }),
    h('dd', {}, h('span', { class: 'stat-value', text: value }), note ? h('span', { class: 'stat-note', text: note }) : null));
}

function totalsBlock(ins) {
  const { totals, goal } = ins;
  return h('dl', { class: 'stats', 'aria-label': 'Totals' },
    stat('Total attempts', num(totals.attempts), 'every application, and every no you logged'),
    stat('Applications this week', `${num(goal.done_this_week)} of ${num(goal.target)}`, 'your weekly goal'),
    stat('Lessons learned', num(totals.lessons), null),
    stat('Breaks taken', num(totals.breaks), null),
    stat('Times you reached out', num(totals.outreach), null));
}

function weeksFigure(ins, weeks) {
  const rows = ins.weeks;
  const sum = (k) => rows.reduce((a, r) => a + r[k], 0);
  const now = rows.at(-1);
  return figure({
    title: 'Applications and rejections per week',
    chart: groupedBars({
      labels: rows.map((r) => showDate(r.week_start)),
      labelEvery: weeks <= 4 ? 1 : weeks <= 12 ? 3 : 6,
      series: [
        { name: 'Applications', cls: 'bar-1', values: rows.map((r) => r.applications) },
        { name: 'Rejections', cls: 'bar-2', values: rows.map((r) => r.rejections) },
      ],
    }),
    caption: [
      `In the last ${weeks} weeks: ${plural(sum('applications'), 'application')} and ${plural(sum('rejections'), 'rejection')}, `
        + `${plural(sum('interviews_reached'), 'interview')} reached. `,
      `This week so far: ${plural(now.applications, 'application')}, ${plural(now.rejections, 'rejection')}.`,
    ].join(''),
    extra: legend([{ name: 'Applications', cls: 'bar-1' }, { name: 'Rejections', cls: 'bar-2' }]),
    table: {
      caption: 'Each week, from Monday',
      head: ['Week of', 'Applications', 'Rejections', 'Interviews reached', 'Breaks', 'Reach-outs'],
      rows: rows.map((r) => [showDate(r.week_start), r.applications, r.rejections, r.interviews_reached, r.breaks, r.outreach].map(String)),
    },
  });
}

function funnelFigure(ins) {
  const { funnel, conversion } = ins;
  const words = { screening: 'a screening', interview: 'an interview', final_round: 'the final round', offer: 'the offer stage' };
  const reached = conversion.map((c) => `${num(c.reached)} ${words[c.stage]}`);
  return figure({
    title: 'How far each process got',
    chart: funnel.application ? horizontalBars({
      rows: STAGES.map((st, i) => ({ label: stageLabel(st), value: funnel[st], cls: `bar-${i === 0 ? 1 : 3}` })),
    }) : null,
    caption: funnel.application
      ? `Of ${plural(funnel.application, 'process', 'processes')}, ${reached.slice(0, -1).join(', ')} and ${reached.at(-1)}. `
        + 'A rejection after an interview still counts as an interview reached.'
      : 'Once you log applications or rejections, you’ll see how far each one got.',
    table: {
      caption: 'All time. Each stage counts every process that got at least that far.',
      head: ['Stage', 'Reached', 'From the stage before'],
      rows: STAGES.map((st, i) => [stageLabel(st), String(funnel[st]),
        i ? `${conversion[i - 1].reached} of ${conversion[i - 1].of} (${pct(conversion[i - 1].reached, conversion[i - 1].of)})` : '—']),
    },
  });
}

function responsesFigure(ins, ghostAfter) {
  const { totals, days_to_response: dtr } = ins;
  const waiting = Math.max(0, totals.attempts - totals.responses - totals.silent);
  const parts = [
    { name: 'Heard back', value: totals.responses, cls: 'bar-1' },
    { name: 'Still waiting', value: waiting, cls: 'bar-3' },
    { name: 'Silence', value: totals.silent, cls: 'bar-2' },
  ];
  const days = dtr.median === null ? null : `${num(dtr.median)} ${dtr.median === 1 ? 'day' : 'days'}`;
  return figure({
    title: 'Responses and silence',
    chart: totals.attempts ? splitBar({ parts }) : null,
    caption: totals.attempts
      ? `You heard back on ${num(totals.responses)} of ${plural(totals.attempts, 'attempt')} (${pct(totals.responses, totals.attempts)}). `
        + `${num(totals.silent)} went silent (no news after ${ghostAfter} days, or marked no reply); ${num(waiting)} still recent. `
        + 'Silence says more about busy hiring teams than about you.'
      : 'Nothing to count yet.',
    extra: h('div', {},
      totals.attempts ? legend(parts) : null,
      h('p', { class: 'stat-line' }, days
        ? `Days to a response: usually ${days} (the median of ${plural(dtr.n, 'reply', 'replies')}, from applying to the first sign of life).`
        : 'Days to a response: when an application you logged hears back, you’ll see how long it usually takes.')),
    table: {
      head: ['', 'Processes'],
      rows: [['Heard back', String(totals.responses)], ['Still waiting', String(waiting)], ['Silence', String(totals.silent)],
        ['Median days to a response', dtr.median === null ? '—' : num(dtr.median)]],
    },
  });
}

// What was logged on one day, from the store (moods only where they were given).
function dayLog(day, data, zone, contactName) {
  const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'short', timeZone: zone });
  const at = (iso) => time.format(new Date(iso));
  const on = (iso) => iso && localDay(iso, zone) === day;
  const mood = (m) => (m ? `${moodLabel(m)} (${m})` : null);
  const items = [];
  for (const c of data.checkins.filter((x) => on(x.at ?? x.created_at))) {
    items.push([c.at ?? c.created_at, `Check-in at ${at(c.at ?? c.created_at)}: ${mood(c.mood)}`,
      [c.emotions?.length ? c.emotions.join(', ') : null, c.note].filter(Boolean).join(' — ')]);
  }
  for (const r of data.rejections.filter((x) => x.received_on && dayNum(x.received_on) === day)) {
    items.push(['', `A no from ${r.company || 'a company'}${r.mood ? `: ${mood(r.mood)}` : ''}`,
      r.emotions?.length ? r.emotions.join(', ') : '']);
  }
  for (const b of data.breaks) {
    if (on(b.started_at) && b.mood_before) items.push([b.started_at, `Started a break at ${at(b.started_at)}: ${mood(b.mood_before)}`, '']);
    const end = b.ended_at || b.started_at;
    if (on(end) && b.mood_after) items.push([end, `After a break: ${mood(b.mood_after)}`, '']);
  }
  for (const o of data.outreach.filter((x) => on(x.at) && x.mood_after)) {
    items.push([o.at, `Reached out to ${contactName(o.contact_id)}: ${mood(o.mood_after)} after`, o.note ?? '']);
  }
  return items.sort((a, b) => a[0].localeCompare(b[0]));
}

function moodFigure(ins, data, zone, state, contactName, redraw) {
  const first = dayNum(ins.weeks[0].week_start);
  const today = dayNum(todayIn(zone));
  const points = ins.mood.map((m) => ({ x: dayNum(m.date) - first, y: m.mood, date: m.date }));
  if (!points.some((p) => p.date === state.day)) state.day = points.at(-1)?.date ?? null;
  const selected = points.find((p) => p.date === state.day) ?? null;
  const span = Math.max(1, today - first);
  const ticks = [0, Math.round(span / 2), span].map((x) => ({ x, label: showDate(isoDay(first + x)) }));
  const moods = ins.mood.map((m) => m.mood);
  const avg = moods.length ? moods.reduce((a, b) => a + b, 0) / moods.length : null;
  const low = ins.mood.reduce((a, m) => (!a || m.mood < a.mood ? m : a), null);
  const pick = (p) => {
    state.day = p.date;
    redraw();
    state.announce(`${showDate(p.date)}: average mood ${num(p.y)}`);
  };
  const index = points.indexOf(selected);

  const history = h('section', { class: 'history', 'aria-labelledby': 'history-title' },
    h('h3', { id: 'history-title', text: 'Check-in history' }));
  if (selected) {
    const entries = dayLog(dayNum(selected.date), data, zone, contactName);
    const long = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });
    history.append(
      h('div', { class: 'stepper' },
        h('button', { type: 'button', class: 'secondary', 'data-focus': 'earlier', disabled: index <= 0,
          onclick: () => pick(points[index - 1]) }, 'Earlier day'),
        h('button', { type: 'button', class: 'secondary', 'data-focus': 'later', disabled: index >= points.length - 1,
          onclick: () => pick(points[index + 1]) }, 'Later day')),
      h('p', { class: 'day' },
        h('strong', { text: long.format(new Date(`${selected.date}T00:00:00Z`)) }),
        ` — average mood ${num(selected.y)}`),
      h('ul', { class: 'day-log' }, entries.map(([, what, more]) => h('li', {},
        h('span', { text: what }), more ? h('span', { class: 'muted', text: more }) : null))));
  } else {
    history.append(h('p', { class: 'muted', text: 'Check in on Today (“How are you feeling?”) and your days show up here.' }));
  }
  return figure({
    title: 'Mood over time',
    chart: points.length ? moodLine({ points, span, ticks, selected, onPick: pick }) : null,
    caption: points.length
      ? `Mood from 1 (very low) to 5 (great), the average of each day’s check-ins, rejections, breaks and reach-outs: `
        + `${plural(points.length, 'day')} logged, ${num(Math.round(avg * 10) / 10)} on average, lowest ${num(low.mood)} on ${showDate(low.date)}, `
        + `latest ${num(points.at(-1).y)} on ${showDate(points.at(-1).date)}. Tap the chart to see a day.`
      : 'No moods logged in these weeks yet.',
    extra: history,
    table: points.length ? {
      head: ['Day', 'Average mood'],
      rows: ins.mood.map((m) => [showDate(m.date), num(m.mood)]),
    } : null,
  });
}

function helpsFigure(ins, contactName) {
  const rows = ins.helps.map((x) => ({
    label: x.kind === 'activity' ? labelOf(ACTIVITIES, x.key) || x.key : contactName(x.key),
    value: x.mean_change,
    text: signed(x.mean_change),
    readings: x.readings,
    kind: x.kind,
  }));
  const words = rows.map((r) => (r.kind === 'activity'
    ? `${r.label} (break): ${r.text} on average over ${plural(r.readings, 'break')}`
    : `${r.label}: ${r.text} after reaching out, over ${plural(r.readings, 'reach-out')}`));
  return figure({
    title: 'What helps',
    chart: rows.length ? divergingBars({ rows }) : null,
    caption: rows.length
      ? `How your mood changed, from before to after. ${words.join('; ')}.`
      : 'After three breaks with an activity, or three reach-outs to one person, with a mood before and after, you’ll see here what lifts you.',
    table: rows.length ? {
      head: ['', 'Mood change', 'Readings'],
      rows: rows.map((r) => [r.label, r.text, String(r.readings)]),
    } : null,
  });
}

export async function insightsView(ctx) {
  const live = h('p', { class: 'vh', role: 'status' });
  const state = { weeks: 12, day: null, open: new Set(), announce: (text) => { live.textContent = text; } };
  const body = h('div', { class: 'insights-body' });
  let latest = null;

  const range = chips({
    legend: 'Show the last', name: 'insights-range', options: RANGES, selected: [state.weeks],
    onchange: (v) => { state.weeks = Number(v); render(); },
  });

  // Draws from the data last read; keeps open tables and the focused control.
  function render() {
    if (!latest) return;
    const { data } = latest;
    const zone = zoneOf();
    const settings = session.user?.settings ?? {};
    const ghostAfter = settings.ghost_after_days ?? 30;
    const ins = compute(data, todayIn(zone), zone, state.weeks, settings.weekly_application_goal ?? 5, ghostAfter);
    const names = new Map(data.contacts.map((c) => [c.id, c.name]));
    const contactName = (id) => names.get(id) || 'Someone you reached out to';
    const focus = document.activeElement?.dataset?.focus;
    for (const d of body.querySelectorAll('details[data-key]')) {
      if (d.open) state.open.add(d.dataset.key); else state.open.delete(d.dataset.key);
    }
    const figures = [
      ['weeks', weeksFigure(ins, state.weeks)],
      ['funnel', funnelFigure(ins)],
      ['responses', responsesFigure(ins, ghostAfter)],
      ['mood', moodFigure(ins, data, zone, state, contactName, render)],
      ['helps', helpsFigure(ins, contactName)],
    ];
    clear(body).append(totalsBlock(ins),
      ...figures.map(([key, fig]) => {
        const details = fig.querySelector('details');
        if (details) {
          details.dataset.key = key;
          details.open = state.open.has(key);
        }
        return h('section', { class: 'card chart-card', id: `insights-${key}` }, fig);
      }),
      h('p', { class: 'small' }, h('a', { href: '/lessons' }, `Read your ${plural(ins.totals.lessons, 'lesson')}`)));
    if (focus) (body.querySelector(`[data-focus="${focus}"]:not(:disabled)`) ?? body.querySelector('.stepper button:not(:disabled)'))?.focus();
  }

  const draw = async () => {
    const data = Object.fromEntries(await Promise.all(ENTITIES.map(async (e) => [e, await store.list(e)])));
    latest = { data };
    render();
  };
  await ctx.watch(ENTITIES, draw);
  // "Today" moves on while the app stays open: draw again when it comes back.
  const onVisible = () => document.visibilityState === 'visible' && render();
  document.addEventListener('visibilitychange', onVisible);
  ctx.onCleanup(() => document.removeEventListener('visibilitychange', onVisible));

  return h('section', { class: 'insights' },
    h('h1', { text: 'The big picture' }),
    h('p', { class: 'lead', text: 'Every application is a real attempt. Here is how they add up — worked out on this device, so it opens offline too.' }),
    range.el,
    body,
    live);
}
