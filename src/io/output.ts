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
  return formatHundredths(v).replace(/\.?0+$/, '').replace(/^(-?)$/, '$10') || '0';
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
 * JSON.stringify escapes C0 control characters; DEL, C1 and the bidirectional overrides it leaves raw,
 * and a terminal may act on them. They can only occur inside strings, where `\uXXXX` means the same.
 */
// eslint-disable-next-line no-control-regex
const JSON_UNSAFE = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
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

function truncate(s: string, width: number): string {
  if (s.length <= width) return s;
  if (width <= 1) return s.slice(0, width);
  return s.slice(0, width - 1) + '…';
}

/**
 * A table that fits `width` columns when given: the widest columns are shrunk first, long cells end in "…".
 * Numbers are right-aligned. Newlines inside cells are shown as spaces.
 */
export function renderTable(rows: Row[], columns: Column[], opts: { width?: number; chalk?: Colours } = {}): string {
  const headers = columns.map((c) => c.key);
  // A table is for a terminal: line breaks and tabs become spaces, any other control character is escaped.
  const cells = rows.map((r) => columns.map((c) => terminalSafe(cellText(r[c.key], c.kind).replace(/[\r\n\t]+/g, ' '))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)));
  const gap = 2;
  if (opts.width && opts.width > 0) {
    const total = () => widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1);
    while (total() > opts.width) {
      let widest = 0;
      for (let i = 1; i < widths.length; i++) if (widths[i]! > widths[widest]!) widest = i;
      if (widths[widest]! <= 4) break;
      widths[widest] = widths[widest]! - 1;
    }
  }
  const pad = (s: string, i: number) => {
    const t = truncate(s, widths[i]!);
    return isNumeric(columns[i]!.kind) ? t.padStart(widths[i]!) : t.padEnd(widths[i]!);
  };
  const bold = opts.chalk ? (s: string) => opts.chalk!.bold(s) : (s: string) => s;
  const lines = [bold(headers.map(pad).join(' '.repeat(gap)).trimEnd())];
  for (const row of cells) lines.push(row.map(pad).join(' '.repeat(gap)).trimEnd());
  if (rows.length === 0) lines.push(opts.chalk ? opts.chalk.dim('(no rows)') : '(no rows)');
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
