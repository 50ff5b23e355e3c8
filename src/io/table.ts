/**
 * The one table renderer: every table and field list ngo draws for a person goes through here —
 * lists, shows, reports with `--format table`, the demo's summary. CSV and JSON never do (they are in
 * src/io/output.ts and never depend on a terminal).
 *
 * Commands do not call this module themselves: they call the Output (src/output.ts, through App):
 *   app.printRows(rows, columns, opts, tableColumns?)   a list: table | csv | json, `--columns`
 *   app.printShow(record, related, opts)                 a show: a field list, then related tables
 *   app.reportText(rows, columns, opts)                  a report's text (csv by default)
 *   app.tableText(rows, columns, o?)                     a table as text, for a command's own screen
 * which choose the format, the width (the terminal's columns when stdout is a terminal; none
 * otherwise), colour, and the columns of `--columns` (selectColumns below).
 *
 * The layout, for a table `width` columns wide (see README "Tables on a terminal"):
 *  1. the natural table (every cell whole), when it fits;
 *  2. else free-text columns (SHRINKABLE: names, notes, purposes …) shortened, widest first, to no
 *     less than their header and 12 columns, their cells ending in "…" — never a number, amount,
 *     date, id, code, status or licence number;
 *  3. else, when the table declares columns it may leave out (`Column.drop`, a rank: the highest
 *     goes first), those columns left out one at a time until it fits, with a note under the table
 *     naming them (`--columns` brings any back);
 *  4. else one record per block (`-[ RECORD n ]`, then `field  value` lines), where nothing is cut
 *     and a long value wraps onto the next lines under itself.
 * Without a width (stdout is not a terminal: a pipe, a file, cron) the natural table is drawn:
 * the output then never depends on COLUMNS or on the terminal that started the job.
 * Widths are display widths (string-width: a CJK character takes two columns, a combining accent
 * none), so decomposed (NFD) accents and Chinese names keep their rows aligned. Numbers are
 * right-aligned; line breaks and tabs in cells show as spaces, other control characters escaped.
 */
import type { Colours } from './colour.js';
import { UsageError } from '../errors.js';
import { terminalSafe } from '../domain/text.js';
import { displayWidth, fitWidth, graphemes } from './width.js';
import { cellText, type Column, type Row } from './output.js';

export interface TableOptions {
  /** The terminal's width in columns; none: the natural table, whatever its width. */
  width?: number;
  chalk?: Colours;
  /** What the note under a table with columns left out suggests (default: `--columns` and `--format csv`). */
  hiddenHint?: string;
}

/**
 * Text columns a table may shorten (names, addresses, notes, topics: words a reader can finish).
 * Every other column (numbers, amounts, dates, ids, codes, statuses, licence numbers, periods) is
 * shown whole: a table that showed "150…" for 1500.00 or a licence number cut short would be a wrong
 * figure on the screen. Not an email either (it is how a person is referred to), nor `ngo status`'s
 * detail (it leads with the figure and the date of the item).
 */
export const SHRINKABLE: ReadonlySet<string> = new Set([
  'name',
  'first_name',
  'last_name',
  'note',
  'notes',
  'purpose',
  'description',
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
  // ngo status: what an item is about (a name, a grant)
  'subject',
  // issue 21: a plan period's reason, a grant's flags, a plan's rule set
  'reason',
  'flags',
  'rule_set',
]);
/** The narrowest a shortened column gets: its header, and at least this many columns of text. */
const MIN_SHRUNK = 12;
const GAP = 2;
/** A terminal that reports no width is taken as this wide. */
export const DEFAULT_WIDTH = 80;

function isNumeric(c: Column): boolean {
  return c.kind === 'int' || c.kind === 'dec2';
}

function shrinkable(c: Column): boolean {
  return (c.kind === undefined || c.kind === 'text') && SHRINKABLE.has(c.key);
}

/** A cell as one line of terminal text: line breaks and tabs as spaces, control characters escaped. */
export function screenText(value: Row[string], c: Column): string {
  return terminalSafe(cellText(value, c.kind).replace(/[\r\n\t]+/g, ' '));
}

interface Grid {
  columns: Column[];
  headers: string[];
  headerWidths: number[];
  cells: string[][];
  cellWidths: number[][];
}

function grid(rows: Row[], columns: Column[]): Grid {
  const headers = columns.map((c) => terminalSafe(c.key));
  const cells = rows.map((r) => columns.map((c) => screenText(r[c.key], c)));
  return { columns, headers, headerWidths: headers.map(displayWidth), cells, cellWidths: cells.map((row) => row.map(displayWidth)) };
}

