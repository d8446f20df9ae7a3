// Applications and their status pipeline (SPEC §4, strategy 7): which
// statuses are still waiting, how long one has been where it is, which have
// gone quiet, and which links are safe to show. Plain functions on plain
// data: no DOM, no store.

import { daysBetween } from './models.js';

// Still waiting to hear, in pipeline order; the rest are closed.
export const OPEN = ['applied', 'screening', 'interviewing', 'offer'];
export const CLOSED = ['accepted', 'rejected', 'withdrawn', 'ghosted'];
export const isOpen = (app) => OPEN.includes(app.status ?? 'applied');

// The one-tap next step of an open application (none after an offer but "accepted").
const NEXT = { applied: 'screening', screening: 'interviewing', interviewing: 'offer', offer: 'accepted' };
export const nextStatus = (app) => NEXT[app.status ?? 'applied'] ?? null;

// Statuses where a silence can mean "they never wrote back".
const CAN_GO_QUIET = ['applied', 'screening', 'interviewing'];

// The server keeps `status_changed_on`; a status changed on this device that
// the server has not confirmed yet (`_server`: the store's copy of the
// server's record) changed today.
const changedHere = (app) => app._server !== undefined
  && (app._server?.status ?? 'applied') !== (app.status ?? 'applied');

// The day the application's status last changed, or the day it was sent.
const since = (app, today) => (changedHere(app) ? today : null)
  ?? (app.status === 'applied' || !app.status ? app.applied_on : null)
  ?? app.status_changed_on ?? app.applied_on ?? app.created_at?.slice(0, 10) ?? null;

// "today", "1 day", "5 days", "3 weeks", "2 months".
export function duration(days) {
  if (days <= 0) return 'today';
  if (days < 14) return days === 1 ? '1 day' : `${days} days`;
  if (days < 60) return `${Math.floor(days / 7)} weeks`;
  const months = Math.floor(days / 30);
  return months < 24 ? `${months} months` : `${Math.floor(days / 365)} years`;
}

const WHERE = { screening: 'in screening', interviewing: 'interviewing', offer: 'with an offer' };
const CLOSED_AS = { accepted: 'Accepted', rejected: 'Closed', withdrawn: 'Withdrawn', ghosted: 'Closed as no reply' };

// Where an application stands, in words: "3 weeks in screening".
export function statusAge(app, today) {
  const day = since(app, today);
  const days = day ? Math.max(0, daysBetween(day, today)) : 0;
  const status = app.status ?? 'applied';
  const d = duration(days);
  if (status === 'applied') return days ? `Applied ${d} ago` : 'Applied today';
  if (WHERE[status]) return days ? `${d} ${WHERE[status]}` : `${WHERE[status][0].toUpperCase()}${WHERE[status].slice(1)} since today`;
  return days ? `${CLOSED_AS[status]} ${d} ago` : `${CLOSED_AS[status]} today`;
}

// Days without news: since the status last changed (or since it was sent).
export function quietDays(app, today) {
  const day = (changedHere(app) ? today : null) ?? app.status_changed_on ?? app.applied_on ?? app.created_at?.slice(0, 10);
  return day ? daysBetween(day, today) : 0;
}

// Applications with no news for `afterDays` or more, quietest first.
export function goneQuiet(apps, today, afterDays = 30) {
  return apps.filter((a) => CAN_GO_QUIET.includes(a.status ?? 'applied') && quietDays(a, today) >= afterDays)
    .sort((a, b) => quietDays(b, today) - quietDays(a, today) || (a.company ?? '').localeCompare(b.company ?? ''));
}

// By status, each group newest change first: [[status, apps]] in pipeline
// order, empty groups left out.
export function byStatus(apps, today) {
  const groups = [...OPEN, ...CLOSED].map((s) => [s, apps.filter((a) => (a.status ?? 'applied') === s)]);
  for (const [, list] of groups) {
    list.sort((a, b) => quietDays(a, today) - quietDays(b, today) || (b.created_at ?? '').localeCompare(a.created_at ?? ''));
  }
  return groups.filter(([, list]) => list.length);
}

// The server keeps only http and https links (SPEC §4); the app never
// renders any other scheme as a link, whatever the store holds.
export const URL_PROBLEM = 'That link can’t be saved: it must start with http:// or https://.';

export function safeUrl(value) {
  try {
    const u = new URL(String(value ?? '').trim());
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname ? u.href : null;
  } catch {
    return null;
  }
}

// What a typed link becomes: { url } to save (null clears it) or { problem }.
// A bare address ("jobs.example.com/42") gets https:// in front.
export function readUrl(typed) {
  const text = String(typed ?? '').trim();
  if (!text) return { url: null };
  if (text.length > 2000) return { problem: 'That link is too long (2,000 characters at most).' };
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(text) && !/^[^:/]+\.[^:/]+:\d/.test(text) ? text : `https://${text}`;
  const url = safeUrl(withScheme);
  return url && !/\s/.test(text) ? { url: withScheme } : { problem: URL_PROBLEM };
}

// Dates the server takes: 2000-01-01 up to a year from today (SPEC §4).
export function dateProblem(iso, today) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso ?? '')) return 'Use a date like 2026-11-03.';
  const [y, m, d] = iso.split('-').map(Number);
  const real = new Date(Date.UTC(y, m - 1, d));
  if (real.getUTCMonth() !== m - 1 || real.getUTCDate() !== d) return 'That date doesn’t exist.';
  const [ty, tm, td] = today.split('-');
  const latest = `${Number(ty) + 1}-${tm}-${tm === '02' && td === '29' ? '28' : td}`;
  if (iso < '2000-01-01' || iso > latest) return 'Pick a date between 2000 and a year from now.';
  return null;
}
