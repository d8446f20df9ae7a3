// The numbers behind the Insights screen, computed from the local store with
// exactly the definitions of backend/insights.py (SPEC §4), so the screen
// opens offline and shows what GET /api/insights would. Plain functions on
// plain data: no DOM, no store. The shared vectors in tests/vectors/insights
// hold both sides to the same answers (tests/e2e/test_insights.py).
//
// Dates are 'YYYY-MM-DD' strings, handled as day numbers (days since
// 1970-01-01); moments are ISO strings with an offset, compared in
// microseconds as Python compares datetimes.

export const STAGES = ['application', 'screening', 'interview', 'final_round', 'offer'];
const STATUS_STAGE = { applied: 'application', screening: 'screening', interviewing: 'interview', offer: 'offer', accepted: 'offer' };
const INTERVIEW_STAGES = new Set(['interview', 'final_round', 'offer']);
const INTERVIEW_STATUSES = new Set(['interviewing', 'offer', 'accepted']);
const SILENT_STATUSES = new Set(['applied', 'ghosted']); // no sign of life from the employer
const HELPS_MIN_READINGS = 3;
const DAY_MS = 86_400_000;

// ---- days ----------------------------------------------------------------

export function dayNum(iso) {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

export function isoDay(n) {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

// The Monday of the week `n` is in (1970-01-01 was a Thursday).
export const weekStart = (n) => n - (((n + 3) % 7) + 7) % 7;

// ---- moments and timezones ------------------------------------------------

const MOMENT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

// Microseconds since the epoch (Python keeps microseconds; Date keeps ms).
export function micros(iso) {
  const m = MOMENT.exec(iso);
  if (!m) return Date.parse(iso) * 1000;
  const [, y, mo, d, hh, mm, ss = '0', frac = '', zone] = m;
  let offsetMin = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0));
  }
  const ms = Date.UTC(+y, +mo - 1, +d, +hh, +mm, +ss) - offsetMin * 60_000;
  return ms * 1000 + Number(frac.slice(0, 6).padEnd(6, '0'));
}

const formatters = new Map();
function partsIn(zone, ms) {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map(({ type, value }) => [type, value]));
  return { y: +p.year, m: +p.month, d: +p.day, hh: +p.hour % 24, mm: +p.minute, ss: +p.second };
}

// The calendar day (a day number) of a moment in `zone`.
function localDayOfMs(ms, zone) {
  const p = partsIn(zone, ms);
  return Date.UTC(p.y, p.m - 1, p.d) / DAY_MS;
}

export const localDay = (iso, zone) => (iso ? localDayOfMs(Math.floor(micros(iso) / 1000), zone) : null);

// Today in `zone` as 'YYYY-MM-DD'.
export const todayIn = (zone, now = Date.now()) => isoDay(localDayOfMs(now, zone));

// The zone's offset from UTC at an instant, in ms.
function offsetAt(zone, ms) {
  const whole = Math.floor(ms / 1000) * 1000;
  const p = partsIn(zone, whole);
  return Date.UTC(p.y, p.m - 1, p.d, p.hh, p.mm, p.ss) - whole;
}

// The instant (µs) of midnight starting `day` in `zone`, as Python's
// datetime.combine(day, time(), zone) with fold=0: in a gap or an overlap
// the offset from before the change applies.
function midnightMicros(day, zone) {
  const wall = day * DAY_MS;
  const before = offsetAt(zone, wall - DAY_MS);
  const after = offsetAt(zone, wall + DAY_MS);
  let ms = wall - before;
  if (offsetAt(zone, ms) !== before && offsetAt(zone, wall - after) === after) ms = wall - after;
  return ms * 1000;
}

// ---- numbers --------------------------------------------------------------

