/** Matching CSV header cells to fields: normalised names, synonyms, --map, full-name columns. */
import { UsageError, ValidationError } from '../errors.js';
import { normalizeHeader } from '../domain/text.js';

export interface FieldSpec {
  field: string;
  /** Normalised alternative header names (lowercase, no spaces, `_`, `-`, `.`). */
  synonyms?: string[];
}

export interface HeaderMapping {
  /** Field per column index, or null for an unknown column. */
  columns: (string | null)[];
  unknown: string[];
  /** Index of a name/full-name column that fills first/last name, or null. */
  splitName: number | null;
}

const FULL_NAME_HEADERS = ['name', 'fullname', 'volunteername', 'personname'];

export function parseMaps(map: string[] | undefined, fields: FieldSpec[]): Map<string, string> {
  const out = new Map<string, string>();
  const known = fields.map((f) => f.field);
  for (const m of map ?? []) {
    const eq = m.lastIndexOf('=');
    if (eq <= 0 || eq === m.length - 1) throw new UsageError(`--map "${m}": expected "Header=field"`);
    const header = normalizeHeader(m.slice(0, eq));
    const field = m.slice(eq + 1).trim();
    if (!known.includes(field)) throw new UsageError(`--map: unknown field "${field}" (known: ${known.join(', ')})`);
    out.set(header, field);
  }
  return out;
}

export function mapHeaders(header: string[], fields: FieldSpec[], map: string[] | undefined, opts: { strict?: boolean; nameField?: boolean } = {}): HeaderMapping {
  const maps = parseMaps(map, fields);
  const lookup = new Map<string, string>();
  for (const f of fields) {
    lookup.set(normalizeHeader(f.field), f.field);
    for (const s of f.synonyms ?? []) if (!lookup.has(s)) lookup.set(s, f.field);
  }
  const columns: (string | null)[] = [];
  const unknown: string[] = [];
  const taken = new Map<string, string>();
  let splitName: number | null = null;
  header.forEach((h, i) => {
    const n = normalizeHeader(h);
    const field = maps.get(n) ?? lookup.get(n) ?? null;
    if (field) {
      const other = taken.get(field);
      if (other !== undefined) throw new ValidationError(`columns "${other}" and "${h}" both map to field ${field}`);
      taken.set(field, h);
      columns.push(field);
      return;
    }
    columns.push(null);
    if (opts.nameField && FULL_NAME_HEADERS.includes(n) && splitName === null) {
      splitName = i;
      return;
    }
    if (n !== '') unknown.push(h);
  });
  if (splitName !== null && (taken.has('first_name') || taken.has('last_name'))) {
    unknown.push(header[splitName]!);
    splitName = null;
  }
  if (opts.strict && unknown.length > 0) {
    throw new ValidationError(`unknown column(s): ${unknown.join(', ')} (use --map "Header=field" or drop them)`);
  }
  return { columns, unknown, splitName };
}

/** "Ana María Okafor" → Ana María / Okafor; "Okafor, Ana" → Ana / Okafor; "Ana" → Ana / "". */
export function splitFullName(s: string): { first: string; last: string } {
  const v = s.trim().replace(/\s+/g, ' ');
  if (v.includes(',')) {
    const [last, ...rest] = v.split(',');
    return { first: rest.join(',').trim(), last: last!.trim() };
  }
  const parts = v.split(' ');
  if (parts.length === 1) return { first: parts[0]!, last: '' };
  return { first: parts.slice(0, -1).join(' '), last: parts.at(-1)! };
}