/** The column widths that make the table (of these column indexes) fit `width`, or undefined. */
function fit(g: Grid, shown: number[], width: number | undefined): number[] | undefined {
  const widths = shown.map((i) => Math.max(g.headerWidths[i]!, ...g.cellWidths.map((row) => row[i]!)));
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP * (widths.length - 1);
  if (width === undefined || total() <= width) return widths;
  const floor = shown.map((i, k) => (shrinkable(g.columns[i]!) ? Math.min(widths[k]!, Math.max(g.headerWidths[i]!, MIN_SHRUNK)) : widths[k]!));
  let excess = total() - width;
  while (excess > 0) {
    let widest = -1;
    for (let k = 0; k < widths.length; k++) {
      if (widths[k]! > floor[k]! && (widest < 0 || widths[k]! > widths[widest]!)) widest = k;
    }
    if (widest < 0) return undefined;
    widths[widest]!--;
    excess--;
  }
  return widths;
}

/** Rows as a table, for a terminal `width` columns wide when given (the layout in the header above). */
export function renderTable(rows: Row[], columns: Column[], opts: TableOptions = {}): string {
  const width = opts.width !== undefined && opts.width > 0 ? opts.width : undefined;
  const g = grid(rows, columns);
  const all = columns.map((_c, i) => i);
  let shown = all;
  let widths = fit(g, shown, width);
  // Columns the table may leave out: highest rank first, then the rightmost.
  const droppable = all.filter((i) => columns[i]!.drop !== undefined).sort((a, b) => columns[b]!.drop! - columns[a]!.drop! || b - a);
  const hidden: number[] = [];
  for (const i of droppable) {
    if (widths) break;
    hidden.push(i);
    shown = all.filter((k) => !hidden.includes(k));
    widths = fit(g, shown, width);
  }
  const dim = (s: string) => (opts.chalk ? opts.chalk.dim(s) : s);
  if (!widths) {
    if (rows.length === 0) return dim('(no rows)') + '\n';
    return renderRecords(g, opts);
  }
  const bold = opts.chalk ? (s: string) => opts.chalk!.bold(s) : (s: string) => s;
  const line = (texts: string[], textWidths: number[]) =>
    shown
      .map((i, k) => {
        const t = textWidths[i]! > widths[k]! ? fitWidth(texts[i]!, widths[k]!) : texts[i]!;
        const fill = ' '.repeat(Math.max(0, widths[k]! - (t === texts[i] ? textWidths[i]! : displayWidth(t))));
        return isNumeric(columns[i]!) ? fill + t : t + fill;
      })
      .join(' '.repeat(GAP))
      .trimEnd();
  const lines = [bold(line(g.headers, g.headerWidths))];
  g.cells.forEach((row, r) => lines.push(line(row, g.cellWidths[r]!)));
  if (rows.length === 0) lines.push(dim('(no rows)'));
  if (hidden.length > 0) {
    const names = all.filter((i) => hidden.includes(i)).map((i) => g.headers[i]!);
    const hint = opts.hiddenHint ?? 'add them with --columns, or see every column with --format csv';
    const note = `(not shown, for want of width: ${names.join(', ')} — ${hint})`;
    for (const l of wrapText(note, width!)) lines.push(dim(l));
  }
  return lines.join('\n') + '\n';
}

/** One `field  value` line a column; values wider than the room left wrap under themselves. */
function fieldLines(g: Grid, r: number, width: number | undefined, bold: (s: string) => string): string[] {
  const w = Math.max(...g.headerWidths);
  const indent = w + GAP;
  // A terminal too narrow for even a short value beside the names: values run on, unwrapped.
  const room = width !== undefined && width - indent >= 16 ? width - indent : undefined;
  const lines: string[] = [];
  g.cells[r]!.forEach((t, i) => {
    const parts = room !== undefined && g.cellWidths[r]![i]! > room ? wrapText(t, room) : [t];
    lines.push(`${bold(g.headers[i]!)}${' '.repeat(indent - g.headerWidths[i]!)}${parts[0]}`.trimEnd());
    for (const p of parts.slice(1)) lines.push(' '.repeat(indent) + p);
  });
  return lines;
}

/** Rows as records: `-[ RECORD n ]` then one `field  value` line a column, nothing cut. */
function renderRecords(g: Grid, opts: TableOptions): string {
  const bold = opts.chalk ? (s: string) => opts.chalk!.bold(s) : (s: string) => s;
  const lines: string[] = [];
  g.cells.forEach((_row, r) => {
    lines.push(bold(`-[ RECORD ${r + 1} ]`));
    lines.push(...fieldLines(g, r, opts.width, bold));
  });
  return lines.join('\n') + '\n';
}

