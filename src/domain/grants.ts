/**
 * Scholarships and training grants: statuses, the disbursement rule, service commitments. Pure.
 *
 * SPEC "Rules of state": disbursements (paid + scheduled) never exceed the award; a grant whose paid
 * total equals its amount is `completed` unless closed otherwise; with any payment it is `active`.
 * `cancelled` (and an early `completed`, e.g. under-spent) only come from `grants close`.
 */
import { ConflictError, ValidationError } from '../errors.js';
import { divRoundHalfAway, formatCents } from './money.js';
import { daysBetween } from './dates.js';
import { parseHours } from './duration.js';

export const GRANT_STATUSES = ['awarded', 'active', 'completed', 'cancelled'] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];
export const CLOSE_STATUSES = ['completed', 'cancelled'] as const;
export type CloseStatus = (typeof CLOSE_STATUSES)[number];
export type DisbursementStatus = 'scheduled' | 'paid' | 'cancelled';

/** The facts a status is derived from. */
export interface StatusFacts {
  amount: number;
  /** cents paid (up to the date of interest) */
  paid: number;
  /** the status set by `grants close`, when it was closed (up to the date of interest); else null */
  closedAs: CloseStatus | null;
}

/** The status of a grant: closed as given; otherwise completed when fully paid, active with any payment, else awarded. */
export function deriveStatus(f: StatusFacts): GrantStatus {
  if (f.closedAs) return f.closedAs;
  if (f.paid >= f.amount) return 'completed';
  if (f.paid > 0) return 'active';
  return 'awarded';
}

/** Whether a grant still accepts disbursements, payments and closing. */
export function isOpen(status: GrantStatus): boolean {
  return status === 'awarded' || status === 'active';
}

/** Refuse any change to a grant that is completed or cancelled (exit 5). */
export function assertOpen(g: { id: number; status: GrantStatus }, doing: string): void {
  if (!isOpen(g.status)) throw new ConflictError(`grant #${g.id} is ${g.status}; cannot ${doing}`);
}

/**
 * The rule: paid + scheduled (not cancelled) + the new amount never exceeds the award (exit 5), with
 * the numbers in the message.
 */
export function assertWithinAward(g: { id: number; amount: number; paid: number; scheduled: number }, add: number): void {
  const total = g.paid + g.scheduled + add;
  if (total > g.amount) {
    const room = Math.max(0, g.amount - g.paid - g.scheduled);
    throw new ConflictError(
      `disbursing ${formatCents(add)} would bring disbursements to ${formatCents(total)} of an award of ${formatCents(g.amount)} ` +
        `(grant #${g.id}: paid ${formatCents(g.paid)}, scheduled ${formatCents(g.scheduled)})`,
      room > 0 ? `at most ${formatCents(room)} can still be disbursed or scheduled` : 'nothing more can be disbursed on this grant',
    );
  }
}

/** A date that must not precede the award (disbursement, payment, closing). Exit 3. */
export function assertNotBeforeAward(date: string, awardedOn: string, what: string): void {
  if (date < awardedOn) throw new ValidationError(`${what} ${date} is before the award date ${awardedOn}`);
}

/** ISO 4217-looking currency code, upper-cased. */
export function parseCurrency(s: string): string {
  const c = s.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(c)) throw new ValidationError(`invalid --currency "${s}" (expected a 3-letter ISO 4217 code such as USD)`);
  return c;
}

/**
 * Grants are in the database currency (reports add amounts up): a different currency is refused (exit 3).
 */
export function assertDatabaseCurrency(currency: string, dbCurrency: string): void {
  if (currency !== dbCurrency) {
    throw new ValidationError(
      `--currency ${currency} differs from the database currency ${dbCurrency}; grants are recorded in ${dbCurrency} so that reports can add them up`,
      `convert the amount to ${dbCurrency}, or change the database currency with \`ngo config set currency ${currency}\` if every amount is in ${currency}`,
    );
  }
}

/** A service commitment in hours (`40`, `37.5`) → whole minutes (rounded half away from zero). Exit 3 when not > 0. */
export function parseServiceHours(s: string): number {
  const minutes = parseHours(s, '--service-hours');
  if (minutes <= 0) throw new ValidationError(`invalid --service-hours "${s}" (must be more than 0; leave it out for no service commitment)`);
  return minutes;
}

