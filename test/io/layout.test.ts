/**
 * The one table renderer (src/io/table.ts) and what goes through it: columns left out with a note,
 * wrapped records, `--columns`, tables to a pipe, `people show` / `grants show` as field lists,
 * `ngo audit` as a person reads it, the TOTAL line of `report hours`, the demo on a terminal.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { renderFields, renderTable } from '../../src/io/output.js';
import { selectColumns, wrapText } from '../../src/io/table.js';
import { prepareDisplayWidth } from '../../src/io/width.js';
import { describeChanges } from '../../src/domain/audit-units.js';
import { defaultDemoYear } from '../../src/commands/demo.js';
import { dbHash, mustSucceed, parseCsv, tmpDb, withDb } from '../helpers.js';

beforeAll(prepareDisplayWidth);

describe('renderTable', () => {
  const cols = [
    { key: 'id', kind: 'int' as const },
    { key: 'date', kind: 'date' as const },
    { key: 'name' },
    { key: 'hours', kind: 'dec2' as const },
    { key: 'note', drop: 2 },
    { key: 'miles', kind: 'dec2' as const, drop: 1 },
  ];
  const rows = [
    { id: 1, date: '2026-11-02', name: '山田太郎', hours: 150, note: 'intake and a long follow-up call', miles: 1250 },
    { id: 22, date: '2026-11-03', name: 'Noe\u0308l Zoë', hours: 5, note: null, miles: 0 },
  ];

  it('leaves out the columns that matter least, highest rank first, and names them under the table', () => {
    const out = renderTable(rows, cols, { width: 40 });
    expect(out).toBe(
      'id  date        name      hours  miles\n' +
        ' 1  2026-11-02  山田太郎   1.50  12.50\n' +
        '22  2026-11-03  Noe\u0308l Zoë   0.05   0.00\n' +
        '(not shown, for want of width: note —\n' +
        'add them with --columns, or see every\n' +
        'column with --format csv)\n',
    );
    for (const line of out.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(40);
    // Wide enough for every column: nothing left out, no note.
    expect(renderTable(rows, cols, { width: 200 })).not.toContain('not shown');
    // No width (a pipe): the natural table, whatever its width.
    expect(renderTable(rows, cols).split('\n')[1]).toBe(' 1  2026-11-02  山田太郎   1.50  intake and a long follow-up call  12.50');
  });

  it('a table exactly as wide as the terminal is drawn as it is; one column narrower, it is fitted', () => {
    const natural = renderTable(rows, cols);
    const w = Math.max(...natural.split('\n').map((l) => stringWidth(l)));
    expect(renderTable(rows, cols, { width: w })).toBe(natural);
    expect(renderTable(rows, cols, { width: w - 1 })).toContain('…');
  });

  it('falls back to records when even the kept columns cannot fit; long values wrap, every character kept', () => {
    const out = renderTable(rows, cols, { width: 30 });
    expect(out.split('\n').slice(0, 9)).toEqual([
      '-[ RECORD 1 ]',
      'id     1',
      'date   2026-11-02',
      'name   山田太郎',
      'hours  1.50',
      'note   intake and a long',
      '       follow-up call',
      'miles  12.50',
      '-[ RECORD 2 ]',
    ]);
    for (const line of out.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(30);
  });

  it('wrapText breaks at spaces, and inside a word only when it is longer than a line', () => {
    expect(wrapText('aa bb cc', 5)).toEqual(['aa bb', 'cc']);
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapText('山田太郎山田', 5)).toEqual(['山田', '太郎', '山田']);
    expect(wrapText('short', 10)).toEqual(['short']);
    // Items of a list stay whole where they fit on a line; a long one wraps by words.
    expect(wrapText('status: a → b; supervisor_license_expires: 2029-06-30; x: 1', 40)).toEqual([
      'status: a → b;',
      'supervisor_license_expires: 2029-06-30;',
      'x: 1',
    ]);
    expect(wrapText('a: 1; note: one two three four five six', 12)).toEqual(['a: 1;', 'note: one', 'two three', 'four five', 'six']);
  });

  it('renderFields: one field a line, values aligned after the longest name', () => {
    expect(renderFields({ id: 7, name: 'Ana', hourly_rate: 8500 }, [{ key: 'id', kind: 'int' }, { key: 'name' }, { key: 'hourly_rate', kind: 'dec2' }])).toBe(
      'id           7\nname         Ana\nhourly_rate  85.00\n',
    );
  });

  it('selectColumns: in the order given, case-insensitive; an unknown name is exit 2 naming the valid ones', () => {
    expect(selectColumns(' Hours ,id', cols).map((c) => c.key)).toEqual(['hours', 'id']);
    expect(selectColumns('note', cols)[0]).toEqual({ key: 'note' });
    expect(() => selectColumns('id,bogus', cols)).toThrow('unknown column "bogus" in --columns (valid: id, date, name, hours, note, miles)');
    expect(() => selectColumns(',', cols)).toThrow('--columns needs at least one column name');
  });
});

describe('audit changes as a person reads them', () => {
  const names = {
    person: (id: number) => ({ 1: 'Ana Okafor', 2: 'Sam Lee' })[id],
    program: (id: number) => ({ 4: 'TRAIN' })[id],
    funder: (id: number) => ({ 1: 'HOPE' })[id],
  };
  it('amounts with two places, people by name and programs by code with their ids, minutes as hours', () => {
    expect(
      describeChanges(
        '{"person_id":[null,1],"program_id":[null,4],"minutes":[null,90],"expenses":[null,1250],"reimbursed":[null,0],"note":[null,null],"supervision_id":[null,3]}',
        names,
      ),
    ).toBe('person: Ana Okafor (#1); program: TRAIN (#4); hours: 1.50; expenses: 12.50; reimbursed: no; note: (empty); supervision_id: #3');
    expect(describeChanges('{"status":["awarded","active"],"amount":[150000,120000],"funder_id":[1,null]}', names)).toBe(
      'status: awarded → active; amount: 1500.00 → 1200.00; funder: HOPE (#1) → (empty)',
    );
    expect(describeChanges('{"supervisee_ids":[null,"1,2"],"supervisor_id":[null,9]}', names)).toBe(
      'supervisees: Ana Okafor (#1), Sam Lee (#2); supervisor: ? (#9)',
    );
    // Not an object, or a number too long for JSON.parse: as stored.
    expect(describeChanges('{"amount":[0,12345678901234567]}', names)).toBe('{"amount":[0,12345678901234567]}');
    expect(describeChanges(null, names)).toBeNull();
  });
});

describe('through the commands', () => {
  let db: string;
  let run: ReturnType<typeof withDb>;
  beforeAll(async () => {
    db = (await tmpDb()).db;
    run = withDb(db, { env: { NO_COLOR: '1' } });
    const ok = mustSucceed(run);
    await ok(['programs', 'add', 'TELE', '--name', 'Tele-therapy']);
    await ok(['programs', 'add', 'PEER', '--name', 'Peer support']);
    await ok(['people', 'add', '--first', 'Ana', '--last', 'Okafor', '--email', 'ana@example.org', '--rate', '85']);
    await ok(['people', 'add', '--first', '太郎', '--last', '山田', '--email', 'taro@example.org']);
    await ok(['hours', 'log', 'ana@example.org', '--program', 'TELE', '--minutes', '20', '--date', '2026-11-02', '--expenses', '12.50']);
    await ok(['hours', 'log', 'ana@example.org', '--program', 'PEER', '--minutes', '20', '--date', '2026-11-03']);
    await ok(['hours', 'log', 'taro@example.org', '--program', 'PEER', '--minutes', '20', '--date', '2026-11-04', '--miles', '10']);
  });

  it('--columns chooses the columns of a table, a CSV and a JSON; an unknown one exits 2 and names the valid ones', async () => {
    const table = await run(['hours', 'list', '--columns', 'date,volunteer,hours'], { tty: true, columns: 80 });
    expect(table.stdout).toBe('date        volunteer   hours\n2026-11-02  Ana Okafor   0.33\n2026-11-03  Ana Okafor   0.33\n2026-11-04  太郎 山田    0.33\n');
    expect((await run(['hours', 'list', '--columns', 'hours,id'])).stdout).toBe('hours,id\n0.33,1\n0.33,2\n0.33,3\n');
    expect(JSON.parse((await run(['people', 'list', '--columns', 'email', '--json'])).stdout)).toEqual([
      { email: 'ana@example.org' },
      { email: 'taro@example.org' },
    ]);
    const bad = await run(['hours', 'list', '--columns', 'date,volunter']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'ngo: error: unknown column "volunter" in --columns (valid: id, date, person_id, first_name, last_name, email, program_code, activity, hours, miles, expenses, reimbursed, status, note)\n',
    );
    // A table's own column (volunteer) is valid in a table only.
    expect((await run(['hours', 'list', '--columns', 'volunteer'])).code).toBe(2);
    const report = await run(['report', 'hours', '--period', '2026-11', '--columns', 'program_code,hours']);
    expect(report.stdout).toBe('program_code,hours\nPEER,0.67\nTELE,0.33\n');
    expect((await run(['people', 'show', '1', '--columns', 'id,email'], { tty: true })).stdout).toMatch(/^id {5}1\nemail {2}ana@example\.org\n\nHourly rates/);
  });

  it('without --columns, CSV is what it was; a table to a pipe is drawn whole, whatever COLUMNS says', async () => {
    expect((await run(['hours', 'list'])).stdout.split('\n')[0]).toBe(
      'id,date,person_id,first_name,last_name,email,program_code,activity,hours,miles,expenses,reimbursed,status,note',
    );
    const piped = await run(['hours', 'list', '--format', 'table'], { env: { COLUMNS: '20' } });
    expect(piped.stdout.split('\n')[0]).toMatch(
      /^id {2}date {8}person_id {2}volunteer {3}program_code {2}activity {8}hours {2}miles {2}expenses {2}reimbursed {2}status {4}note$/,
    );
    expect(piped.stdout).not.toContain('not shown');
  });

  it('report hours: --by program by default; its table ends with TOTAL (volunteers counted once), its CSV has no TOTAL', async () => {
    const csv = await run(['report', 'hours', '--period', '2026-11']);
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout).toBe(
      'program_code,program_name,entries,hours,volunteers,miles,expenses\nPEER,Peer support,2,0.67,2,10.00,0.00\nTELE,Tele-therapy,1,0.33,1,0.00,12.50\n',
    );
    const table = await run(['report', 'hours', '--period', '2026-11', '--format', 'table'], { tty: true, columns: 100 });
    expect(table.stdout).toBe(
      'program_code  program_name  entries  hours  volunteers  miles  expenses\n' +
        'PEER          Peer support        2   0.67           2  10.00      0.00\n' +
        'TELE          Tele-therapy        1   0.33           1   0.00     12.50\n' +
        'TOTAL                             3   1.00           2  10.00     12.50\n',
    );
    const month = await run(['report', 'hours', '--period', '2026-11', '--by', 'month', '--format', 'json']);
    expect(JSON.parse(month.stdout)).toEqual([{ month: '2026-11', entries: 3, hours: 1, volunteers: 2, miles: 10, expenses: 12.5 }]);
  });

  it('people show: a field list, the rates, the latest hours; its CSV and JSON keep their two parts', async () => {
    const shown = await run(['people', 'show', 'ana@example.org'], { tty: true, columns: 80 });
    expect(shown.stdout).toMatch(/^id {15}1\nexternal_id\nfirst_name {7}Ana\n/);
    expect(shown.stdout).toContain('\nHourly rates (empty from: since the start; empty to: still in force)\nvalid_from  valid_to  hourly_rate\n');
    expect(shown.stdout).toContain(
      '\nRecent hours (all 2; every one: ngo hours list --person 1)\nid  date        program_code  activity        hours  status    note\n',
    );
    // On a narrow terminal the section titles wrap too: no line wider than the terminal.
    const narrow = await run(['people', 'show', 'ana@example.org'], { tty: true, columns: 40 });
    expect(narrow.stdout).toContain('\nRecent hours (all 2;\nevery one: ngo hours list --person 1)\n');
    for (const line of narrow.stdout.split('\n')) expect(stringWidth(line), line).toBeLessThanOrEqual(40);
    const csv = (await run(['people', 'show', '1'])).stdout.split('\n\n');
    expect(csv).toHaveLength(2);
    expect(csv[1]).toBe('valid_from,valid_to,hourly_rate\n,,85.00\n');
    expect(Object.keys(JSON.parse((await run(['people', 'show', '1', '--json'])).stdout)[0])).toContain('rate_history');
  });

  it('ngo audit on a terminal: amounts in units, names and codes with their ids; its CSV as stored', async () => {
    const t = await run(['audit', '--entity', 'hours', '--id', '1'], { tty: true, columns: 80 });
    expect(t.stdout.replace(/\n {11}/g, ' ')).toContain(
      'changes    person: Ana Okafor (#1); program: TELE (#1); date: 2026-11-02; hours: 0.33; activity: direct-service; miles: 0.00; expenses: 12.50; reimbursed: no',
    );
    for (const line of t.stdout.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(80);
    const csv = parseCsv((await run(['audit', '--entity', 'hours', '--id', '1'])).stdout);
    expect(csv[0]!['changes']).toMatch(/^\{"person_id":\[null,1\],"program_id":\[null,1\],"date":\[null,"2026-11-02"\],"minutes":\[null,20\],/);
  });

  it('a failed --columns writes nothing', async () => {
    const before = await dbHash(db);
    expect((await run(['people', 'list', '--columns', 'nope'])).code).toBe(2);
    expect(await dbHash(db)).toBe(before);
  });
});

describe('the demo', () => {
  it('sits near today: this year from July on, else last year', () => {
    expect(defaultDemoYear('2026-11-23')).toBe(2026);
    expect(defaultDemoYear('2026-07-01')).toBe(2026);
    expect(defaultDemoYear('2026-06-30')).toBe(2025);
    expect(defaultDemoYear('2027-01-05')).toBe(2026);
  });

  it('on a terminal prints a short table of the sample report; piped, its CSV', async () => {
    const a = (await tmpDb({ create: false })).db;
    const tty = await withDb(a, { env: { NO_COLOR: '1' } })(['demo'], { tty: true, columns: 80 });
    expect(tty.code, tty.stderr).toBe(0);
    const lines = tty.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual(['Sample funder report: Hope Family Foundation (HOPE)', '2026-01-01 to 2026-12-31, amounts in USD', '']);
    expect(lines[3]).toMatch(/^program_code {2}program_name +volunteer_hours {2}volunteers {2}inkind_total$/);
    expect(lines.find((l) => l.startsWith('TOTAL'))).toMatch(/^TOTAL +\d+\.\d\d +\d+ +\d+\.\d\d$/);
    expect(tty.stdout).toContain('The whole report, every column:\n  ngo report funder --funder HOPE --period 2026 --format table\n');
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(80);
    const b = (await tmpDb({ create: false })).db;
    const piped = await withDb(b)(['demo']);
    expect(piped.stdout.split('\n')[0]).toMatch(/^funder_code,funder_name,period_start,period_end,program_code,/);
    expect(parseCsv(piped.stdout).at(-1)).toMatchObject({ program_code: 'TOTAL', period_start: '2026-01-01' });
  }, 60_000);
});
