// Nudges: the reminders the server plans and sends (SPEC §6), as the inbox,
// the header bell and Today see them, and the only three things a device may
// say about one (SPEC §4): read, dismissed, snoozed 1–7 days. Marks are local
// writes like any other, through the store and its outbox, so they work
// offline and reach the server on the next sync.

import * as store from './store.js';
import { session } from './session.js';

const DAY = 86_400_000;
export const SNOOZE_DAYS = [1, 2, 3, 4, 5, 6, 7];

export const markRead = (id) => store.save('nudges', id, { read: true });
export const dismiss = (id) => store.save('nudges', id, { dismissed: true });
export const snooze = (id, days) => store.save('nudges', id, { snooze_days: days });

// Until the server answers, a mark is only the field the device sent
// (`read: true`); after it, the server's `read_at`. A mark the server refused
// counts for nothing.
const refused = (n, field) => (n._rejected ?? []).some((r) => field in r.fields);
const marked = (n, field, serverField) => Boolean(n[serverField] || (n[field] && !refused(n, field)));
// A snoozed reminder that was sent again ("remind me again") is new again:
// the server keeps its old `read_at`, from before the latest `sent_at`.
const readBefore = (n) => n.read_at && n.sent_at && Date.parse(n.read_at) < Date.parse(n.sent_at);
export const isRead = (n) => (n.read && !refused(n, 'read')) || Boolean(n.read_at && !readBefore(n));
export const isDismissed = (n) => marked(n, 'dismissed', 'dismissed_at');
const snoozing = (n) => Boolean(n.snooze_days) && !refused(n, 'snooze_days');

// When the nudge is (or was) due, in ms. A snooze still on its way moves it
// as the server will: that many days after its time, or after now if later.
export function dueAt(n, now = Date.now()) {
  const due = Date.parse(n.due_at);
  return snoozing(n) ? Math.max(due, now) + n.snooze_days * DAY : due;
}

// Planned: still ahead (scheduled, or being snoozed). Arrived: its time came,
// whether the push reached a device or not; a nudge with no device is still
// shown in the inbox. Cancelled ones were never sent and are not shown.
export function stateOf(n, now = Date.now()) {
  if (n.status === 'cancelled') return 'cancelled';
  if (snoozing(n) || (n.status === 'scheduled' && dueAt(n, now) > now)) return 'planned';
  return 'arrived';
}

// The server snoozes only what is scheduled or was sent (SPEC §6): a failed
// or cancelled one has nothing left to put off.
export const canSnooze = (n) => n.status === 'scheduled' || n.status === 'sent';

// When an arrived nudge arrived, in ms.
export const arrivedAt = (n) => Date.parse(n.sent_at ?? n.due_at);

// The inbox: arrived and not dismissed, newest first.
export function inbox(nudges, now = Date.now()) {
  return nudges.filter((n) => stateOf(n, now) === 'arrived' && !isDismissed(n))
    .sort((a, b) => arrivedAt(b) - arrivedAt(a) || (b.created_at ?? '').localeCompare(a.created_at ?? ''));
}

export const unreadCount = (nudges, now = Date.now()) => inbox(nudges, now).filter((n) => !isRead(n)).length;

// Still to come and not dismissed, soonest first.
export function planned(nudges, now = Date.now()) {
  return nudges.filter((n) => stateOf(n, now) === 'planned' && !isDismissed(n))
    .sort((a, b) => dueAt(a, now) - dueAt(b, now));
}

export const nextPlanned = (nudges, now = Date.now()) => planned(nudges, now)[0] ?? null;

// ---- words for a moment -----------------------------------------------------

// Reminders are planned in the user's time zone, so they are shown in it.
const zone = () => session.user?.timezone || Intl.DateTimeFormat().resolvedOptions().timeZone;

function dayNumber(ms, timeZone) {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' })
    .formatToParts(ms);
  const part = (type) => Number(parts.find((p) => p.type === type).value);
  return Date.UTC(part('year'), part('month') - 1, part('day')) / DAY;
}

// "Today 10:00", "Tomorrow 10:00", "Yesterday 18:00", "Thursday 10:00"
// (within a week either way), else "3 December, 10:00" (with the year when
// it is not this one).
export function whenText(ms, now = Date.now(), timeZone = zone()) {
  const time = new Intl.DateTimeFormat(undefined, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
  const days = dayNumber(ms, timeZone) - dayNumber(now, timeZone);
  const named = { 0: 'Today', 1: 'Tomorrow', [-1]: 'Yesterday' }[days];
  if (named) return `${named} ${time}`;
  if (Math.abs(days) < 7) return `${new Intl.DateTimeFormat(undefined, { timeZone, weekday: 'long' }).format(ms)} ${time}`;
  const sameYear = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' });
  const opts = { timeZone, day: 'numeric', month: 'long' };
  if (sameYear.format(ms) !== sameYear.format(now)) opts.year = 'numeric';
  return `${new Intl.DateTimeFormat(undefined, opts).format(ms)}, ${time}`;
}