/**
 * One record as a field list: `field  value` a line (a show command's record), the values aligned
 * after the longest field name, long values wrapped under themselves, nothing cut.
 */
export function renderFields(row: Row, columns: Column[], opts: TableOptions = {}): string {
  const g = grid([row], columns);
  const bold = opts.chalk ? (s: string) => opts.chalk!.bold(s) : (s: string) => s;
  return fieldLines(g, 0, opts.width !== undefined && opts.width > 0 ? opts.width : undefined, bold).join('\n') + '\n';
}

/**
 * `text` in lines of at most `max` columns: broken at spaces, a word longer than a line broken
 * between characters (graphemes). A list of `; `-separated items (an audit line's changes) is
 * broken between items where one fits on a line, so that `field: value` stays together. Every
 * character is kept: the lines joined are the text.
 */
export function wrapText(text: string, max: number): string[] {
  if (displayWidth(text) <= max) return [text];
  if (!text.includes('; ')) return wrapWords(text, max);
  const lines: string[] = [];
  let cur = '';
  for (const item of text.split(/(?<=; )/)) {
    if (displayWidth((cur + item).trimEnd()) <= max) {
      cur += item;
      continue;
    }
    if (cur !== '') lines.push(cur.trimEnd());
    cur = '';
    if (displayWidth(item.trimEnd()) <= max) {
      cur = item;
      continue;
    }
    const parts = wrapWords(item.trimEnd(), max);
    lines.push(...parts.slice(0, -1));
    cur = parts.at(-1)! + (item.endsWith(' ') ? ' ' : '');
  }
  if (cur.trimEnd() !== '') lines.push(cur.trimEnd());
  return lines;
}

function wrapWords(text: string, max: number): string[] {
  const lines: string[] = [];
  let cur = '';
  let used = 0;
  for (const word of text.split(/(?<= )/)) {
    const ww = displayWidth(word);
    const bare = displayWidth(word.trimEnd());
    if (used + bare <= max) {
      cur += word;
      used += ww;
      continue;
    }
    if (cur !== '') lines.push(cur.trimEnd());
    cur = '';
    used = 0;
    if (bare <= max) {
      cur = word;
      used = ww;
      continue;
    }
    for (const ch of graphemes(word)) {
      const cw = displayWidth(ch);
      if (used + cw > max && cur.trim() !== '') {
        lines.push(cur.trimEnd());
        cur = '';
        used = 0;
      }
      cur += ch;
      used += cw;
    }
  }
  if (cur.trimEnd() !== '') lines.push(cur.trimEnd());
  return lines;
}

/**
 * The columns `--columns a,b,c` names, in that order, from those the output can show. Names match
 * ignoring case and spaces; an unknown one is a usage error (exit 2) naming every valid column.
 * Columns chosen are never left out for want of width (their `drop` rank is removed).
 */
export function selectColumns(spec: string | undefined, available: Column[]): Column[] {
  if (spec === undefined) return available;
  const names = spec.split(',').map((s) => s.trim().toLowerCase());
  const valid = () => available.map((c) => c.key).join(', ');
  if (names.every((n) => n === '')) throw new UsageError(`--columns needs at least one column name (valid: ${valid()})`);
  const chosen: Column[] = [];
  for (const n of names) {
    if (n === '') continue;
    const c = available.find((x) => x.key.toLowerCase() === n);
    if (!c) throw new UsageError(`unknown column "${terminalSafe(n)}" in --columns (valid: ${valid()})`);
    if (!chosen.includes(c)) chosen.push(c);
  }
  return chosen.map(({ drop: _drop, ...c }) => c);
}

/** The columns of both lists, each key once, in the order of the first then the second. */
export function unionColumns(first: Column[], second: Column[]): Column[] {
  return [...first, ...second.filter((c) => !first.some((f) => f.key === c.key))];
}

/**
 * `columns` for a table on a terminal, with the ranks of those it may leave out when too narrow
 * (`ranks`: column → rank, the highest left out first). CSV and JSON ignore the ranks.
 */
export function withDrops(columns: Column[], ranks: Record<string, number>): Column[] {
  for (const k of Object.keys(ranks)) if (!columns.some((c) => c.key === k)) throw new Error(`withDrops: no column ${k}`);
  return columns.map((c) => (ranks[c.key] === undefined ? c : { ...c, drop: ranks[c.key] }));
}
