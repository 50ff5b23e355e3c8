/**
 * SPEC "Faults and values" (issue 15): a damaged page, a read-only file or folder and a full disk give
 * exit 6 with one line for reads, writes and `db check`, never 1, and the database stays as it was;
 * stored text never reaches the terminal raw; amounts are capped and totals exact at any size.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { dbHash, mustSucceed, ngo, parseCsv, tmpDb, withDb } from '../helpers.js';
import { AS_NOBODY, FAULTS_UNAVAILABLE, tmpfs } from './fsfaults.js';
import { BIN, runNgo } from './proc.js';

const READ = ['hours', 'list'];
const REPORT = ['report', 'tax', '--year', '2025'];
const WRITE = ['hours', 'log', 'V1', '--program', 'TELE', '--hours', '1', '--date', '2026-05-01'];
const CHECK = ['db', 'check'];

async function populated(db: string): Promise<void> {
  const ok = mustSucceed(withDb(db));
  await ok(['programs', 'add', 'TELE', '--name', 'Telehealth']);
  await ok(['people', 'add', '--first', 'Ana', '--external-id', 'V1', '--email', 'ana@example.org']);
  const rows = ['external_id,date,hours,program'];
  for (let i = 0; i < 2000; i++) rows.push(`V1,2025-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')},0.25,TELE`);
  await ok(['hours', 'import', '-'], { stdin: rows.join('\n') + '\n' });
}

/** The binary, so that nothing of the test process (a cached connection) hides the fault. */
function bin(db: string, args: string[], opts: { asNobody?: boolean } = {}) {
  const argv = [...(opts.asNobody ? AS_NOBODY : []), process.execPath, BIN, '--db', db, ...args];
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', NGO_BUSY_TIMEOUT: '5' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectIoFailure(r: { code: number | null; stderr: string; stdout: string }, what: string, message: RegExp) {
  expect(r.code, `${what}: ${r.stderr}`).toBe(6);
  const lines = r.stderr.trim().split('\n');
  expect(lines[0], what).toMatch(message);
  expect(r.stderr, what).not.toContain('internal error');
  // One error line (and at most its hint).
  expect(
    lines.filter((l) => l.startsWith('ngo: error:')),
    what,
  ).toHaveLength(1);
}

describe('a damaged page', () => {
  it('reads, writes and db check exit 6 naming the damage; the file is not changed', async () => {
    const { db } = await tmpDb();
    await populated(db);
    // Overwrite the root page of the hours table and of each of its indexes with garbage.
    const roots = new Database(db, { readonly: true });
    const pages = roots.prepare("SELECT rootpage FROM sqlite_schema WHERE tbl_name = 'hours' AND rootpage > 1").pluck().all() as number[];
    const pageSize = roots.pragma('page_size', { simple: true }) as number;
    roots.close();
    const fd = fs.openSync(db, 'r+');
    for (const p of pages) fs.writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (p - 1) * pageSize);
    fs.closeSync(fd);
    const before = await dbHash(db);
    const damaged = /^ngo: error: database file is damaged or not an ngo database: /;
    expectIoFailure(bin(db, READ), 'hours list', damaged);
    expectIoFailure(bin(db, REPORT), 'report tax', damaged);
    expectIoFailure(bin(db, WRITE), 'hours log', damaged);
    const c = bin(db, CHECK);
    expect(c.code, c.stderr).toBe(6);
    expect(c.stdout).toMatch(/^integrity,fail,/m);
    expect(c.stderr).toMatch(/^ngo: error: \d+ check\(s\) failed: integrity/m);
    expect(await dbHash(db)).toBe(before);
  });

  it('a file that is not a database at all: every command exits 6, db check says so in its table', async () => {
    const { db } = await tmpDb({ create: false });
    fs.writeFileSync(db, 'this is not a database, just text '.repeat(200));
    const before = fs.readFileSync(db);
    for (const args of [READ, REPORT, WRITE]) expectIoFailure(bin(db, args), args.join(' '), /^ngo: error: database file is damaged or not an ngo database/);
    const c = bin(db, CHECK);
    expect(c.code).toBe(6);
    expect(c.stdout).toMatch(/^integrity,fail,database file is damaged/m);
    expect(fs.readFileSync(db)).toEqual(before);
  });
});

