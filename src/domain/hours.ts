/**
 * Volunteer hours: activities, statuses, entry validation and the content fingerprint that makes
 * imports idempotent. Pure functions; no SQL.
 */
import crypto from 'node:crypto';
import { ValidationError } from '../errors.js';
import { formatHours, validateEntryMinutes } from './duration.js';
import { checkText } from './text.js';

export const ACTIVITIES = ['direct-service', 'supervision', 'training', 'peer-support', 'outreach', 'admin', 'other'] as const;
export type Activity = (typeof ACTIVITIES)[number];
export const DEFAULT_ACTIVITY: Activity = 'direct-service';

/** Stored statuses. A voided entry keeps its status and has `voided_at` set; lists show it as `void`. */
export const STATUSES = ['approved', 'pending', 'rejected'] as const;
export type HoursStatus = (typeof STATUSES)[number];

/** `hours list --status`: a stored status, `void`, or `all` (default: every non-void entry). */
export const LIST_STATUSES = ['approved', 'pending', 'rejected', 'void', 'all'] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];

/** A person's day may not pass 24 h without a warning (a single entry is > 0 and ≤ 24 h: duration.ts). */
export const MAX_DAY_MINUTES = 1440;

/** The content of an entry: what a user logs or a file row holds (money in cents, miles in hundredths). */
export interface EntryContent {
  person_id: number;
  program_id: number;
  date: string;
  minutes: number;
  activity: Activity;
  miles: number;
  expenses: number;
  reimbursed: 0 | 1;
  note: string | null;
}

const ACTIVITY_SYNONYMS: Record<string, Activity> = {
  direct: 'direct-service',
  directservice: 'direct-service',
  service: 'direct-service',
  clinical: 'direct-service',
  supervision: 'supervision',
  training: 'training',
  peer: 'peer-support',
  peersupport: 'peer-support',
  outreach: 'outreach',
  admin: 'admin',
  administration: 'admin',
  administrative: 'admin',
  other: 'other',
};

/** An activity, case-insensitive, ignoring spaces, `_` and `-` ("Peer Support" → peer-support). */
export function parseActivity(s: string): Activity {
  const key = s
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
  const a = ACTIVITY_SYNONYMS[key];
  if (!a) throw new ValidationError(`invalid activity "${s}" (expected one of ${ACTIVITIES.join(', ')})`);
  return a;
}

/** A `status` cell of an import: approved, pending, rejected, or void (such rows are skipped). */
export function parseImportStatus(s: string): HoursStatus | 'void' {
  const v = s.trim().toLowerCase();
  if (v === 'approved' || v === 'pending' || v === 'rejected') return v;
  if (v === 'void' || v === 'voided') return 'void';
  throw new ValidationError(`invalid status "${s}" (expected approved, pending, rejected or void)`);
}

/** Notes are stored trimmed, with \n line ends; empty means none. */
export function normalizeNote(s: string | null | undefined): string | null {
  if (s === null || s === undefined) return null;
  const t = s.replace(/\r\n?/g, '\n').trim();
  return t === '' ? null : t;
}

/** A note (or a topic, goals, a reason) as given by a user or a CSV cell: normalized, then checkText (line breaks allowed). */
export function parseNote(s: string | null | undefined, what = 'note'): string | null {
  const t = normalizeNote(s);
  return t === null ? null : checkText(t, what, { multiline: true });
}

/** Dates after today are refused unless explicitly allowed (e.g. a scheduled shift logged ahead). */
export function assertNotFuture(date: string, today: string, allowFuture: boolean | undefined): void {
  if (!allowFuture && date > today) {
    throw new ValidationError(`date ${date} is in the future (today is ${today}); add --allow-future if that is intended`);
  }
}

/** Every rule an entry's content must meet (person/program existence and state are checked by the caller). */
export function validateEntry(e: EntryContent, opts: { today: string; allowFuture?: boolean }): void {
  validateEntryMinutes(e.minutes);
  assertNotFuture(e.date, opts.today, opts.allowFuture);
  if (!Number.isInteger(e.miles) || e.miles < 0) throw new ValidationError('miles cannot be negative');
  if (!Number.isInteger(e.expenses) || e.expenses < 0) throw new ValidationError('expenses cannot be negative');
}

const scratch = new Date(0);
/** Days since 0000-01-01 (proleptic Gregorian) of an ISO date: 0001-01-01 → 366, 9999-12-31 → 3652424. */
export function dayNumber(iso: string): number {
  scratch.setUTCFullYear(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
  return Math.floor(scratch.getTime() / 86_400_000) + 719_528;
}

/**
 * The import fingerprint, 16 bytes: the entry's date as a 3-byte day number, then the first 13 bytes of
 * SHA-256 over the normalised content (person, date, minutes, program, activity, miles, expenses,
 * reimbursed, note). The date prefix keeps the (fingerprint, seq) index local for files in date order
 * (most exports), which makes large imports much faster; 104 bits of hash per day leave no practical
 * chance of a collision. Status is not part of it, so approving or rejecting an entry never makes a
 * re-import see it as new.
 */
export function fingerprint(e: EntryContent): Buffer {
  const text = `${e.person_id}\u001f${e.date}\u001f${e.minutes}\u001f${e.program_id}\u001f${e.activity}\u001f${e.miles}\u001f${e.expenses}\u001f${e.reimbursed}\u001f${normalizeNote(e.note) ?? ''}`;
  const out = Buffer.allocUnsafe(16);
  out.writeUIntBE(dayNumber(e.date), 0, 3);
  crypto.createHash('sha256').update(text, 'utf8').digest().copy(out, 3, 0, 13);
  return out;
}

/** A person/day whose total passes 24 h (a warning, not an error). */
export interface DayOverflow {
  person_id: number;
  name: string;
  date: string;
  minutes: number;
}

export function describeOverflow(o: DayOverflow): string {
  return `${o.name} (#${o.person_id}) on ${o.date}: ${formatHours(o.minutes)} h`;
}
