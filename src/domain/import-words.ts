/**
 * Words of other systems' exports that ngo reads, kept as data (Contract v2 "Imports of real
 * exports"): the next system's export is a row here, not code.
 */
import { ValidationError } from '../errors.js';
import type { HoursStatus } from './hours.js';

/** What a status cell means: an entry's status, or `skip`: the row holds no hours (counted as skipped, never stored). */
export type StatusMeaning = HoursStatus | 'skip';

/**
 * Status words, compared with case, spaces and punctuation ignored ("No-Show" = "no show" = "noshow").
 * ngo's own: approved, pending, rejected, void. Volunteers for Salesforce: Completed, Confirmed, No-Show,
 * Canceled, Prospect, Web Sign Up. Galaxy Digital: approved, pending, declined. Others: Verified,
 * Attended, Submitted, Unverified, Cancelled.
 */
export const STATUS_WORDS: Readonly<Record<string, StatusMeaning>> = {
  approved: 'approved',
  completed: 'approved',
  verified: 'approved',
  confirmed: 'approved',
  attended: 'approved',
  pending: 'pending',
  submitted: 'pending',
  unverified: 'pending',
  rejected: 'rejected',
  declined: 'rejected',
  void: 'skip',
  voided: 'skip',
  noshow: 'skip',
  canceled: 'skip',
  cancelled: 'skip',
  prospect: 'skip',
  websignup: 'skip',
};

const foldWord = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** A status cell → its meaning; an unknown word is a row error naming the words known. */
export function parseStatusWord(s: string): StatusMeaning {
  const meaning = STATUS_WORDS[foldWord(s)];
  if (meaning !== undefined) return meaning;
  const by = (m: StatusMeaning) =>
    Object.keys(STATUS_WORDS)
      .filter((w) => STATUS_WORDS[w] === m)
      .join('/');
  throw new ValidationError(
    `invalid status "${s}" (approved: ${by('approved')}; pending: ${by('pending')}; rejected: ${by('rejected')}; not hours, skipped: ${by('skip')})`,
  );
}