describe.skipIf(FAULTS_UNAVAILABLE !== null)(`read-only and full (${FAULTS_UNAVAILABLE ?? 'tmpfs, setpriv'})`, () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => {
    cleanup?.();
    cleanup = undefined;
  });

  it('a read-only database file: writes and db check exit 6 ("read-only", "writable,fail"); reads still work (see the README); the file is unchanged', async () => {
    const { dir, db } = await tmpDb();
    await populated(db);
    const expected = bin(db, READ).stdout;
    fs.chownSync(dir, 65534, 65534);
    fs.chownSync(db, 65534, 65534);
    fs.chmodSync(db, 0o400);
    const before = await dbHash(db);
    expectIoFailure(bin(db, WRITE, { asNobody: true }), 'hours log', /^ngo: error: the database .* is read-only/);
    const r = bin(db, READ, { asNobody: true });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(expected);
    expect(bin(db, ['people', 'add', '--first', 'X'], { asNobody: true }).code).toBe(6);
    const c = bin(db, CHECK, { asNobody: true });
    expect(c.code, c.stderr).toBe(6);
    // The reads above, as a user without write access, left -wal and -shm files with the file's mode.
    expect(c.stdout).toMatch(/^writable,fail,"the file, its -wal file and its -shm file cannot be written: reports work, every change would fail"$/m);
    expect(c.stdout).toMatch(/^integrity,ok,ok$/m);
    expect(await dbHash(db)).toBe(before);
    // Made writable again: the -wal and -shm the reads left read-only get the file's mode back, and
    // writes and db check work (fourth attack, finding 6).
    fs.chmodSync(db, 0o600);
    const w = bin(db, WRITE, { asNobody: true });
    expect(w.code, w.stderr).toBe(0);
    for (const side of ['-wal', '-shm']) if (fs.existsSync(db + side)) expect(fs.statSync(db + side).mode & 0o777, side).toBe(0o600);
    const again = bin(db, CHECK, { asNobody: true });
    expect(again.code, again.stdout).toBe(0);
  });

  it('a read-only folder (a read-only mount): reads, writes and db check exit 6', async () => {
    const m = tmpfs(4096);
    cleanup = m.done;
    const db = path.join(m.dir, 'ngo.db');
    expect((await ngo(['--db', db, 'init'])).code).toBe(0);
    await populated(db);
    const before = await dbHash(db);
    m.readOnly();
    const ro = /^ngo: error: (the database .* is read-only|cannot open the database)/;
    expectIoFailure(bin(db, READ), 'hours list', ro);
    expectIoFailure(bin(db, REPORT), 'report tax', ro);
    expectIoFailure(bin(db, WRITE), 'hours log', ro);
    expectIoFailure(bin(db, CHECK), 'db check', ro);
    expect(await dbHash(db)).toBe(before);
  });

  it('a full disk: reads, writes and db check exit 6 "full"; the database is unchanged', async () => {
    const m = tmpfs(2048);
    cleanup = m.done;
    const db = path.join(m.dir, 'ngo.db');
    expect((await ngo(['--db', db, 'init'])).code).toBe(0);
    await populated(db);
    const before = await dbHash(db);
    m.fill(0);
    const full = /^ngo: error: the disk holding the database .* is full/;
    expectIoFailure(bin(db, READ), 'hours list', full);
    expectIoFailure(bin(db, REPORT), 'report tax', full);
    expectIoFailure(bin(db, WRITE), 'hours log', full);
    expectIoFailure(bin(db, CHECK), 'db check', full);
    expect(await dbHash(db)).toBe(before);
  });

  it('the disk fills during an import: exit 6, nothing of the import is kept', async () => {
    const m = tmpfs(3072);
    cleanup = m.done;
    const db = path.join(m.dir, 'ngo.db');
    expect((await ngo(['--db', db, 'init'])).code).toBe(0);
    await populated(db);
    // Another connection keeps the -shm mapped, as a second ngo process would; little space is left.
    const other = new Database(db, { readonly: true });
    other.prepare('SELECT count(*) FROM hours').get();
    try {
      m.fill(200);
      const rows = ['external_id,date,hours,program,note'];
      for (let i = 0; i < 20000; i++)
        rows.push(`V1,2025-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')},0.25,TELE,a note to take up some room ${i}`);
      const file = path.join(path.dirname(m.dir), `big-${path.basename(m.dir)}.csv`);
      fs.writeFileSync(file, rows.join('\n') + '\n');
      const r = await runNgo(['--db', db, 'hours', 'import', file], { env: { NGO_BUSY_TIMEOUT: '5' } });
      fs.rmSync(file);
      expect(r.code, r.stderr).toBe(6);
      expect(r.stderr).toMatch(/^ngo: error: (the disk holding the database .* is full|disk I\/O error on the database)/m);
      expect(r.stderr).not.toContain('inserted');
      expect(other.prepare('SELECT count(*) AS n FROM hours').get()).toEqual({ n: 2000 });
      expect(other.prepare('SELECT count(*) AS n FROM imports').get()).toEqual({ n: 1 });
    } finally {
      other.close();
    }
  });
});

