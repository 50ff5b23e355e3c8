/** Small text rules: emails, CSV headers, booleans, "did you mean". */
import { ValidationError } from '../errors.js';

export function normalizeEmail(s: string): string {
  return s.trim().toLowerCase();
}

export function isPlausibleEmail(s: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s) && s.length <= 254;
}

export function normalizeHeader(s: string): string {
  return s.replace(/^\ufeff/, '').toLowerCase().replace(/[\s_\-.]+/g, '');
}

export function parseBool(s: string, what: string): boolean {
  const v = s.trim().toLowerCase();
  if (['yes', 'y', 'true', '1'].includes(v)) return true;
  if (['no', 'n', 'false', '0'].includes(v)) return false;
  throw new ValidationError(`invalid ${what} "${s}" (expected yes/no, true/false or 1/0)`);
}

function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** Candidates within a small edit distance of `needle`, best first. */
export function closestMatches(needle: string, candidates: string[], max = 3): string[] {
  const n = needle.toLowerCase();
  const limit = Math.max(2, Math.floor(n.length / 3));
  return candidates
    .map((c) => ({ c, d: levenshtein(n, c.toLowerCase()) }))
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, max)
    .map((x) => x.c);
}
