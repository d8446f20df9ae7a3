// Read models several screens share, derived from records as the store
// returns them. Plain functions on plain data: no DOM, no store.

import { localDate } from './ui.js';

const DAY = 86_400_000;

// The field that says when a record of each entity happened.
const WHEN = {
  rejections: 'received_on',
  applications: 'applied_on',
  breaks: 'started_at',
  checkins: 'at',
  outreach: 'at',
  nudges: 'due_at',
};

// A copy of `records` of `entity`, newest first; ties (one day, or no date)
// go by when the record was made, newest first.
export function newestFirst(entity, records) {
  const when = WHEN[entity] ?? 'created_at';
  return [...records].sort((a, b) => (b[when] ?? '').localeCompare(a[when] ?? '')
    || (b.created_at ?? '').localeCompare(a.created_at ?? ''));
}

// The newest record of `entity`, or null.
export const newest = (entity, records) => newestFirst(entity, records)[0] ?? null;

// Records of `entity` that happened within the last `days` days (a record
// without its date counts from when it was made).
export function within(entity, records, days, now = Date.now()) {
  const when = WHEN[entity] ?? 'created_at';
  return records.filter((r) => now - Date.parse(r[when] ?? r.created_at ?? 0) < days * DAY);
}

export const hasLesson = (rejection) => Boolean((rejection.lessons ?? '').trim());

// The break still going (no `ended_at`), or null. The server allows one.
export const activeBreak = (breaks) => newest('breaks', breaks.filter((b) => !b.ended_at));

// Whole days from the date `from` ('YYYY-MM-DD') to the date `to`, both local dates.
export function daysBetween(from, to) {
  const day = (iso) => {
    const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((day(to) - day(from)) / DAY);
}

// How long an application has gone without news: days since its status last
// changed (or since it was sent), up to `today` ('YYYY-MM-DD').
export function applicationAge(application, today = localDate()) {
  const since = application.status_changed_on ?? application.applied_on ?? application.created_at;
  return since ? daysBetween(since, today) : 0;
}