// Python's round(x, digits): the exact binary value, ties to even.
export function pyRound(x, digits = 2) {
  if (!Number.isFinite(x)) return x;
  const [whole, frac] = Math.abs(x).toFixed(100).split('.');
  let n = BigInt(whole + frac.slice(0, digits));
  const rest = frac.slice(digits);
  const half = `5${'0'.repeat(rest.length - 1)}`;
  if (rest > half || (rest === half && n % 2n === 1n)) n += 1n;
  const value = Number(n) / 10 ** digits;
  return x < 0 ? -value : value;
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

// Python's order for strings (code points), not the locale's.
const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

// Python's `(text or "").strip()` is not empty: its whitespace, not JS's trim().
const hasText = (s) => /[^\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/.test(s ?? '');

// ---- records as the server holds them -------------------------------------

// A record made on this device and not yet synced lacks what the server
// fills in (SPEC §4 defaults): fill the same, dated by when it was made.
function normalize(data, zone) {
  const madeOn = (r) => (r.created_at ? localDay(r.created_at, zone) : null);
  const num = (v) => (v === null || v === undefined || v === '' ? null : Number(v));
  const applications = (data.applications ?? []).map((a) => {
    const status = a.status ?? 'applied';
    const appliedOn = a.applied_on ? dayNum(a.applied_on) : madeOn(a);
    const changed = a.status_changed_on ? dayNum(a.status_changed_on)
      : (status === 'applied' ? appliedOn : madeOn(a));
    return { id: String(a.id), applied_on: appliedOn, status, status_changed_on: changed };
  });
  const rejections = (data.rejections ?? []).map((r) => ({
    application_id: r.application_id ? String(r.application_id) : null,
    stage: r.stage ?? null,
    received_on: r.received_on ? dayNum(r.received_on) : madeOn(r),
    mood: num(r.mood),
    lessons: r.lessons ?? null,
  }));
  const breaks = (data.breaks ?? []).map((b) => ({
    started_at: b.started_at ?? b.created_at ?? null,
    ended_at: b.ended_at ?? null,
    mood_before: num(b.mood_before),
    mood_after: num(b.mood_after),
    activities: b.activities ?? [],
  }));
  const outreach = (data.outreach ?? []).map((o) => ({
    at: o.at ?? o.created_at ?? null,
    mood_after: num(o.mood_after),
    contact_id: o.contact_id ? String(o.contact_id) : null,
  }));
  const checkins = (data.checkins ?? []).map((c) => ({ at: c.at ?? c.created_at ?? null, mood: num(c.mood) }));
  return { applications, rejections, breaks, outreach, checkins };
}

// ---- the figures ------------------------------------------------------------

// `data`: { applications, rejections, breaks, outreach, checkins } as the
// store or the API hands them; `today`: 'YYYY-MM-DD' in the user's
// timezone. Returns the body of GET /api/insights?weeks=<weeks>.
export function compute(data, today, timezone, weeks = 12, goal = 5, ghostAfterDays = 30) {
  const zone = timezone;
  const d = normalize(data, zone);
  const todayN = dayNum(today);
  const firstWeek = weekStart(todayN) - 7 * (weeks - 1);
  const starts = Array.from({ length: weeks }, (_, i) => firstWeek + 7 * i);
  const rows = new Map(starts.map((s) => [s, {
    week_start: isoDay(s), applications: 0, rejections: 0, interviews_reached: 0, breaks: 0, outreach: 0,
  }]));
  const count = (day, key) => {
    if (day !== null && firstWeek <= day && day <= todayN) rows.get(weekStart(day))[key] += 1;
  };
  for (const app of d.applications) {
    count(app.applied_on, 'applications');
    if (INTERVIEW_STATUSES.has(app.status)) count(app.status_changed_on, 'interviews_reached');
  }
  for (const r of d.rejections) {
    count(r.received_on, 'rejections');
    if (INTERVIEW_STAGES.has(r.stage)) count(r.received_on, 'interviews_reached');
  }
  for (const b of d.breaks) count(localDay(b.started_at, zone), 'breaks');
  for (const o of d.outreach) count(localDay(o.at, zone), 'outreach');

  const processes = processesOf(d.applications, d.rejections);
  const funnel = funnelOf(processes);
  const thisWeek = weekStart(todayN);
  return {
    weeks: starts.map((s) => rows.get(s)),
    funnel,
    mood: moodOf(d, zone, firstWeek, todayN),
    totals: totalsOf(d, processes, todayN, ghostAfterDays),
    conversion: STAGES.slice(1).map((stage, i) => ({ stage, reached: funnel[stage], of: funnel[STAGES[i]] })),
    days_to_response: daysToResponse(processes),
    helps: helpsOf(d, zone),
    goal: {
      target: goal,
      done_this_week: d.applications.filter((a) => a.applied_on !== null
        && weekStart(a.applied_on) === thisWeek && a.applied_on <= todayN).length,
    },
  };
}

// One entry per process: its furthest stage and whether it heard back. A
// process is an application, or a rejection logged without one; a
// rejection's stage counts as reached by its application too.
function processesOf(apps, rejections) {
  const byApp = new Map();
  for (const r of rejections) {
    if (r.application_id !== null) byApp.set(r.application_id, [...(byApp.get(r.application_id) ?? []), r]);
  }
  const appIds = new Set(apps.map((a) => a.id));
  const furthest = (stages) => stages.reduce((best, s) => (STAGES.indexOf(s) > STAGES.indexOf(best) ? s : best));
  const out = [];
  for (const app of apps) {
    const linked = byApp.get(app.id) ?? [];
    const reached = [STATUS_STAGE[app.status] ?? 'application', ...linked.map((r) => r.stage || 'application')];
    // The first sign of life: a linked rejection, or the status moving past applied.
    const signs = linked.filter((r) => r.received_on !== null).map((r) => r.received_on);
    if (!SILENT_STATUSES.has(app.status) && app.status_changed_on !== null) signs.push(app.status_changed_on);
    out.push({
      stage: furthest(reached),
      heard_back: linked.length > 0 || !SILENT_STATUSES.has(app.status),
      applied_on: app.applied_on,
      first_response: signs.length ? Math.min(...signs) : null,
    });
  }
  for (const r of rejections) {
    if (r.application_id === null || !appIds.has(r.application_id)) {
      out.push({ stage: r.stage || 'application', heard_back: true, applied_on: null, first_response: null });
    }
  }
  return out;
}

function funnelOf(processes) {
  const funnel = Object.fromEntries(STAGES.map((s) => [s, 0]));
  for (const p of processes) {
    for (const s of STAGES.slice(0, STAGES.indexOf(p.stage) + 1)) funnel[s] += 1;
  }
  return funnel;
}

function moodOf(d, zone, firstDay, today) {
  const readings = new Map();
  const add = (day, mood) => {
    if (mood !== null && day !== null && firstDay <= day && day <= today) {
      readings.set(day, [...(readings.get(day) ?? []), mood]);
    }
  };
  for (const c of d.checkins) add(localDay(c.at, zone), c.mood);
  for (const r of d.rejections) add(r.received_on, r.mood);
  for (const b of d.breaks) {
    add(localDay(b.started_at, zone), b.mood_before);
    add(localDay(b.ended_at || b.started_at, zone), b.mood_after);
  }
  for (const o of d.outreach) add(localDay(o.at, zone), o.mood_after);
  return [...readings.keys()].sort((a, b) => a - b)
    .map((day) => ({ date: isoDay(day), mood: pyRound(mean(readings.get(day))) }));
}

// Median days from applying to the first sign of life, over processes that
// heard back and have both days.
function daysToResponse(processes) {
  const days = processes.filter((p) => p.heard_back && p.applied_on !== null && p.first_response !== null)
    .map((p) => Math.max(0, p.first_response - p.applied_on));
  return { median: days.length ? median(days) : null, n: days.length };
}

// Every mood reading as [µs, mood]; a rejection's at the start of its day.
function readingsOf(d, zone) {
  const out = [];
  for (const c of d.checkins) if (c.mood !== null && c.at) out.push([micros(c.at), c.mood]);
  for (const r of d.rejections) {
    if (r.mood !== null && r.received_on !== null) out.push([midnightMicros(r.received_on, zone), r.mood]);
  }
  for (const b of d.breaks.filter((x) => x.started_at)) {
    if (b.mood_before !== null) out.push([micros(b.started_at), b.mood_before]);
    if (b.mood_after !== null) out.push([micros(b.ended_at || b.started_at), b.mood_after]);
  }
  for (const o of d.outreach) if (o.mood_after !== null && o.at) out.push([micros(o.at), o.mood_after]);
  return out;
}

// Mean mood change per break activity and per contact, for keys with at
// least three readings, largest change first (ties by kind, then key).
function helpsOf(d, zone) {
  const changes = new Map();
  const note = (kind, key, change) => {
    const k = `${kind}\u0000${key}`;
    if (!changes.has(k)) changes.set(k, { kind, key, found: [] });
    changes.get(k).found.push(change);
  };
  for (const b of d.breaks) {
    if (b.mood_before !== null && b.mood_after !== null) {
      for (const activity of b.activities) note('activity', activity, b.mood_after - b.mood_before);
    }
  }
  const readings = readingsOf(d, zone).sort((a, b) => a[0] - b[0]); // stable, as Python's sorted
  for (const o of d.outreach) {
    if (o.mood_after === null || o.contact_id === null || !o.at) continue;
    const at = micros(o.at);
    let last = null;
    for (const [moment, mood] of readings) if (moment < at) last = mood;
    if (last !== null) note('contact', o.contact_id, o.mood_after - last);
  }
  return [...changes.values()].filter((c) => c.found.length >= HELPS_MIN_READINGS)
    .map(({ kind, key, found }) => ({ kind, key, readings: found.length, mean_change: pyRound(mean(found)) }))
    .sort((a, b) => (b.mean_change - a.mean_change) || cmp(a.kind, b.kind) || cmp(a.key, b.key));
}

function totalsOf(d, processes, today, ghostAfterDays) {
  const apps = d.applications;
  const silent = apps.filter((a) => a.status === 'ghosted'
    || (a.status === 'applied' && a.applied_on !== null && a.applied_on <= today - ghostAfterDays)).length;
  return {
    attempts: processes.length,
    applications: apps.length,
    rejections: d.rejections.length,
    responses: processes.filter((p) => p.heard_back).length,
    silent,
    lessons: d.rejections.filter((r) => hasText(r.lessons)).length,
    breaks: d.breaks.length,
    outreach: d.outreach.length,
  };
}
