/**
 * Rendering rows as CSV, JSON or a table.
 * Column kinds: `text` (formula-guarded in CSV), `int`, `dec2` (an integer number of hundredths:
 * cents, hundredths of an hour or of a mile, written with exactly 2 places), `date`.
 */
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import type { stringify as Stringify } from 'csv-stringify/sync';
import type { Colours } from './colour.js';
import { formatHundredths } from '../domain/distance.js';
import type { OutStream } from '../context.js';
import { terminalSafe } from '../domain/text.js';
import { displayWidth, fitWidth } from './width.js';

export type ColKind = 'text' | 'int' | 'dec2' | 'date';
export interface Column {
  key: string;
  kind?: ColKind;
}
export type Cell = string | number | bigint | null | undefined;
export type Row = Record<string, Cell>;
export type Format = 'table' | 'csv' | 'json';

export const BOM = '\ufeff';

let stringifyImpl: typeof Stringify | undefined;

/**
 * csv-stringify's synchronous stringify, loaded on first use: most invocations write no CSV, and
 * loading it costs start-up time. Being synchronous, it is loaded with require() (the package's
 * CommonJS build of the same version). The one way into csv-stringify.
 */
export function stringify(...args: Parameters<typeof Stringify>): string {
  stringifyImpl ??= (createRequire(import.meta.url)('csv-stringify/sync') as { stringify: typeof Stringify }).stringify;
  return stringifyImpl(...args);
}

/**
 * OWASP CSV injection: a text cell starting with = + - @ tab or CR gets a leading apostrophe. So does
 * one that starts with apostrophes followed by such a character (`'=x` → `''=x`), so that the import's
 * unguard, which removes exactly one apostrophe from such a cell, gives every value back as it was
 * (SPEC "Faults and values": export → import round-trips values that begin with `'`). A cell that is
 * exactly "-" (the funder report's "no program" code) is not a formula and stays as is.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;
export function guardFormula(s: string): string {
  return s !== '-' && FORMULA_START.test(s) ? `'${s}` : s;
}

/** Undo guardFormula: one apostrophe off a cell of apostrophes followed by = + - @ tab or CR. */
export function unguardFormula(s: string): string {
  return s.length > 1 && s.charCodeAt(0) === 39 && FORMULA_START.test(s.slice(1)) ? s.slice(1) : s;
}

function isNumeric(kind: ColKind | undefined): boolean {
  return kind === 'int' || kind === 'dec2';
}

/** The text of a cell as CSV and tables show it (no guard). */
export function cellText(value: Cell, kind: ColKind | undefined): string {
  if (value === null || value === undefined) return '';
  if (kind === 'dec2' && (typeof value === 'number' || typeof value === 'bigint')) return formatHundredths(value);
  return String(value);
}

function csvCell(value: Cell, kind: ColKind | undefined): string {
  const s = cellText(value, kind);
  return isNumeric(kind) || kind === 'date' ? s : guardFormula(s);
}

/**
 * A number written into JSON as its exact decimal text (an amount of any size): JSON.stringify would
 * go through a float. Carried as a string marked with a random token of this process (data cannot
 * hold it) and unquoted afterwards by safeJson.
 */
const RAW = `ngo-raw-${randomBytes(9).toString('hex')}:`;
function rawNumber(text: string): string {
  return RAW + text;
}
const RAW_JSON = new RegExp(`"${RAW}(-?\\d+(?:\\.\\d+)?)"`, 'g');

/** Hundredths as the shortest exact JSON number: 8550 → 85.5, 100 → 1, -5 → -0.05 (as JSON.stringify wrote them). */
function hundredthsJson(v: number | bigint): string {
  return (
    formatHundredths(v)
      .replace(/\.?0+$/, '')
      .replace(/^(-?)$/, '$10') || '0'
  );
}

function jsonValue(value: Cell, kind: ColKind | undefined): string | number | null {
  if (value === null || value === undefined || value === '') return kind === 'text' || kind === undefined ? (value ?? null) : null;
  if (kind === 'dec2' && (typeof value === 'number' || typeof value === 'bigint')) return rawNumber(hundredthsJson(value));
  if (typeof value === 'bigint') return rawNumber(value.toString());
  return value;
}

