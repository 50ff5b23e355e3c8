/**
 * What `people forget` looks for in free text (notes, topics, reasons, references, file names, the
 * audit log) that is not attached to the person's own records: the values that identify them. Pure.
 *
 * - Their email (and its local part), full name in its usual orders, external id, phone, licence
 *   number and street address, anywhere, whatever the case.
 * - Each of their names on its own, as a whole word, as stored, in lower case or in upper case
 *   ("met Zephyrine", "zephyrine-hours.csv"): a note about someone else of the same name loses that
 *   name too, which an erasure accepts.
 * Short or purely numeric identifiers (an external id "12") would erase ordinary numbers, so they
 * are left to the clearing of the person's own records.
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
/**
 * Not inside a word: a letter (or a combining mark, as in a decomposed "é") on either side makes it part
 * of another word; a digit does not ("Quillfeather2025.csv" names the person).
 */
const word = (body: string) => `(?<![\\p{L}\\p{M}])(?:${body})(?![\\p{L}\\p{M}])`;
/** A value as typed and in both Unicode normal forms (a name may be stored composed and written decomposed). */
const forms = (v: string) => [...new Set([v, v.normalize('NFC'), v.normalize('NFD')])];

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

export function scrubberFor(p: IdentityValues): Scrubber {
  const anyCase: string[] = [];
  const first = p.first_name?.trim() || '';
  const last = p.last_name?.trim() || '';
  if (p.email) {
    anyCase.push(p.email);
    const local = p.email.split('@')[0] ?? '';
    if (distinctive(local)) anyCase.push(local);
  }
  if (first && last) anyCase.push(`${first} ${last}`, `${last}, ${first}`, `${last} ${first}`, `${first}.${last}`, `${first}_${last}`, `${first}-${last}`);
  for (const v of [p.external_id, p.phone, p.license_number, p.address_line1, p.address_line2]) if (distinctive(v)) anyCase.push(v.trim());
  // A phone number written as digits only ("5550199313" for "555-019-9313").
  const phoneDigits = (p.phone ?? '').replace(/\D/g, '');
  const digits = phoneDigits.length >= 7 ? phoneDigits : null;
  const names = new Set<string>();
  // Every run of letters of the names: "Robert \"Bobbo\" Quill-Feather" gives Robert, Bobbo, Quill, Feather.
  for (const n of [first, last, ...`${first} ${last}`.split(/[^\p{L}\p{M}]+/u)]) {
    if (n.length >= 2) {
      for (const f of forms(n)) {
        names.add(f);
        names.add(f.toLowerCase());
        names.add(f.toUpperCase());
      }
    }
  }
  // Longest first, so that "Ana Okafor" is replaced whole before "Ana" is looked for.
  const byLength = (a: string, b: string) => b.length - a.length;
  const parts = [...new Set(anyCase.flatMap(forms))].sort(byLength).map(escapeRe);
  const nameParts = [...names].sort(byLength).map(escapeRe);
  const res: RegExp[] = [];
  if (parts.length) res.push(new RegExp(parts.join('|'), 'giu'));
  if (nameParts.length) res.push(new RegExp(word(nameParts.join('|')), 'gu'));
  if (digits) res.push(new RegExp(`(?<!\\d)${digits}(?!\\d)`, 'g'));
  const fn = ((text: string) => {
    let out = text;
    for (const re of res) {
      re.lastIndex = 0;
      if (re.test(out)) out = out.replace(re, ERASED_TEXT);
    }
    return out;
  }) as Scrubber;
  fn.values = [...new Set([...anyCase, ...names, ...(digits ? [digits] : [])])];
  return fn;
}

/** Scrub every string inside a JSON document (an audit row's changes), keeping it valid JSON. */
export function scrubJson(json: string, scrub: (s: string) => string): string {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return scrub(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [scrub(k), walk(x)]));
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
