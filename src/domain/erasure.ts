/**
 * What `people forget` looks for in free text that is not part of the person's own records (which are
 * cleared whole): the values that identify them. Pure.
 *
 * In text (other people's notes and topics, references, reasons, descriptions, the audit log) only
 * what identifies the person with near certainty is replaced by [erased], so that nobody else's words
 * or records change: their email, their full name in its usual orders and spellings (both Unicode
 * normal forms, either apostrophe, written together as in 王伟), their phone number however it is
 * written (digits with any spaces, dots, dashes or brackets, with or without +1), their external id,
 * licence number and street address, each as a whole token (so `AB-123456` is not found in
 * `AB-1234567`, nor `bob@lee.org` in `jim.bob@lee.org`).
 *
 * In import file names (`ana.okafor@example.org-hours.csv`, `okafor_march.csv`) each of their names
 * and their email's local part count too: a file name is a label that names the person it came from.
 * Short or purely numeric identifiers (an external id "12") would match ordinary numbers, so they are
 * left to the clearing of the person's own records.
 */
export const ERASED_TEXT = '[erased]';

export interface IdentityValues {
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  external_id: string | null;
  phone: string | null;
  license_number: string | null;
  address_line1: string | null;
  address_line2: string | null;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A value as typed and in both Unicode normal forms (a name may be stored composed and written decomposed). */
const forms = (v: string) => [...new Set([v, v.normalize('NFC'), v.normalize('NFD')])];
/** O'Brien, O’Brien, OBrien. */
const apostrophes = (v: string) => (/['’]/.test(v) ? [v, v.replace(/['’]/g, '’'), v.replace(/['’]/g, "'"), v.replace(/['’]/g, '')] : [v]);
/** Scripts written without spaces between words: a name there has no word boundary to look for. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

/** An identifier worth looking for everywhere: long enough, and not just a number. */
function distinctive(s: string | null | undefined): s is string {
  if (!s) return false;
  const t = s.trim();
  return t.length >= 4 && (/\D/.test(t) || t.length >= 6);
}

export interface Scrubber {
  /** `text` with every identifying value replaced by [erased] (the same string when nothing matched). */
  (text: string): string;
  /** The literal values looked for (for tests and for the byte check). */
  values: string[];
}

export type ScrubMode = 'text' | 'file-name';

const byLength = (a: string, b: string) => b.length - a.length;

/**
 * One regular expression for a list of literal values, longest first, each with the given boundaries.
 * With `anySpace`, a space in a value matches any run of white space (`José  O'Neil`, a line break,
 * a no-break space), and ", " any spacing after the comma.
 */
function alternation(values: Iterable<string>, before: string, after: string, flags: string, anySpace = false): RegExp | null {
  let parts = [...new Set(values)]
    .filter((v) => v.length > 0)
    .sort(byLength)
    .map(escapeRe);
  if (anySpace) parts = parts.map((v) => v.replace(/,? +/g, (m) => (m.startsWith(',') ? ',\\s*' : '\\s+')));
  return parts.length ? new RegExp(`${before}(?:${parts.join('|')})${after}`, flags) : null;
}

const PHONE_SEP = '[\\s().-]*';

/**
 * The forms a phone number is written in, as patterns over its digits (any separators between them):
 * as stored; for an international number (`+44 20 7946 0958`) also without its country code, 1 to 3
 * digits as it may be, with the trunk 0 of a national format (`020 7946 0958`, `(020) 7946-0958`);
 * for a national one with a trunk 0, without it; +1 or 1 in front of a North American number. Only
 * forms of 7 digits or more: shorter ones would match ordinary numbers.
 */
function phonePatterns(phone: string): { patterns: string[]; cores: string[] } {
  const digits = phone.replace(/\D/g, '');
  const cores = new Map<string, string[]>(); // core digits → the prefixes it may carry
  const addCore = (core: string, prefixes: string[]) => {
    if (core.length >= 7) cores.set(core, [...(cores.get(core) ?? []), ...prefixes]);
  };
  const international = phone.trim().startsWith('+');
  // A number written without a country code may be North American: +1 or 1 in front (as before).
  addCore(digits, international || digits.startsWith('0') ? [] : ['\\+?1']);
  if (digits.length === 11 && digits.startsWith('1')) addCore(digits.slice(1), ['\\+?1']);
  if (international) {
    for (let k = 1; k <= 3; k++) addCore(digits.slice(k), [`(?:\\+|00)?${digits.slice(0, k)}${PHONE_SEP}(?:\\(0\\)${PHONE_SEP})?`, '0']);
  } else if (digits.startsWith('0')) addCore(digits.slice(1), ['0', '\\+\\d{1,3}']);
  const patterns = [...cores].map(([core, prefixes]) => {
    const body = [...core].join(PHONE_SEP);
    return prefixes.length ? `(?:(?:${prefixes.join('|')})${PHONE_SEP})?${body}` : body;
  });
  return { patterns, cores: [...cores.keys()] };
}

export function scrubberFor(p: IdentityValues, mode: ScrubMode = 'text'): Scrubber {
  const first = p.first_name?.trim() || '';
  const last = p.last_name?.trim() || '';
  const res: RegExp[] = [];
  const values: string[] = [];
  const add = (re: RegExp | null, vs: string[]) => {
    if (re) {
      res.push(re);
      values.push(...vs);
    }
  };

  // The email as a whole address: not the end of a longer local part, not the start of a longer domain.
  // In a file name anything may follow it (`ana@example.org-hours.csv`).
  if (p.email) add(alternation(forms(p.email), '(?<![\\w.%+-])', mode === 'file-name' ? '' : '(?![\\w-]|\\.\\w)', 'giu'), [p.email]);

  // The full name.
  const full: string[] = [];
  if (first && last) {
    for (const v of [
      `${first} ${last}`,
      `${last}, ${first}`,
      `${last} ${first}`,
      `${first}.${last}`,
      `${first}_${last}`,
      `${first}-${last}`,
      `${first}${last}`,
      `${last}${first}`,
    ]) {
      for (const a of apostrophes(v)) full.push(...forms(a));
    }
  }
  const spaced = full.filter((v) => !UNSPACED.test(v));
  add(alternation(spaced, '(?<![\\p{L}\\p{M}])', '(?![\\p{L}\\p{M}])', 'giu', true), spaced);
  const unspaced = full.filter((v) => UNSPACED.test(v));
  add(alternation(unspaced, '', '', 'gu'), unspaced);

  // Identifiers, as whole tokens.
  const ids = [p.external_id, p.license_number].filter(distinctive).map((v) => v.trim());
  add(alternation(ids.flatMap(forms), '(?<![\\p{L}\\p{N}])', '(?![\\p{L}\\p{N}])', 'giu'), ids);
  // Street addresses in every spelling of their apostrophes (12 Rue de l'Église, l’Église) and spacing.
  const addresses = [p.address_line1, p.address_line2].filter(distinctive).map((v) => v.trim());
  add(alternation(addresses.flatMap(apostrophes).flatMap(forms), '(?<![\\p{L}\\p{N}])', '(?![\\p{L}\\p{N}])', 'giu', true), addresses);

  // The phone number however it is written (phonePatterns).
  if (p.phone) {
    const { patterns, cores } = phonePatterns(p.phone);
    if (patterns.length) {
      res.push(new RegExp(`(?<!\\d)(?:${patterns.join('|')})(?!\\d)`, 'g'));
      values.push(...cores);
    }
  }

  if (mode === 'file-name') {
    // Each name, and the email's local part, as a word of its own ("okafor_march.csv", "Okafor2025.csv").
    const names = new Set<string>();
    for (const n of `${first} ${last}`.split(/[^\p{L}\p{M}'’]+/u)) {
      // O'Brien: the whole (in every spelling) and its parts.
      for (const part of [n, ...n.split(/['’]/)]) if (part.length >= 2) for (const a of apostrophes(part)) names.add(a);
    }
    const local = (p.email ?? '').split('@')[0] ?? '';
    if (local.length >= 3) names.add(local);
    const words = [...names].flatMap(forms);
    add(alternation(words, '(?<![\\p{L}\\p{M}])', '(?![\\p{L}\\p{M}])', 'giu'), words);
  }

  const fn = ((text: string) => {
    let out = text;
    for (const re of res) {
      re.lastIndex = 0;
      if (re.test(out)) out = out.replace(re, ERASED_TEXT);
    }
    return out;
  }) as Scrubber;
  fn.values = [...new Set(values)];
  return fn;
}

/** Scrub every string value inside a JSON document (an audit row's changes), keeping it valid JSON; keys stay. */
export function scrubJson(json: string, scrub: (s: string) => string): string {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return scrub(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return scrub(json);
  }
  const out = JSON.stringify(walk(parsed));
  return out === JSON.stringify(parsed) ? json : out;
}