export function csvHeader(columns: Column[]): string {
  return stringify([columns.map((c) => c.key)], { record_delimiter: '\n' });
}

/**
 * Rows are stringified in batches: the cell arrays of one batch die young, where arrays for every
 * row of a large report (86,000 in a tax report over 1M entries) outlived several garbage
 * collections and were copied to the old generation, which cost more than writing the CSV.
 * csv-stringify quotes a cell holding `\n` but not one holding a lone `\r`, which RFC 4180 (and
 * Excel) need quoted too: `quoted_match` does that, and since it costs a regular expression test
 * per cell, it is passed only for a batch whose text holds a `\r`.
 */
const CSV_BATCH = 512;
const CSV_PLAIN = { record_delimiter: '\n' } as const;
const CSV_QUOTE_CR = { record_delimiter: '\n', quoted_match: /\r/ } as const;

export function csvRows(rows: Row[], columns: Column[]): string {
  let out = '';
  for (let i = 0; i < rows.length; i += CSV_BATCH) {
    const end = Math.min(rows.length, i + CSV_BATCH);
    const batch: string[][] = [];
    let cr = false;
    for (let r = i; r < end; r++) {
      const row = rows[r]!;
      const cells = columns.map((c) => csvCell(row[c.key], c.kind));
      if (!cr && cells.some((cell) => cell.includes('\r'))) cr = true;
      batch.push(cells);
    }
    out += stringify(batch, cr ? CSV_QUOTE_CR : CSV_PLAIN);
  }
  return out;
}

export function renderCsv(rows: Row[], columns: Column[], opts: { bom?: boolean } = {}): string {
  return (opts.bom ? BOM : '') + csvHeader(columns) + csvRows(rows, columns);
}

/**
 * JSON.stringify escapes C0 control characters; DEL, C1, the bidirectional controls and the invisible
 * format characters (as terminalSafe escapes them) it leaves raw, and a terminal may act on them or
 * show nothing. They can only occur inside strings, where `\uXXXX` means the same.
 */
const JSON_UNSAFE =
  /\u034f|\u17b4|\u17b5|[\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb]|\udb40(?=[\udc00-\udc7f])|(?<=\udb40)[\udc00-\udc7f]|\ud834(?=[\udd73-\udd7a])|(?<=\ud834)[\udd73-\udd7a]/g;
export function safeJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? rawNumber(v.toString()) : v), indent)
    .replace(RAW_JSON, '$1')
    .replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function renderJson(rows: Row[], columns: Column[]): string {
  const out = rows.map((r) => Object.fromEntries(columns.map((c) => [c.key, jsonValue(r[c.key], c.kind)])));
  return safeJson(out) + '\n';
}

export function jsonRecord(row: Row, columns: Column[]): Record<string, unknown> {
  return Object.fromEntries(columns.map((c) => [c.key, jsonValue(row[c.key], c.kind)]));
}

/**
 * Text columns a table may shorten (names, addresses, notes, topics: words a reader can finish).
 * Every other column (numbers, amounts, dates, ids, codes, statuses, licence numbers, periods) is
 * shown whole: a table that showed "150…" for 1500.00 or a licence number cut short would be a wrong
 * figure on the screen. A row that cannot fit even so is shown as a record, one field a line.
 */
const SHRINKABLE = new Set([
  'name',
  'first_name',
  'last_name',
  'email',
  'note',
  'notes',
  'purpose',
  'description',
  'detail',
  'subject',
  'topic',
  'goals',
  'grantee',
  'supervisor',
  'supervisee',
  'supervisees',
  'mentor',
  'mentee',
  'funder_name',
  'program_name',
  'archived_reason',
  'cancel_reason',
  'source',
  'services_description',
  'address_line1',
  'address_line2',
  'city',
  'region',
  'country',
  'outcome',
  'item',
  'actor',
  'funder',
  'program',
  'volunteer',
]);
/** The narrowest a shortened column gets: its header, and at least this many columns of text. */
const MIN_SHRUNK = 12;
const GAP = 2;

function shrinkable(c: Column): boolean {
  return (c.kind === undefined || c.kind === 'text') && SHRINKABLE.has(c.key);
}

