/** Small text rules: emails, CSV header names, yes/no cells, and "did you mean" suggestions. */
import { ValidationError } from '../errors.js';

/** Emails compare case-insensitively: trimmed and lowercased. */
/** Lower-cased as SQLite's lower() and NOCASE do, and lower() of a C-collated PostgreSQL column: ASCII letters only. */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/**
 * Text as a search compares it: accents and other combining marks dropped (NFKD), then lower-cased
 * in full Unicode (`LUCÍA` and `lucia` alike; `Ｌｕｃｉａ` too), spaces collapsed.
 */
export function searchFold(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

export function normalizeEmail(s: string): string {
  return s.trim().toLowerCase();
}

/** One `@`, a non-empty local part, a domain of non-empty dot-separated labels, no whitespace. */
export function isPlausibleEmail(s: string): boolean {
  return s.length <= 254 && /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(s);
}

/**
 * Header cell → matching key: BOM stripped, lowercase, accents dropped, nothing but letters and digits
 * (`E-mail Address` → `emailaddress`, `Start Date & Time` → `startdatetime`, `Hours (decimal)` → `hoursdecimal`).
 */
export function normalizeHeader(s: string): string {
  return s
    .replace(/\ufeff/g, '')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
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

/**
 * Control characters a stored text may not hold (SPEC "Faults and values"): C0 but tab, DEL, C1.
 * Line feeds (and the CR of CRLF, which notes normalise away) are allowed only in multi-line text.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LF = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** `U+001B` for a refusal message. */
function codePoint(ch: string): string {
  return 'U+' + ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * Refuse a text value holding a control character (exit 3): C0 other than tab, DEL and C1; a line
 * break too unless `multiline` (notes, topics, goals). `what` names the field or flag.
 */
export function refuseControl(value: string, what: string, opts: { multiline?: boolean } = {}): string {
  const re = opts.multiline ? CONTROL_BUT_LF : CONTROL;
  const m = re.exec(value);
  if (m) {
    const ch = m[0];
    const kind = ch === '\n' || ch === '\r' ? 'a line break' : `a control character (${codePoint(ch)}, shown as ${terminalSafe(ch)})`;
    throw new ValidationError(
      `${what} contains ${kind} at character ${m.index + 1}; only printable text is stored${ch === '\n' || ch === '\r' ? ' (line breaks are allowed only in notes, topics, goals, descriptions and purposes)' : ''}`,
    );
  }
  return value;
}

/** Free text as stored: at most MAX_TEXT characters, no control characters; `what` names it in the error. */
export function checkText(value: string, what: string, opts: { multiline?: boolean } = {}): string {
  if (value.length > MAX_TEXT) throw new ValidationError(`${what} is too long (${value.length} characters; at most ${MAX_TEXT})`);
  return refuseControl(value, what, opts);
}

/**
 * What a terminal must not receive raw: control characters (C0 but tab, DEL, C1), line and paragraph
 * separators, and every invisible format character (Unicode category Cf: the bidirectional controls
 * and marks, zero-width space, word joiner, soft hyphen, tags…) but the zero-width joiner and
 * non-joiner that scripts and emoji need, and the other characters that show as nothing (the combining
 * grapheme joiner, the Khmer inherent vowels, the Hangul fillers): a name
 * carrying them looks like another in a pick list (fifth attack, finding 3).
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /(?![\u200c\u200d])[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\p{Cf}\u115f\u1160\u3164\uffa0]|\u034f|\u17b4|\u17b5/gu;
// eslint-disable-next-line no-control-regex
const UNSAFE_BUT_LINES = /(?![\u200c\u200d])[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\p{Cf}\u115f\u1160\u3164\uffa0]|\u034f|\u17b4|\u17b5/gu;

function escapeChar(ch: string): string {
  const c = ch.codePointAt(0)!;
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  if (c > 0xffff) return `\\u{${c.toString(16)}}`;
  return c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
}

/**
 * Text as it may reach a terminal: every control character (C0 but tab, DEL, C1) and the bidirectional
 * overrides shown escaped (`\x1b`, `\u202e`), so stored data can never drive the terminal, forge an
 * error line or reorder what is shown. `keepLines` leaves line feeds (CSV on a terminal; a lone CR is escaped: it would overwrite the line); otherwise
 * they are escaped too (`\n`): a message is one line. The single escaping of tables, summaries, errors.
 */
export function terminalSafe(s: string, opts: { keepLines?: boolean } = {}): string {
  // A byte-order mark that starts the text (CSV written with --bom) is the file's, not the data's.
  if (s.charCodeAt(0) === 0xfeff) return '\ufeff' + terminalSafe(s.slice(1), opts);
  const re = opts.keepLines ? UNSAFE_BUT_LINES : UNSAFE;
  re.lastIndex = 0;
  return re.test(s) ? s.replace(re, escapeChar) : s;
}

/** A program cell or name as it is matched: case, accents, spaces and punctuation ignored ("Tele-Health" = "telehealth"). */
export function looseKey(s: string): string {
  return searchFold(s).replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * A program code made from a name (hours import --create-programs): accents dropped, upper case, each
 * run of other characters one `-`, at most 32 characters ("Telehealth Counseling" → TELEHEALTH-COUNSELING).
 * Empty when the name has no letter or digit of A-Z/0-9 (a name in another script: add the program by hand).
 */
export function codeFromName(name: string): string {
  return searchFold(name)
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 32)
    .replace(/-+$/, '');
}