/** Hours remaining of a commitment, in minutes (never negative); null without a commitment. */
export function serviceMinutesRemaining(commitmentMinutes: number | null, loggedMinutes: number): number | null {
  if (commitmentMinutes === null) return null;
  return Math.max(0, commitmentMinutes - loggedMinutes);
}

// ---- what a grant still requires (issue 21) -----------------------------------------------------

export const REQUIREMENT_TYPES = ['report', 'milestone', 'document'] as const;
export type RequirementType = (typeof REQUIREMENT_TYPES)[number];

/**
 * How far ahead a date counts as "due" (a scheduled disbursement, a requirement, a service deadline):
 * within this many days from today, today included. Past it (before today) it is overdue.
 */
export const DUE_WINDOW_DAYS = 30;

export function parseRequirementType(s: string): RequirementType {
  const v = s.trim().toLowerCase();
  if ((REQUIREMENT_TYPES as readonly string[]).includes(v)) return v as RequirementType;
  throw new ValidationError(`invalid --type "${s}" (expected ${REQUIREMENT_TYPES.join(', ')})`);
}

/**
 * A requirement's state on `today`: fulfilled once a fulfilment date is recorded; waived when its grant
 * was cancelled before it was fulfilled (nothing is owed any more); overdue when its due date has
 * passed; due when it falls within DUE_WINDOW_DAYS; else open.
 */
export type RequirementState = 'fulfilled' | 'waived' | 'overdue' | 'due' | 'open';

export function requirementState(r: { due_on: string; fulfilled_on: string | null }, grantStatus: GrantStatus, today: string, dueBy: string): RequirementState {
  if (r.fulfilled_on !== null) return 'fulfilled';
  if (grantStatus === 'cancelled') return 'waived';
  if (r.due_on < today) return 'overdue';
  if (r.due_on <= dueBy) return 'due';
  return 'open';
}

/** A scheduled disbursement is overdue once its date has passed (before today) and it is still not paid. */
export function disbursementState(d: { status: DisbursementStatus; date: string }, today: string, dueBy: string): 'overdue' | 'due' | null {
  if (d.status !== 'scheduled') return null;
  if (d.date < today) return 'overdue';
  if (d.date <= dueBy) return 'due';
  return null;
}

/**
 * What a grantee owes back when a grant with a service commitment is cancelled before the commitment
 * is met: the paid amount × the unmet share of the committed minutes (committed − served) / committed,
 * rounded half away from zero to the cent, exactly. 0 when the commitment is met or nothing was paid.
 */
export function repaymentCents(paid: number, committedMinutes: number, servedMinutes: number): number {
  if (committedMinutes <= 0) throw new RangeError('a repayment needs a service commitment');
  const unmet = Math.max(0, committedMinutes - servedMinutes);
  return divRoundHalfAway(BigInt(paid) * BigInt(unmet), BigInt(committedMinutes));
}

/**
 * Where a service commitment with a deadline stands on `today`:
 * - `met`: the committed minutes are logged;
 * - `overdue`: the deadline has passed and it is not met;
 * - `behind`: before the deadline, fewer minutes logged than an even pace from the award date to the
 *   deadline would have by today (expected = committed × days elapsed / days in the window, rounded);
 * - `on-pace` otherwise. `expected` is that pace figure, in minutes.
 */
export function serviceSchedule(
  c: { committedMinutes: number; loggedMinutes: number; awardedOn: string; serviceBy: string },
  today: string,
): { state: 'met' | 'overdue' | 'behind' | 'on-pace'; expected: number } {
  if (c.loggedMinutes >= c.committedMinutes) return { state: 'met', expected: c.committedMinutes };
  if (today > c.serviceBy) return { state: 'overdue', expected: c.committedMinutes };
  const window = daysBetween(c.awardedOn, c.serviceBy);
  const elapsed = Math.max(0, daysBetween(c.awardedOn, today));
  const expected = window <= 0 ? c.committedMinutes : divRoundHalfAway(BigInt(c.committedMinutes) * BigInt(Math.min(elapsed, window)), BigInt(window));
  return { state: c.loggedMinutes < expected ? 'behind' : 'on-pace', expected };
}
