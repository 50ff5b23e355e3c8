/**
 * Tables on a terminal never cut a number, a date, an id, a code or a licence number (third attack,
 * F4: "150…" for 1500.00 in `grants list` at 80 columns). Free text may end in "…"; a row that still
 * cannot fit is shown as a record. Each command is run on the demo database at 80 and 140 columns and
 * its table compared, value by value, with the same command's CSV.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import stringWidth from 'string-width';
import { renderTable } from '../../src/io/output.js';
import { prepareDisplayWidth } from '../../src/io/width.js';
import { tmpDb, withDb } from '../helpers.js';

/**
 * The columns a table may shorten: every other one must appear whole. Kept apart from src/io/output.ts's
 * SHRINKABLE on purpose: a figure column added there by mistake must fail this test.
 */
const FREE_TEXT = new Set([
  'name',
  'first_name',
  'last_name',
  'email',
  'note',
  'purpose',
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
  'services_description',
  'address_line1',
  'address_line2',
  'city',
  'region',
  'country',
  'volunteer',
  'outcome',
]);

let run: ReturnType<typeof withDb>;
beforeAll(async () => {
  const { db } = await tmpDb({ create: false });
  run = withDb(db, { env: { NO_COLOR: '1' } });
  expect((await run(['demo', '--year', '2025'])).code).toBe(0);
}, 60_000);

interface Shown {
  layout: 'table' | 'records';
  header: string[];
  lines: string[];
  records: Map<string, string>[];
}

function parseShown(text: string): Shown {
  let lines = text.replace(/\n$/, '').split('\n');
  if (!lines[0]!.startsWith('-[ RECORD 1 ]')) {
    // The note under a table with columns left out (it may wrap) is not a row.
    const note = lines.findIndex((l) => l.startsWith('(not shown'));
    if (note >= 0) lines = lines.slice(0, note);
    return { layout: 'table', header: lines[0]!.trim().split(/\s+/), lines: lines.slice(1), records: [] };
  }
  const records: Map<string, string>[] = [];
  let last = '';
  for (const line of lines) {
    if (/^-\[ RECORD \d+ \]$/.test(line)) records.push(new Map());
    else if (line.startsWith(' ')) {
      // A long value wrapped under itself: kept with a line break, to compare with and without a space.
      records.at(-1)!.set(last, records.at(-1)!.get(last)! + '\n' + line.trim());
    } else {
      const m = /^(\S+)(?:\s{2,}(.*))?$/.exec(line)!;
      last = m[1]!;
      records.at(-1)!.set(m[1]!, m[2] ?? '');
    }
  }
  return { layout: 'records', header: [], lines, records };
}

const COMMANDS: { args: string[]; table: string[]; csvOf?: string[] }[] = [
  { args: ['report', 'funder', '--funder', 'HOPE', '--period', '2025'], table: ['--format', 'table'] },
  { args: ['grants', 'list'], table: [] },
  { args: ['report', 'grants', '--period', '2025'], table: ['--format', 'table'] },
  { args: ['supervision', 'progress', '--all'], table: [] },
  { args: ['report', 'supervision', '--supervisee', '34', '--period', '2025-Q4'], table: ['--format', 'table'] },
  { args: ['report', 'tax', '--year', '2025'], table: ['--format', 'table'] },
  { args: ['report', 'hours', '--by', 'program', '--period', '2025'], table: ['--format', 'table'] },
  { args: ['hours', 'list', '--period', '2025-12'], table: [] },
  { args: ['mentorship', 'list'], table: [] },
  { args: ['people', 'list'], table: [] },
  { args: ['rates', 'list'], table: [] },
];