/**
 * A table for a terminal `width` columns wide (when given). Widths are display widths (a CJK
 * character or an emoji takes two columns). When the natural table is too wide, free-text columns
 * (SHRINKABLE) are shortened, widest first, their cells ending in "…"; numbers, dates, codes and
 * identifiers never are. When it is still too wide, each row is shown as a record (the layout of
 * psql's expanded mode), where nothing is cut. Numbers are right-aligned; line breaks and tabs in
 * cells are shown as spaces, other control characters escaped.
 */
export function renderTable(rows: Row[], columns: Column[], opts: { width?: number; chalk?: Colours } = {}): string {
  const headers = columns.map((c) => terminalSafe(c.key));
  const cells = rows.map((r) => columns.map((c) => terminalSafe(cellText(r[c.key], c.kind).replace(/[\r\n\t]+/g, ' '))));
  const cellWidths = cells.map((row) => row.map((t) => displayWidth(t)));
  const headerWidths = headers.map((h) => displayWidth(h));
  const widths = headerWidths.map((h, i) => Math.max(h, ...cellWidths.map((row) => row[i]!)));
  const bold = opts.chalk ? (s: string) => opts.chalk!.bold(s) : (s: string) => s;
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP * (widths.length - 1);
  if (opts.width && opts.width > 0 && total() > opts.width) {
    const floor = widths.map((w, i) => (shrinkable(columns[i]!) ? Math.min(w, Math.max(headerWidths[i]!, MIN_SHRUNK)) : w));
    let excess = total() - opts.width;
    while (excess > 0) {
      let widest = -1;
      for (let i = 0; i < widths.length; i++) {
        if (widths[i]! > floor[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
      }
      if (widest < 0) break;
      widths[widest]!--;
      excess--;
    }
    if (excess > 0 && rows.length > 0) return renderRecords(headers, headerWidths, cells, bold);
  }
  const pad = (s: string, w: number, i: number) => {
    const t = w > widths[i]! ? fitWidth(s, widths[i]!) : s;
    const fill = ' '.repeat(Math.max(0, widths[i]! - (t === s ? w : displayWidth(t))));
    return isNumeric(columns[i]!.kind) ? fill + t : t + fill;
  };
  const lines = [
    bold(
      headers
        .map((h, i) => pad(h, headerWidths[i]!, i))
        .join(' '.repeat(GAP))
        .trimEnd(),
    ),
  ];
  cells.forEach((row, r) =>
    lines.push(
      row
        .map((t, i) => pad(t, cellWidths[r]![i]!, i))
        .join(' '.repeat(GAP))
        .trimEnd(),
    ),
  );
  if (rows.length === 0) lines.push(opts.chalk ? opts.chalk.dim('(no rows)') : '(no rows)');
  return lines.join('\n') + '\n';
}

/** Rows as records: `-[ RECORD n ]` then one `field  value` line a column, nothing cut. */
function renderRecords(headers: string[], headerWidths: number[], cells: string[][], bold: (s: string) => string): string {
  const w = Math.max(...headerWidths);
  const lines: string[] = [];
  cells.forEach((row, r) => {
    lines.push(bold(`-[ RECORD ${r + 1} ]`));
    row.forEach((t, i) => lines.push(`${bold(headers[i]!)}${' '.repeat(w - headerWidths[i]! + GAP)}${t}`.trimEnd()));
  });
  return lines.join('\n') + '\n';
}

export function render(rows: Row[], columns: Column[], format: Format, opts: { bom?: boolean; width?: number; chalk?: Colours } = {}): string {
  switch (format) {
    case 'csv':
      return renderCsv(rows, columns, opts);
    case 'json':
      return renderJson(rows, columns);
    case 'table':
      return renderTable(rows, columns, opts);
  }
}

/** Write a string to a stream, resolving when it has been accepted (back-pressure aware). */
export function writeAll(out: OutStream & { once?: (ev: string, cb: () => void) => unknown }, s: string): Promise<void> {
  return new Promise((resolve) => {
    if (out.write(s) || typeof out.once !== 'function') resolve();
    else out.once('drain', () => resolve());
  });
}