describe('stored text never drives the terminal', () => {
  const CLEAR = '\u001b[2J';
  const OSC = '\u001b]0;pwned\u0007';
  const CSI8 = '\u009b31m';

  it('control characters are refused on input (exit 3, line/column for imports), the database unchanged', async () => {
    const { db } = await tmpDb();
    const run = withDb(db);
    const before = await dbHash(db);
    for (const args of [
      ['people', 'add', '--first', `Ana${CLEAR}`],
      ['people', 'add', '--first', 'Ana', '--last', `Ok${OSC}afor`],
      ['people', 'add', '--first', 'Ana', '--notes', `line one${CSI8}`],
      ['programs', 'add', 'TELE', '--name', `Tele\u007fhealth`],
      ['people', 'add', '--first', 'Ana', '--city', 'Two\nLines'],
      ['--actor', `admin${CLEAR}`, 'people', 'add', '--first', 'Ana'],
    ]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stderr).toMatch(/contains (a control character \(U\+00(1B|9B|7F)|a line break)/);
      expect(r.stderr).not.toMatch(/[\u001b\u009b\u007f]/);
    }
    // A line break is fine in a note.
    const ok = await run(['people', 'add', '--first', 'Ana', '--notes', 'line one\nline two']);
    expect(ok.code).toBe(0);
    const r = await run(['people', 'import', '-'], { stdin: `first_name,last_name,email\nAna,"Ok${CLEAR}afor",ana2@example.org\n` });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^ngo: error: line 2, column "last_name": last_name contains a control character \(U\+001B, shown as \\x1b\) at character 3/m);
    expect(parseCsv((await run(['people', 'list'])).stdout)).toHaveLength(1);
    void before;
  });

  it('a name already stored with ESC[2J, an OSC title and a C1 CSI is shown escaped in tables, CSV and JSON on a terminal, summaries and errors', async () => {
    const { db } = await tmpDb();
    const ok = mustSucceed(withDb(db));
    await ok(['programs', 'add', 'TELE', '--name', 'Telehealth']);
    await ok(['people', 'add', '--first', 'Ana', '--email', 'ana@example.org']);
    // Data written by an older version, or by hand: the input rules cannot have stopped it.
    const raw = new Database(db);
    raw.prepare('UPDATE people SET first_name = ?, last_name = ?, notes = ? WHERE id = 1').run(`Ana${CLEAR}`, `Ok${OSC}afor`, `note${CSI8}`);
    raw.close();
    const tty = { tty: true, env: { NO_COLOR: '1' } };
    const run = withDb(db, tty);
    const outputs = [
      await run(['people', 'list']),
      await run(['people', 'list', '--format', 'csv']),
      await run(['people', 'list', '--format', 'json']),
      await run(['people', 'show', '1']),
      await run(['hours', 'log', '1', '--program', 'TELE', '--hours', '1', '--date', '2026-03-01', '--pending']),
      await run(['hours', 'list', '--status', 'all']),
      await run(['people', 'archive', '1', '--reason', 'moved', '--yes']),
      await run(['hours', 'log', '1', '--program', 'TELE', '--hours', '1']), // refused: archived (names the person)
    ];
    expect(outputs.at(-1)!.code).toBe(5);
    for (const [i, o] of outputs.entries()) {
      expect(o.stdout + o.stderr, `output ${i}`).not.toMatch(/[\u001b\u0007\u009b]/);
    }
    const table = outputs[0]!.stdout;
    expect(table).toContain('Ana\\x1b[2J');
    expect(table).toContain('Ok\\x1b]0;pwned\\x07afor');
    expect(outputs[2]!.stdout).toContain('"first_name": "Ana\\u001b[2J"');
    expect(outputs[2]!.stdout).toContain('"notes": "note\\u009b31m"');
    expect(outputs.at(-1)!.stderr).toContain('Ana\\x1b[2J');
    // Piped (not a terminal), CSV is the data exactly as stored.
    const piped = await withDb(db)(['people', 'list', '--format', 'csv', '--status', 'all']);
    expect(piped.stdout).toContain(`Ana${CLEAR}`);
  });
});