describe('terminal tables show every figure whole', () => {
  for (const width of [80, 140]) {
    for (const c of COMMANDS) {
      it(`${c.args.join(' ')} at ${width} columns`, async () => {
        const shown = await run([...c.args, ...c.table], { tty: true, columns: width });
        expect(shown.code, shown.stderr).toBe(0);
        const csv = await run([...c.args, '--format', 'csv']);
        const rows = parse(csv.stdout, { columns: true, bom: true }) as Record<string, string>[];
        expect(rows.length).toBeGreaterThan(0);
        // Strip the formula guard: the CSV cell '+1 617… is +1 617… on the screen.
        const value = (v: string) => v.replace(/^'(?=['=+\-@\t\r])/, '');
        const s = parseShown(shown.stdout);
        if (s.layout === 'records') {
          expect(s.records.length).toBe(rows.length);
          rows.forEach((row, i) => {
            for (const [k, v] of s.records[i]!) {
              const want = k === 'volunteer' ? `${row['first_name']} ${row['last_name']}`.trim() : value(row[k]!);
              expect([v.replace(/\n/g, ' '), v.replace(/\n/g, '')], `${k} of record ${i + 1}`).toContain(want);
            }
          });
        } else {
          // A summary's table ends with its TOTAL line, which the CSV does not have.
          if (c.args[1] === 'hours' && c.args[0] === 'report') expect(s.lines.pop()).toMatch(/^TOTAL /);
          expect(s.lines.length).toBe(rows.length);
          for (const line of [shown.stdout.split('\n')[0]!, ...s.lines]) expect(stringWidth(line), line).toBeLessThanOrEqual(width);
          rows.forEach((row, i) => {
            for (const k of s.header) {
              if (row[k] === undefined || FREE_TEXT.has(k) || row[k] === '') continue;
              const v = value(row[k]!);
              expect(` ${s.lines[i]} `.includes(` ${v} `), `${k} "${v}" whole in: ${s.lines[i]}`).toBe(true);
            }
          });
        }
      });
    }
  }

  it('lays out as people expect: records at 80 columns for the wide funder report, one line an entry at 140 for hours list', async () => {
    const funder80 = await run(['report', 'funder', '--funder', 'HOPE', '--period', '2025', '--format', 'table'], { tty: true, columns: 80 });
    expect(funder80.stdout).toMatch(/^-\[ RECORD 1 \]\nfunder_code {14}HOPE\nfunder_name {14}Hope Family Foundation\n/);
    expect(funder80.stdout).toMatch(/\ninkind_total {13}122589\.20\n/);
    const hours140 = await run(['hours', 'list', '--period', '2025-12'], { tty: true, columns: 140 });
    expect(hours140.stdout.split('\n')[0]).toMatch(
      /^ +id {2}date {8}person_id {2}volunteer +program_code {2}activity +hours {2}miles {2}expenses {2}reimbursed {2}status +note$/,
    );
    // Lists an administrator scans keep one line a record at 80 columns, leaving out what matters least.
    const grants80 = await run(['grants', 'list'], { tty: true, columns: 80 });
    expect(grants80.stdout.split('\n')[0]).toMatch(/^id {2}grantee +program_code {2}awarded_on {3}amount {2}remaining {2}status$/);
    expect(grants80.stdout).toContain('(not shown, for want of width: grantee_id, funder_code, purpose, currency, paid,\nscheduled, service_commitment_hours,');
    const hours80 = await run(['hours', 'list', '--period', '2025-12'], { tty: true, columns: 80 });
    expect(hours80.stdout.split('\n')[0]).toMatch(/^ +id {2}date {8}volunteer +program_code {2}activity +hours {2}status$/);
    // The same list piped (not a terminal) is CSV with every column.
    expect((await run(['hours', 'list', '--period', '2025-12'])).stdout.split('\n')[0]).toBe(
      'id,date,person_id,first_name,last_name,email,program_code,activity,hours,miles,expenses,reimbursed,status,note',
    );
  });
});

describe('renderTable', () => {
  beforeAll(prepareDisplayWidth);
  const cols = [{ key: 'id', kind: 'int' as const }, { key: 'name' }, { key: 'amount', kind: 'dec2' as const }, { key: 'licence' }];

  it('measures display width: wide characters take two columns, combining marks none', () => {
    const out = renderTable(
      [
        { id: 1, name: '山田太郎', amount: 150000, licence: 'LIC-16064' },
        { id: 22, name: 'Zoë', amount: 5, licence: 'X' },
        { id: 3, name: 'Noe\u0308l', amount: 0, licence: 'Y' },
      ],
      cols,
    );
    expect(out).toBe('id  name       amount  licence\n 1  山田太郎  1500.00  LIC-16064\n22  Zoë          0.05  X\n 3  Noe\u0308l         0.00  Y\n');
  });

  it('shortens only free text, by whole characters, and keeps numbers and codes whole', () => {
    const rows = [{ id: 1, name: 'Abcdefghijklmnopqrstuvwxyz 山田太郎', amount: 123456789, licence: 'LIC-1606412345' }];
    const out = renderTable(rows, cols, { width: 50 });
    const line = out.split('\n')[1]!;
    expect(line).toContain('1234567.89');
    expect(line).toContain('LIC-1606412345');
    expect(line).toMatch(/Abcdef.*…/);
    expect(stringWidth(line)).toBeLessThanOrEqual(50);
    // A width that cannot hold the numbers even with the name shortened: a record, nothing cut.
    // A value too long for the room beside the field names wraps under itself, every character kept.
    expect(renderTable(rows, cols, { width: 30 })).toBe(
      '-[ RECORD 1 ]\nid       1\nname     Abcdefghijklmnopqrstu\n         vwxyz 山田太郎\namount   1234567.89\nlicence  LIC-1606412345\n',
    );
    // A wide character is never split in half to fit.
    const cjk = renderTable([{ id: 1, name: '山田太郎山田太郎山田太郎', amount: 1, licence: 'L' }], cols, { width: 33 });
    expect(cjk).toBe('id  name          amount  licence\n 1  山田太郎山…     0.01  L\n');
  });
});
