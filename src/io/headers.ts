/**
 * Matching CSV header cells to fields: normalised names (case, spaces, `_`, `-`, `.` ignored),
 * synonyms, `--map "Header=field"` (which wins), and a full-name column that fills first/last name.
 */
import { UsageError, ValidationError } from '../errors.js';
import { closestMatches, normalizeHeader } from '../domain/text.js';

export interface FieldSpec {
  field: string;
  /** Alternative header names; compared normalised, so `E-mail Address` and `emailaddress` are the same. */
  synonyms?: string[];
}

export interface HeaderMapping {
  /** Field per column index, or null (unknown, ignored, or the full-name column). */
  columns: (string | null)[];
  /** Source headers of the columns that match no field (the caller warns once; --strict makes it an error). */
  unknown: string[];
  /** Index of a name/full-name column used to fill first_name/last_name, or null. */
  splitName: number | null;
  /** --map entries whose header is not in the file (the caller may warn). */
  unusedMaps: string[];
  /** Indexes of the columns --map gave a field (a rejects file names them by that field). */
  mappedByOption: Set<number>;
  /** Indexes of the columns --map ignored ("Header=-"). */
  ignoredByOption: Set<number>;
}

/** Normalised headers of a column holding a whole name. */
export const FULL_NAME_HEADERS = ['name', 'fullname', 'volunteername', 'personname'];
/** `--map "Header=name"` picks the full-name column explicitly (with nameField). */
const NAME_PSEUDO_FIELD = 'name';
/** `--map "Header=-"` ignores a column without a warning. */
const IGNORE = '-';

interface ParsedMap {
  header: string;
  field: string;
  raw: string;
}

function parseMaps(map: string[] | undefined, fields: FieldSpec[], nameField: boolean): Map<string, ParsedMap> {
  const out = new Map<string, ParsedMap>();
  const known = fields.map((f) => f.field);
  const byNorm = new Map(known.map((f) => [normalizeHeader(f), f]));
  for (const m of map ?? []) {
    const eq = m.lastIndexOf('=');
    if (eq <= 0 || m.slice(0, eq).trim() === '' || m.slice(eq + 1).trim() === '') {
      throw new UsageError(`--map "${m}": expected "Header=field"`, 'for example --map "E-mail Address=email"; use "Header=-" to ignore a column');
    }
    const header = normalizeHeader(m.slice(0, eq));
    const want = m.slice(eq + 1).trim();
    let field: string | undefined;
    if (want === IGNORE) field = IGNORE;
    else if (nameField && normalizeHeader(want) === NAME_PSEUDO_FIELD && !byNorm.has(NAME_PSEUDO_FIELD)) field = NAME_PSEUDO_FIELD;
    else field = byNorm.get(normalizeHeader(want));
    if (field === undefined) {
      const close = closestMatches(want, known, 1);
      throw new UsageError(
        `--map: unknown field "${want}" (known: ${known.join(', ')}${nameField ? ', name' : ''})`,
        close.length > 0 ? `did you mean "${close[0]}"?` : undefined,
      );
    }
    out.set(header, { header, field, raw: m });
  }
  return out;
}

/**
 * How many cells of a row name a known field (its name, a synonym, a --map header, or a full-name
 * header): how the import tells a header from the title lines above it.
 */
export function knownHeaderCells(cells: string[], fields: FieldSpec[], map: string[] | undefined, nameField: boolean): number {
  const known = new Set<string>();
  for (const f of fields) {
    known.add(normalizeHeader(f.field));
    for (const s of f.synonyms ?? []) known.add(normalizeHeader(s));
  }
  if (nameField) for (const h of FULL_NAME_HEADERS) known.add(h);
  for (const m of map ?? []) {
    const eq = m.lastIndexOf('=');
    if (eq > 0) known.add(normalizeHeader(m.slice(0, eq)));
  }
  return cells.filter((c) => c !== '' && known.has(normalizeHeader(c))).length;
}

/**
 * Map each header cell to a field. Precedence: --map, then the field's own name, then a synonym.
 * Two columns for one field is a ValidationError; with `strict`, so are unknown columns.
 */