describe('amounts: capped, and totals exact at any size', () => {
  it('200 maximal expenses give exact totals in the tax, funder and hours reports (CSV and JSON)', async () => {
    const { db } = await tmpDb();
    const ok = mustSucceed(withDb(db));
    await ok(['programs', 'add', 'TELE', '--name', 'Telehealth']);
    await ok(['funders', 'add', 'HOPE', '--name', 'Hope']);
    await ok(['funders', 'fund', 'HOPE', '--program', 'TELE', '--from', '2025-01-01']);
    await ok(['people', 'add', '--first', 'Ana', '--last', 'A', '--external-id', 'V1']);
    await ok(['people', 'add', '--first', 'Ben', '--last', 'B', '--external-id', 'V2']);
    const rows = ['external_id,date,hours,program,expenses'];
    for (let i = 0; i < 200; i++)
      rows.push(`V${(i % 2) + 1},2025-${String((i % 12) + 1).padStart(2, '0')}-${String(Math.floor(i / 12) + 1).padStart(2, '0')},1,TELE,99999999.99`);
    await ok(['hours', 'import', '-'], { stdin: rows.join('\n') + '\n' });
    // One over the cap is refused.
    const over = await withDb(db)(['hours', 'log', 'V1', '--program', 'TELE', '--hours', '1', '--date', '2025-12-30', '--expenses', '100000000.00']);
    expect(over.code).toBe(3);
    expect(over.stderr).toContain('too large; at most 99999999.99');
    // Each person: 100 × 99,999,999.99 = 9,999,999,999.00; both: 19,999,999,998.00 (by hand).
    const tax = parseCsv((await ok(['report', 'tax', '--year', '2025'])).stdout);
    expect(tax.map((r) => [r['expenses'], r['total_deductible'], r['largest_single_contribution'], r['acknowledgment_required']])).toEqual([
      ['9999999999.00', '9999999999.00', '99999999.99', 'yes'],
      ['9999999999.00', '9999999999.00', '99999999.99', 'yes'],
    ]);
    const funder = parseCsv((await ok(['report', 'funder', '--funder', 'HOPE', '--period', '2025'])).stdout);
    expect(funder.find((r) => r['program_code'] === 'TOTAL')!['volunteer_expenses']).toBe('19999999998.00');
    const hours = parseCsv((await ok(['report', 'hours', '--period', '2025', '--by', 'program'])).stdout);
    expect(hours[0]!['expenses']).toBe('19999999998.00');
    const json = (await ok(['report', 'funder', '--funder', 'HOPE', '--period', '2025', '--format', 'json'])).stdout;
    expect(json).toContain('"volunteer_expenses": 19999999998,');
  });

  it('totals beyond 2^53 cents (data from before the cap) are still exact, never rounded', async () => {
    const { db } = await tmpDb();
    const ok = mustSucceed(withDb(db));
    await ok(['programs', 'add', 'TELE', '--name', 'Telehealth']);
    await ok(['funders', 'add', 'HOPE', '--name', 'Hope']);
    await ok(['funders', 'fund', 'HOPE', '--program', 'TELE', '--from', '2025-01-01']);
    await ok(['people', 'add', '--first', 'Ana', '--external-id', 'V1']);
    const raw = new Database(db);
    raw.defaultSafeIntegers(true);
    const ins = raw.prepare("INSERT INTO hours(person_id, program_id, date, minutes, expenses, created_at, updated_at) VALUES (1, 1, ?, 60, ?, 'x', 'x')");
    // 3 × 4,000,000,000,000,001 cents = 12,000,000,000,000,003 cents (> 2^53 = 9,007,199,254,740,992).
    for (const d of ['2025-01-01', '2025-01-02', '2025-01-03']) ins.run(d, 4_000_000_000_000_001n);
    raw.close();
    const tax = parseCsv((await ok(['report', 'tax', '--year', '2025'])).stdout)[0]!;
    expect(tax['expenses']).toBe('120000000000000.03');
    expect(tax['total_deductible']).toBe('120000000000000.03');
    expect(tax['largest_single_contribution']).toBe('40000000000000.01');
    const funder = parseCsv((await ok(['report', 'funder', '--funder', 'HOPE', '--period', '2025'])).stdout);
    expect(funder.map((r) => r['volunteer_expenses'])).toEqual(['120000000000000.03', '120000000000000.03']);
    expect(parseCsv((await ok(['report', 'hours', '--period', '2025', '--by', 'month'])).stdout)[0]!['expenses']).toBe('120000000000000.03');
    expect((await ok(['report', 'tax', '--year', '2025', '--format', 'json'])).stdout).toContain('"expenses": 120000000000000.03,');
  });
});
