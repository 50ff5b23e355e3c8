/**
 * Mentorship pairings: the lifecycle (active ⇄ paused → ended, with an outcome), the rules of state,
 * and what "stale" means. Pure functions; the store supplies the rows.
 */
import { ConflictError, ValidationError } from '../errors.js';
import { parseRecordId } from './ids.js';
import { daysBetween } from './dates.js';

export const PAIRING_STATUSES = ['active', 'paused', 'ended'] as const;
export type PairingStatus = (typeof PAIRING_STATUSES)[number];
/** `mentorship list --status`: a status, `open` (active or paused, the default) or `all`. */
export const PAIRING_LIST_STATUSES = ['active', 'paused', 'ended', 'open', 'all'] as const;
export type PairingListStatus = (typeof PAIRING_LIST_STATUSES)[number];
export const OUTCOMES = ['completed', 'withdrawn', 'rematched', 'other'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export function parseOutcome(s: string): Outcome {
  const v = s.trim().toLowerCase();
  if ((OUTCOMES as readonly string[]).includes(v)) return v as Outcome;
  throw new ValidationError(`invalid outcome "${s}" (expected ${OUTCOMES.join(', ')})`);
}

/** "12" or "#12" → 12. */
export function parsePairingId(s: string): number {
  return parseRecordId(s, 'pairing', 'ngo mentorship list');
}

/** --stale DAYS: a whole number of days, at least 1. */
export function parseStaleDays(s: string): number {
  const t = s.trim();
  if (!/^\d{1,5}$/.test(t) || Number(t) < 1) throw new ValidationError(`invalid --stale "${s}" (expected a whole number of days, e.g. 30)`);
  return Number(t);
}

export interface PairingState {
  id: number;
  status: PairingStatus;
  start_date: string;
  end_date: string | null;
}

/** What each lifecycle action needs the pairing to be (exit 5 otherwise). */
export function assertTransition(p: PairingState, action: 'meet' | 'pause' | 'resume' | 'end'): void {
  const label = `pairing #${p.id}`;
  if (p.status === 'ended') {
    const what = action === 'meet' ? 'no meeting can be recorded on it' : `it cannot be ${action === 'end' ? 'ended again' : action + 'd'}`;
    throw new ConflictError(`${label} ended on ${p.end_date}; ${what}`, 'to start again, pair the two anew: ngo mentorship pair MENTOR MENTEE');
  }
  if (action === 'meet' && p.status === 'paused')
    throw new ConflictError(`${label} is paused; meetings are recorded on active pairings only`, `resume it first: ngo mentorship resume ${p.id}`);
  if (action === 'pause' && p.status === 'paused') throw new ConflictError(`${label} is already paused`);
  if (action === 'resume' && p.status === 'active') throw new ConflictError(`${label} is active, not paused`);
}

/** A meeting falls inside the pairing: not before its start. */
export function checkMeetingDate(p: PairingState, date: string): void {
  if (date < p.start_date) throw new ValidationError(`date ${date} is before pairing #${p.id} started (${p.start_date})`);
}

/** An end date is not before the start, nor before the last meeting. */
export function checkEndDate(p: PairingState, date: string, lastMeeting: string | null): void {
  if (date < p.start_date) throw new ValidationError(`end date ${date} is before pairing #${p.id} started (${p.start_date})`);
  if (lastMeeting !== null && date < lastMeeting) throw new ValidationError(`end date ${date} is before the pairing's last meeting (${lastMeeting})`);
}

/** Days since the last contact: the last meeting, or the start when they never met. */
export function daysSinceContact(today: string, startDate: string, lastMeeting: string | null): number {
  return daysBetween(lastMeeting ?? startDate, today);
}

/** `--stale DAYS`: an active pairing with more than DAYS days since its last meeting (or its start). */
export function isStale(p: { status: string; start_date: string; last_meeting: string | null }, today: string, days: number): boolean {
  return p.status === 'active' && daysSinceContact(today, p.start_date, p.last_meeting) > days;
}