export function mapHeaders(
  header: string[],
  fields: FieldSpec[],
  map: string[] | undefined,
  opts: { strict?: boolean; nameField?: boolean } = {},
): HeaderMapping {
  const nameField = opts.nameField === true;
  const maps = parseMaps(map, fields, nameField);
  const lookup = new Map<string, string>();
  for (const f of fields) lookup.set(normalizeHeader(f.field), f.field);
  for (const f of fields) {
    for (const s of f.synonyms ?? []) {
      const n = normalizeHeader(s);
      if (!lookup.has(n)) lookup.set(n, f.field);
    }
  }

  const norm = header.map((h) => normalizeHeader(h));
  const columns: (string | null)[] = new Array<string | null>(header.length).fill(null);
  const taken = new Map<string, number>();
  const usedMaps = new Set<string>();
  let splitName: number | null = null;
  let explicitName: number | null = null;
  const ignored = new Set<number>();

  const take = (i: number, field: string) => {
    const other = taken.get(field);
    if (other !== undefined) {
      throw new ValidationError(
        `columns "${header[other]}" and "${header[i]}" both map to field ${field}`,
        'drop one of them, or point one elsewhere with --map "Header=field" ("Header=-" ignores it)',
      );
    }
    taken.set(field, i);
    columns[i] = field;
  };

  const mappedByOption = new Set<number>();
  norm.forEach((n, i) => {
    const m = maps.get(n);
    if (m) {
      usedMaps.add(n);
      if (m.field === IGNORE) ignored.add(i);
      else if (m.field === NAME_PSEUDO_FIELD) {
        if (explicitName !== null) throw new ValidationError(`columns "${header[explicitName]}" and "${header[i]}" both map to field name`);
        explicitName = i;
      } else {
        take(i, m.field);
        mappedByOption.add(i);
      }
      return;
    }
    const field = lookup.get(n);
    if (field !== undefined) take(i, field);
  });

  if (nameField && !taken.has('first_name') && !taken.has('last_name')) {
    if (explicitName !== null) splitName = explicitName;
    else {
      const i = norm.findIndex((n, k) => columns[k] === null && !ignored.has(k) && FULL_NAME_HEADERS.includes(n));
      if (i >= 0) splitName = i;
    }
  } else if (explicitName !== null) {
    throw new UsageError(`--map: "${header[explicitName]}=name" cannot be used when the file also has first_name/last_name columns`);
  }

  const unknown: string[] = [];
  header.forEach((h, i) => {
    if (columns[i] !== null || ignored.has(i) || i === splitName) return;
    unknown.push(h.trim() === '' ? `(unnamed column ${i + 1})` : h);
  });
  if (opts.strict && unknown.length > 0) {
    throw new ValidationError(`unknown column(s): ${unknown.join(', ')} (use --map "Header=field" or drop them)`);
  }
  const unusedMaps = [...maps.values()].filter((m) => !usedMaps.has(m.header)).map((m) => m.raw);
  return { columns, unknown, splitName, unusedMaps, mappedByOption, ignoredByOption: new Set(ignored) };
}

const SUFFIXES = new Set(['jr', 'jr.', 'sr', 'sr.', 'ii', 'iii', 'iv', 'v']);
const PARTICLES = new Set([
  'da',
  'de',
  'del',
  'della',
  'der',
  'di',
  'do',
  'dos',
  'das',
  'du',
  'la',
  'le',
  'van',
  'von',
  'den',
  'ter',
  'bin',
  'ibn',
  'al',
  'el',
]);

/**
 * Split a whole name: "Ana María Okafor" → first "Ana María", last "Okafor"; "Okafor, Ana" → first
 * "Ana", last "Okafor"; a single word → first only. Lowercase particles stay with the last name
 * ("Ana de la Cruz" → "de la Cruz"), and so does a suffix ("Martin King Jr." → "King Jr.").
 */
export function splitFullName(s: string): { first: string; last: string } {
  const v = s.trim().replace(/\s+/g, ' ');
  if (v === '') return { first: '', last: '' };
  const comma = v.indexOf(',');
  if (comma >= 0) {
    const last = v.slice(0, comma).trim();
    const first = v.slice(comma + 1).trim();
    if (first === '') return splitFullName(last);
    // "Ana Okafor, Jr." is a suffix, not "Last, First".
    if (SUFFIXES.has(first.toLowerCase()) && last.includes(' ')) {
      const r = splitFullName(last);
      return { first: r.first, last: r.last ? `${r.last} ${first}` : first };
    }
    return { first, last };
  }
  const parts = v.split(' ');
  if (parts.length === 1) return { first: parts[0]!, last: '' };
  let cut = parts.length - 1;
  if (parts.length > 2 && SUFFIXES.has(parts[cut]!.toLowerCase())) cut--;
  while (cut > 1 && PARTICLES.has(parts[cut - 1]!) && parts[cut - 1] === parts[cut - 1]!.toLowerCase()) cut--;
  return { first: parts.slice(0, cut).join(' '), last: parts.slice(cut).join(' ') };
}
