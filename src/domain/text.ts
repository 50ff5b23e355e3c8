/** Small text rules: emails, CSV header names, yes/no cells, and "did you mean" suggestions. */
import { ValidationError } from '../errors.js';

/** Emails compare case-insensitively: trimmed and lowercased. */
export function normalizeEmail(s: string): string {
  return s.trim().toLowerCase();
}

/** One `@`, a non-empty local part, a domain of non-empty dot-separated labels, no whitespace. */
export function isPlausibleEmail(s: string): boolean {
  return s.length <= 254 && /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(s);
}

/** Header cell → matching key: BOM stripped, lowercase, no spaces, `_`, `-` or `.` (`E-mail Address` → `emailaddress`). */
export function normalizeHeader(s: string): string {
  return s.replace(/\ufeff/g, '').toLowerCase().replace(/[\s_\-.]+/g, '');
}

const TRUE = new Set(['yes', 'y', 'true', '1']);
const FALSE = new Set(['no', 'n', 'false', '0']);

/** yes/no, y/n, true/false, 1/0 (case-insensitive, trimmed); anything else is a ValidationError. */
export function parseBool(s: string, what: string): boolean {
  const v = s.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new ValidationError(`invalid ${what} "${s}" (expected yes/no, true/false or 1/0)`);
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = Math.min(up + 1, row[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length]!;
}

/**
 * Up to `max` candidates within Levenshtein distance max(2, ⌊needle.length / 3⌋) of `needle`
 * (case-insensitive), closest first; ties keep the candidates' order. Duplicates are dropped.
 */
export function closestMatches(needle: string, candidates: string[], max = 3): string[] {
  const n = needle.trim().toLowerCase();
  const limit = Math.max(2, Math.floor(n.length / 3));
  return [...new Set(candidates)]
    .map((c) => ({ c, d: levenshtein(n, c.toLowerCase()) }))
    .filter((x) => x.d <= limit)
    .sort((x, y) => x.d - y.d)
    .slice(0, max)
    .map((x) => x.c);
}

/** The longest free-text value kept (a name, a note, an address line): a remark, not a case file. */
export const MAX_TEXT = 2000;

/** Free text as stored: at most MAX_TEXT characters and no NUL; `what` names it in the error. */
export function checkText(value: string, what: string): string {
  if (value.length > MAX_TEXT) throw new ValidationError(`${what} is too long (${value.length} characters; at most ${MAX_TEXT})`);
  if (value.includes('\u0000')) throw new ValidationError(`${what} contains a NUL character`);
  return value;
}
