/**
 * The findings of a black-box attack on issue 15 (someone who had not seen the code, given the issue,
 * the SPEC and the binary), each turned into a test of what must happen instead.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { dbHash, mustSucceed, ngo, parseCsv, tmpDb, withDb } from '../helpers.js';
import { FAULTS_UNAVAILABLE, tmpfs } from './fsfaults.js';
import { BIN, runNgo, sleep, spawnNgo, waitFor, withRaw } from './proc.js';

async function base() {
  const { dir, db } = await tmpDb();
  const run = withDb(db, { cwd: dir });
  const ok = mustSucceed(run);
  await ok(['programs', 'add', 'TELE', '--name', 'Telehealth']);
  await ok(['people', 'add', '--first', 'Ana', '--last', 'Okafor', '--email', 'ana@example.org', '--external-id', 'V1']);
  await ok(['people', 'add', '--first', 'Grace', '--email', 'grace@example.org', '--license-number', 'L1', '--license-expires', '2030-01-01']);
  return { dir, db, run, ok };
}

const count = (db: string, sql: string) => withRaw(db, (d) => d.prepare(sql).pluck().get() as number);
const temps = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.tmp') || /\.tmp-(wal|shm|journal)$/.test(f));

/** Hold the database's write lock from another connection until `release()`. */
function holdLock(db: string): { release: () => void } {
  const d = new Database(db, { timeout: 5000 });
  d.exec('BEGIN IMMEDIATE');
  return {
    release: () => {
      d.exec('ROLLBACK');
      d.close();
    },
  };
}

describe('1. a signal while waiting for the write lock ends the command, writing nothing', () => {
  for (const [sig, args] of [
    ['SIGTERM', ['hours', 'log', 'V1', '--program', 'TELE', '--hours', '1', '--date', '2026-01-05']],
    ['SIGINT', ['hours', 'log', 'V1', '--program', 'TELE', '--hours', '1', '--date', '2026-01-05']],
    ['SIGHUP', ['people', 'add', '--first', 'Zed']],
  ] as const) {
    it(`${sig} during the wait of a write (hours log / people add)`, { timeout: 20_000 }, async () => {
      const { db } = await base();
      const lock = holdLock(db);
      try {
        const p = spawnNgo(['--db', db, ...args], { env: { NGO_BUSY_TIMEOUT: '60' } });
        await sleep(1500);
        const sent = Date.now();
        p.child.kill(sig);
        const r = await p.done;
        expect(Date.now() - sent, 'ended at once').toBeLessThan(1500);
        expect(r.code === 0, `${sig}: code ${r.code} signal ${r.signal}`).toBe(false);
      } finally {
        lock.release();
      }
      expect(count(db, 'SELECT count(*) FROM hours')).toBe(0);
      expect(count(db, 'SELECT count(*) FROM people')).toBe(2);
    });
  }

  it('Ctrl-C while an import or a restore waits: exit 130, nothing changed, no staged copy left', { timeout: 30_000 }, async () => {
    const { dir, db, ok } = await base();
    await ok(['db', 'backup', path.join(dir, 'b.db')]);
    fs.writeFileSync(path.join(dir, 'h.csv'), 'external_id,date,hours,program\nV1,2026-01-02,1,TELE\n');
    const lock = holdLock(db);
    try {
      for (const args of [
        ['hours', 'import', path.join(dir, 'h.csv')],
        ['db', 'restore', path.join(dir, 'b.db'), '--yes'],
      ]) {
        const p = spawnNgo(['--db', db, ...args], { env: { NGO_BUSY_TIMEOUT: '60' } });
        await sleep(1200);
        p.child.kill('SIGINT');
        const r = await p.done;
        expect(r.code, `${args[0]} ${args[1]}: ${r.stderr}`).toBe(130);
        expect(r.stderr).toContain('interrupted; nothing from the unfinished command was saved');
        expect(temps(dir)).toEqual([]);
      }
    } finally {
      lock.release();
    }
    expect(count(db, 'SELECT count(*) FROM hours')).toBe(0);
    expect(fs.readdirSync(dir).filter((f) => f.includes('before-restore'))).toEqual([]);
  });

  it('people forget waiting for a reader: Ctrl-C stops the wait (the erasure is saved, its compaction pending)', { timeout: 30_000 }, async () => {
    const { db } = await base();
    const reader = new Database(db, { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM people').get();
    try {
      const p = spawnNgo(['--db', db, 'people', 'forget', 'V1', '--yes'], { env: { NGO_BUSY_TIMEOUT: '60' } });
      await sleep(1500);
      p.child.kill('SIGINT');
      const r = await p.done;
      expect(r.code, r.stderr).toBe(130);
    } finally {
      reader.exec('COMMIT');
      reader.close();
    }
    expect(count(db, 'SELECT count(*) FROM people WHERE erased_at IS NOT NULL')).toBe(1);
    expect((await withDb(db)(['db', 'check'])).stdout).toContain('erasures_compacted,ok'); // the next command completed it
  });
});

describe.skipIf(FAULTS_UNAVAILABLE !== null)('2. standard output that cannot be written', () => {
  let m: ReturnType<typeof tmpfs> | undefined;
  afterEach(() => {
    m?.done();
    m = undefined;
  });
  it('a report or export to stdout on a full disk exits 6 naming standard output, never 0', async () => {
    const { db } = await base();
    for (let i = 0; i < 40; i++)
      await withDb(db)([
        'hours',
        'log',
        'V1',
        '--program',
        'TELE',
        '--hours',
        '1',
        '--date',
        `2026-01-${String((i % 28) + 1).padStart(2, '0')}`,
        '--note',
        'x'.repeat(200),
      ]);
    m = tmpfs(64);
    m.fill(4);
    for (const args of [
      ['hours', 'list'],
      ['people', 'export'],
      ['report', 'tax', '--year', '2026', '--detail'],
    ]) {
      const out = path.join(m.dir, `${args[0]}.csv`);
      const fd = fs.openSync(out, 'w');
      const r = spawnSync(process.execPath, [BIN, '--db', db, ...args], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
      fs.closeSync(fd);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(6);
      expect(r.stderr).toMatch(/^ngo: error: cannot write standard output: no space left on the device$/m);
    }
    const full = spawnSync(process.execPath, [BIN, '--db', db, 'hours', 'list'], {
      stdio: ['ignore', fs.openSync('/dev/full', 'w'), 'pipe'],
      encoding: 'utf8',
    });
    expect(full.status).toBe(6);
    // A reader that goes away is no failure.
    const head = spawnSync('sh', ['-c', `node ${BIN} --db ${db} hours list | head -c 10`], { encoding: 'utf8' });
    expect(head.status).toBe(0);
  });
});

describe('3. prompts show stored text escaped', () => {
  it('a pick list and a confirmation naming a person stored with ESC[2J and an OSC title', { timeout: 20_000 }, async () => {
    const { db } = await base();
    withRaw(db, (d) => d.prepare('UPDATE people SET first_name = ? WHERE id = 1').run('Ana\u001b[2J\u001b]0;PWNED\u0007'));
    // A real pseudo-terminal (script), answering "no" to the confirmation.
    const r = spawnSync('script', ['-qec', `node ${BIN} --db ${db} people forget 1`, '/dev/null'], {
      input: 'n\r',
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 15_000,
    });
    expect(r.stdout).toContain('Ana\\x1b[2J\\x1b]0;PWNED\\x07');
    expect(r.stdout).not.toContain('\u001b]0;PWNED');
    expect(r.stdout).not.toContain('\u001b[2J');
    expect(count(db, 'SELECT count(*) FROM people WHERE erased_at IS NOT NULL')).toBe(0);
  });
});

describe('4-5. inputs', () => {
  it('--rejects onto the file standard input reads (`- < in.csv`) is refused (exit 2), the file unchanged', async () => {
    const { dir, db } = await base();
    const input = path.join(dir, 'in.csv');
    fs.writeFileSync(input, 'external_id,date,hours,program\nV1,2026-01-02,1,TELE\nV1,2026-02-30,1,TELE\n');
    const before = fs.readFileSync(input);
    const fd = fs.openSync(input, 'r');
    const r = spawnSync(process.execPath, [BIN, '--db', db, 'hours', 'import', '-', '--skip-invalid', '--rejects', input], {
      stdio: [fd, 'pipe', 'pipe'],
      encoding: 'utf8',
    });
    fs.closeSync(fd);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('is an input file of this command (standard input)');
    expect(fs.readFileSync(input)).toEqual(before);
    expect(count(db, 'SELECT count(*) FROM hours')).toBe(0);
  });

  it('line breaks are kept in notes, topics, goals and meeting notes (flags and imports), CRLF as LF; refused in names and reasons', async () => {
    const { db, run, ok } = await base();
    await ok(['hours', 'log', 'V1', '--program', 'TELE', '--hours', '1', '--date', '2026-01-02', '--note', 'line one\nline two']);
    await ok(['hours', 'import', '-'], { stdin: 'external_id,date,hours,program,note\nV1,2026-01-03,1,TELE,"first\r\nsecond"\n' });
    await ok(['supervision', 'add', '--supervisor', 'grace@example.org', '--supervisee', 'V1', '--hours', '1', '--date', '2026-01-04', '--topic', 'a\nb']);
    const pair = (await ok(['mentorship', 'pair', 'grace@example.org', 'V1', '--goals', 'goal one\r\ngoal two', '--start', '2026-01-01'])).stdout.trim();
    await ok(['mentorship', 'meet', pair, '--hours', '1', '--date', '2026-01-05', '--note', 'x\ny']);
    await ok(['people', 'edit', 'V1', '--notes', 'n1\r\nn2']);
    const notes = parseCsv((await ok(['hours', 'list'])).stdout).map((h) => h['note']);
    expect(notes).toEqual(['line one\nline two', 'first\nsecond']);
    expect(withRaw(db, (d) => d.prepare('SELECT notes FROM people WHERE id = 1').pluck().get())).toBe('n1\nn2');
    expect(withRaw(db, (d) => d.prepare('SELECT goals FROM mentorships').pluck().get())).toBe('goal one\ngoal two');
    for (const args of [
      ['people', 'edit', 'V1', '--last', 'a\nb'],
      ['hours', 'reject', '1', '--reason', 'a\nb'],
    ]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stderr).toContain('line breaks are allowed only in notes, topics, goals, descriptions and purposes');
    }
  });
});

describe('7. restore from read-only media; backups stand alone', () => {
  it('db backup writes a file that needs no -wal or -shm (rollback-journal mode)', async () => {
    const { dir, ok } = await base();
    const b = path.join(dir, 'b.db');
    await ok(['db', 'backup', b]);
    const header = fs.readFileSync(b).subarray(18, 20);
    expect([...header]).toEqual([1, 1]); // 2, 2 would be WAL mode
    expect(fs.existsSync(`${b}-wal`) || fs.existsSync(`${b}-shm`)).toBe(false);
  });

  it.skipIf(FAULTS_UNAVAILABLE !== null)('a WAL-mode backup with changes in its -wal, on a read-only mount, restores whole', async () => {
    const { dir, db } = await base();
    const m = tmpfs(4096);
    try {
      const src = path.join(m.dir, 'snap.db');
      fs.copyFileSync(db, src);
      const w = new Database(src);
      w.pragma('journal_mode = WAL');
      w.pragma('wal_autocheckpoint = 0');
      w.prepare("INSERT INTO people(first_name, created_at, updated_at) VALUES ('OnlyInWal', 'x', 'x')").run();
      // Copy main file and WAL as they are, then close without a checkpoint (the copy keeps its WAL).
      fs.copyFileSync(src, path.join(m.dir, 'ro.db'));
      fs.copyFileSync(`${src}-wal`, path.join(m.dir, 'ro.db-wal'));
      w.close();
      m.readOnly();
      const r = await runNgo(['--db', db, 'db', 'restore', path.join(m.dir, 'ro.db'), '--yes']);
      expect(r.code, r.stderr).toBe(0);
      expect(count(db, "SELECT count(*) FROM people WHERE first_name = 'OnlyInWal'")).toBe(1);
      expect(temps(dir)).toEqual([]);
      expect(fs.readdirSync(dir).filter((f) => f.startsWith('.ngo-restore-'))).toEqual([]);
    } finally {
      m.done();
    }
  });
});

describe('8-12. the database path', () => {
  it('a PostgreSQL URL whose server cannot be reached is exit 6 naming the URL without its password, and creates nothing', async () => {
    const { dir } = await tmpDb({ create: false });
    for (const args of [['init'], ['people', 'list']]) {
      // Port 1: nothing listens there.
      const r = await ngo(['--db', 'postgres://ngo:s3cr3t-pw@127.0.0.1:1/ngo', ...args], { cwd: dir });
      expect(r.code, r.stderr).toBe(6);
      expect(r.stderr).toContain('postgres://ngo:***@127.0.0.1:1/ngo');
      expect(r.stdout + r.stderr).not.toContain('s3cr3t-pw');
    }
    const env = await ngo(['people', 'list'], { cwd: dir, env: { NGO_DB: 'postgresql://u:topsecret@127.0.0.1:1/x' } });
    expect(env.code).toBe(6);
    expect(env.stderr).not.toContain('topsecret');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('init on a zero-byte file makes it a 0600 database; an empty SQLite file is no database for other commands', async () => {
    const { dir } = await tmpDb({ create: false });
    const touched = path.join(dir, 'touched.db');
    fs.writeFileSync(touched, '');
    fs.chmodSync(touched, 0o644);
    expect((await ngo(['--db', touched, 'init'])).code).toBe(0);
    expect(fs.statSync(touched).mode & 0o777).toBe(0o600);
    const empty = path.join(dir, 'empty.db');
    new Database(empty).exec('VACUUM'); // a valid SQLite header, no tables, user_version 0
    fs.chmodSync(empty, 0o644);
    const before = fs.readFileSync(empty);
    expect(before.length).toBeGreaterThan(0);
    for (const args of [
      ['report', 'funder', '--all', '--out-dir', path.join(dir, 'od'), '--period', '2025'],
      ['people', 'list'],
    ]) {
      const r = await ngo(['--db', empty, ...args]);
      expect(r.code, args.join(' ')).toBe(6);
      expect(r.stderr).toContain('no ngo database at');
      expect(r.stderr).toContain('(the file is an empty SQLite database)');
    }
    expect(fs.readFileSync(empty)).toEqual(before);
    expect(fs.existsSync(path.join(dir, 'od'))).toBe(false);
    expect((await ngo(['--db', empty, 'init'])).code).toBe(0);
    expect(fs.statSync(empty).mode & 0o777).toBe(0o600);
  });

  it('ngo demo fills only an empty database: not one where something was already set', async () => {
    const { db } = await tmpDb();
    await mustSucceed(withDb(db))(['rates', 'set', 'volunteer-hour', '2026', '35.00']);
    const before = await dbHash(db);
    const r = await ngo(['--db', db, 'demo']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('already holds data');
    expect(await dbHash(db)).toBe(before);
  });

  it('--db pointing at the -wal of an existing database is a usage error, not a new database', async () => {
    const { db } = await base();
    for (const suffix of ['-wal', '-shm', '-journal']) {
      const r = await ngo(['--db', db + suffix, 'init']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`is the ${suffix} file of the database ${db}, not a database of its own`);
    }
    expect(fs.existsSync(`${db}-journal`)).toBe(false);
  });

  it("--out onto another name's -wal (a hard link of the database) is refused", async () => {
    const { dir, db, run } = await base();
    const alias = path.join(dir, 'alias.db');
    fs.linkSync(db, alias);
    const r = await run(['--db', alias, 'report', 'tax', '--year', '2026', '--out', `${db}-wal`]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/is the database's -wal file|is the -wal file of the SQLite database/);
  });

  it('a wrong schema version is exit 6, never 1, and retrying leaves no pile of copies', async () => {
    const { dir, db } = await base();
    withRaw(db, (d) => d.pragma('user_version = 2'));
    for (let i = 0; i < 3; i++) {
      const r = await ngo(['--db', db, 'people', 'list']);
      expect(r.code, r.stderr).toBe(6);
      expect(r.stderr).toMatch(/cannot be migrated from schema 2 .*its tables do not match its schema version/);
    }
    expect(fs.readdirSync(dir).filter((f) => f.includes('.backup-'))).toEqual([]);
    withRaw(db, (d) => d.pragma('user_version = -1'));
    expect((await ngo(['--db', db, 'people', 'list'])).code).toBe(6);
    const nested = await ngo(['--db', path.join(db, 'x.db'), 'db', 'restore', path.join(dir, 'nope.db'), '--yes']);
    expect(nested.code).toBe(6);
  });
});

describe('13-14, 17-18. writing files', () => {
  it('SIGHUP mid-import leaves no temporary rejects file', { timeout: 30_000 }, async () => {
    const { dir, db } = await base();
    const rows = ['external_id,date,hours,program'];
    for (let i = 0; i < 150_000; i++)
      rows.push(i % 10 === 0 ? 'V1,2026-02-30,1,TELE' : `V1,2025-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')},0.1,TELE`);
    fs.writeFileSync(path.join(dir, 'big.csv'), rows.join('\n') + '\n');
    const p = spawnNgo(['--db', db, 'hours', 'import', path.join(dir, 'big.csv'), '--skip-invalid', '--rejects', path.join(dir, 'rej.csv')]);
    expect(await waitFor(() => temps(dir).length > 0, 20_000, 5)).toBe(true);
    p.child.kill('SIGHUP');
    const r = await p.done;
    expect(r.signal ?? r.code).toBe('SIGHUP');
    expect(temps(dir)).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'rej.csv'))).toBe(false);
  });

  it('db restore of a FIFO is refused (exit 6), never a hang', { timeout: 10_000 }, async () => {
    const { dir, db } = await base();
    const fifo = path.join(dir, 'fifo.db');
    execFileSync('mkfifo', [fifo]);
    const r = await runNgo(['--db', db, 'db', 'restore', fifo, '--yes']);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('not a regular file');
    expect(temps(dir)).toEqual([]);
  });

  it('a funder code with a slash (a database edited by hand) cannot write outside --out-dir', async () => {
    const { dir, db, ok } = await base();
    await ok(['funders', 'add', 'HOPE', '--name', 'Hope']);
    await ok(['funders', 'fund', 'HOPE', '--program', 'TELE', '--from', '2025-01-01']);
    withRaw(db, (d) => d.prepare("UPDATE funders SET code = 'X/../../escaped' WHERE code = 'HOPE'").run());
    const r = await withDb(db)(['report', 'funder', '--all', '--period', '2025', '--out-dir', path.join(dir, 'out', 'deep')]);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'out', 'deep'))).toEqual(['funder-X_______escaped-2025-01-01_2025-12-31.csv']);
    expect(fs.readdirSync(path.join(dir, 'out'))).toEqual(['deep']);
  });

  it('--out-dir with a FIFO among its targets: Ctrl-C while the FIFO waits leaves every other file as it was', { timeout: 20_000 }, async () => {
    const { dir, db, ok } = await base();
    for (const f of ['A', 'B']) {
      await ok(['funders', 'add', f, '--name', `Funder ${f}`]);
      await ok(['funders', 'fund', f, '--program', 'TELE', '--from', '2025-01-01']);
    }
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'funder-A-2025-01-01_2025-12-31.csv'), 'old A\n');
    execFileSync('mkfifo', [path.join(out, 'funder-B-2025-01-01_2025-12-31.csv')]);
    const p = spawnNgo(['--db', db, 'report', 'funder', '--all', '--period', '2025', '--out-dir', out]);
    await sleep(800);
    p.child.kill('SIGINT');
    const r = await p.done;
    expect(r.code === 130 || r.signal === 'SIGINT').toBe(true);
    expect(fs.readFileSync(path.join(out, 'funder-A-2025-01-01_2025-12-31.csv'), 'utf8')).toBe('old A\n');
    expect(temps(out)).toEqual([]);
  });

  it("--out '' and --out DIR/ are usage errors; a failed write leaves no folder it made", async () => {
    const { dir, run } = await base();
    const e = await run(['report', 'tax', '--year', '2026', '--out', '']);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/^ngo: error: --out is empty$/m);
    expect(e.stdout).toBe('');
    const d = await run(['report', 'tax', '--year', '2026', '--out', 'newd/']);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain('--out newd/ names a folder');
    expect(fs.existsSync(path.join(dir, 'newd'))).toBe(false);
    const long = await run(['report', 'tax', '--year', '2026', '--out', `a/b/${'x'.repeat(300)}.csv`]);
    expect(long.code).toBe(6);
    expect(fs.existsSync(path.join(dir, 'a'))).toBe(false);
  });
});

describe('15. people forget: what it finds, and what it leaves alone', () => {
  it('their full name decomposed, their phone however written, their names in an import file name', async () => {
    const { dir, db, ok } = await base();
    await ok(['people', 'add', '--first', 'Zoëlle', '--last', "O'Brindlemore", '--email', 'zb@example.org', '--phone', '+1 (555) 777-7313']);
    const note = `met ${'Zoëlle O’Brindlemore'.normalize('NFD')}; call 555.777.7313 or 15557777313`;
    await ok(['hours', 'log', 'ana@example.org', '--program', 'TELE', '--hours', '1', '--date', '2026-01-02', '--note', note]);
    fs.writeFileSync(path.join(dir, 'Brindlemore2025.csv'), 'email,date,hours,program\nzb@example.org,2026-01-03,1,TELE\n');
    await ok(['hours', 'import', path.join(dir, 'Brindlemore2025.csv')]);
    await ok(['people', 'forget', 'zb@example.org', '--yes']);
    const bytes = Buffer.concat([db, `${db}-wal`, `${db}-shm`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
    for (const s of ['Brindlemore', 'Zoëlle'.normalize('NFD'), '7777313', 'zb@example.org']) expect(bytes.includes(Buffer.from(s)), s).toBe(false);
    expect(parseCsv((await ok(['hours', 'list'])).stdout).find((h) => h['email'] === 'ana@example.org')!['note']).toBe(
      'met [erased]; call [erased] or [erased]',
    );
    expect(withRaw(db, (d) => d.prepare('SELECT file_name FROM imports').pluck().get())).toBe('[erased]2025.csv');
  });

  it('leaves alone what only resembles them: funders and programs, longer emails and ids, enum values in the audit log', async () => {
    const { db, ok } = await base();
    await ok(['funders', 'add', 'HOPE', '--name', 'Hope Family Foundation']);
    await ok(['programs', 'add', 'MH', '--name', 'Mental Health', '--description', 'admin support for Hope']);
    await ok(['people', 'add', '--first', 'Hope', '--last', 'Health', '--email', 'admin@e.org', '--external-id', 'AB-123456']);
    await ok(['people', 'add', '--first', 'Jim', '--email', 'jim.admin@e.org', '--notes', 'ticket AB-1234567; cc jim.admin@e.org']);
    await ok(['hours', 'log', 'ana@example.org', '--program', 'TELE', '--hours', '1', '--date', '2026-01-02', '--activity', 'admin', '--note', 'weekly admin']);
    const before = (await ok(['audit', '--json'])).stdout;
    await ok(['people', 'forget', 'admin@e.org', '--yes']);
    expect(withRaw(db, (d) => d.prepare("SELECT name FROM funders WHERE code = 'HOPE'").pluck().get())).toBe('Hope Family Foundation');
    expect(withRaw(db, (d) => d.prepare("SELECT name || ' / ' || description FROM programs WHERE code = 'MH'").pluck().get())).toBe(
      'Mental Health / admin support for Hope',
    );
    expect(withRaw(db, (d) => d.prepare("SELECT notes FROM people WHERE email = 'jim.admin@e.org'").pluck().get())).toBe(
      'ticket AB-1234567; cc jim.admin@e.org',
    );
    expect(parseCsv((await ok(['hours', 'list'])).stdout).find((h) => h['email'] === 'ana@example.org')).toMatchObject({
      activity: 'admin',
      note: 'weekly admin',
    });
    // Audit rows of other records are as they were.
    const other = (json: string) =>
      (JSON.parse(json) as { entity: string; entity_id: number; changes: string | null }[])
        .filter((r) => !(r.entity === 'person' && r.entity_id === 3))
        .map((r) => r.changes);
    expect(other((await ok(['audit', '--json'])).stdout)).toEqual(other(before));
  });
});

describe('16, 19-24. messages and smaller faults', () => {
  it("commander's own errors and tables escape what was typed or stored (C0, U+2028)", async () => {
    const r = await ngo(['x\u001b[2Jy']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr).toContain('x\\x1b[2Jy');
    const { db } = await base();
    withRaw(db, (d) => d.prepare('UPDATE people SET last_name = ? WHERE id = 1').run('Oka\u2028for'));
    const t = await withDb(db, { tty: true, env: { NO_COLOR: '1' } })(['people', 'list']);
    expect(t.stdout).toContain('Oka\\u2028for');
  });

  it('the demo hint is one command a line (no literal \\n)', async () => {
    const { db } = await tmpDb();
    const r = await ngo(['--db', db, 'demo']);
    expect(r.stderr).not.toContain('\\n');
    expect(r.stderr).toContain('\n  ngo people list --role supervisor\n');
  });

  it('a read while an erasure waits for its compaction does not wait behind a writer', { timeout: 30_000 }, async () => {
    const { db } = await base();
    withRaw(db, (d) => d.prepare("INSERT INTO maintenance_due(task, since, detail) VALUES ('purge', 'x', '1')").run());
    const lock = holdLock(db);
    try {
      const started = Date.now();
      const r = await runNgo(['--db', db, 'people', 'list']);
      expect(r.code, r.stderr).toBe(0);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(r.stderr).toContain('is not yet compacted out of the database file');
    } finally {
      lock.release();
    }
  });

  it('a header of 5,000 columns is exit 3 naming line 1', async () => {
    const { db } = await base();
    const r = await ngo(['--db', db, 'people', 'import', '-'], { stdin: 'email,' + 'col,'.repeat(5000) + '\nana@example.org\n' });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^ngo: error: stdin: line 1: the header has 5,002 columns \(at most 1,000\)/m);
  });

  it('db backup of a damaged database is exit 6 and writes no backup', async () => {
    const { dir, db } = await base();
    const pages = withRaw(db, (d) => d.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'people'").pluck().get() as number);
    const fd = fs.openSync(db, 'r+');
    fs.writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, (pages - 1) * 4096);
    fs.closeSync(fd);
    const r = await runNgo(['--db', db, 'db', 'backup', path.join(dir, 'b.db')]);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('is damaged');
    expect(fs.existsSync(path.join(dir, 'b.db'))).toBe(false);
  });

  it.skipIf(FAULTS_UNAVAILABLE !== null)('db backup to a full disk names the backup, not the database', async () => {
    const { db } = await base();
    const m = tmpfs(64);
    try {
      m.fill(0);
      const r = await runNgo(['--db', db, 'db', 'backup', path.join(m.dir, 'b.db')]);
      expect(r.code).toBe(6);
      expect(r.stderr).toMatch(new RegExp(`^ngo: error: cannot write (the backup )?${path.join(m.dir, 'b.db').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'));
      expect(r.stderr).not.toContain('the disk holding the database');
    } finally {
      m.done();
    }
  });
});

describe('second round of the attack', () => {
  it.skipIf(process.getuid?.() !== 0)('a device or a FIFO as --db is refused (exit 6) by init, restore and reads, and left as it was', async () => {
    const { dir, db } = await base();
    const backup = path.join(dir, 'b.db');
    await mustSucceed(withDb(db))(['db', 'backup', backup]);
    const dev = path.join(dir, 'mynull');
    execFileSync('mknod', ['-m', '666', dev, 'c', '1', '3']);
    const fifo = path.join(dir, 'myfifo');
    execFileSync('mkfifo', ['-m', '644', fifo]);
    for (const target of [dev, fifo]) {
      for (const args of [['init'], ['db', 'restore', backup, '--yes'], ['demo'], ['people', 'list']]) {
        const r = await runNgo(['--db', target, ...args]);
        expect(r.code, `${target} ${args.join(' ')}: ${r.stderr}`).toBe(6);
        expect(r.stderr).toContain('it is not a regular file');
      }
    }
    const st = fs.statSync(dev);
    expect(st.isCharacterDevice()).toBe(true);
    expect(st.mode & 0o777).toBe(0o666);
    expect(fs.statSync(fifo).isFIFO()).toBe(true);
    expect(fs.statSync(fifo).mode & 0o777).toBe(0o644);
    expect(
      fs
        .readdirSync(dir)
        .filter((f) => f.startsWith('mynull') || f.startsWith('myfifo'))
        .sort(),
    ).toEqual(['myfifo', 'mynull']);
  });

  it('people forget erases the licence kept with the sessions the person led', async () => {
    const { db, ok } = await base();
    await ok([
      'people',
      'add',
      '--first',
      'Xavier',
      '--last',
      'Quimby',
      '--email',
      'xq@example.org',
      '--credential',
      'LCSW',
      '--license-number',
      'LICQZ7781',
      '--license-region',
      'Quimbyshire',
      '--license-expires',
      '2030-01-01',
    ]);
    await ok(['supervision', 'add', '--supervisor', 'xq@example.org', '--supervisee', 'V1', '--hours', '1', '--date', '2026-03-01']);
    await ok(['people', 'forget', 'xq@example.org', '--yes']);
    const log = parseCsv((await ok(['report', 'supervision', '--supervisee', 'V1'])).stdout)[0]!;
    expect(log).toMatchObject({
      supervisor_credential: '[erased]',
      supervisor_license_number: '[erased]',
      supervisor_license_region: '[erased]',
      cumulative_hours: '1.00',
    });
    const bytes = Buffer.concat([db, `${db}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
    for (const s of ['LICQZ7781', 'Quimbyshire', 'Quimby']) expect(bytes.includes(Buffer.from(s)), s).toBe(false);
    expect((await ok(['db', 'check'])).stdout).toContain('erased_people_scrubbed,ok');
  });

  it('people forget waiting for a reader does not grow the WAL', { timeout: 30_000 }, async () => {
    const { db } = await base();
    const rows = ['external_id,date,hours,program,note'];
    for (let i = 0; i < 20_000; i++)
      rows.push(`V1,2025-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')},0.1,TELE,note ${i} ${'x'.repeat(40)}`);
    await mustSucceed(withDb(db))(['hours', 'import', '-'], { stdin: rows.join('\n') + '\n' });
    const size = fs.statSync(db).size;
    const reader = new Database(db, { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM people').get();
    try {
      const r = await runNgo(['--db', db, 'people', 'forget', 'V1', '--yes'], { env: { NGO_BUSY_TIMEOUT: '6' } });
      expect(r.code, r.stderr).toBe(6);
      expect(fs.statSync(`${db}-wal`).size, 'the WAL holds the erasure, not copies of the file').toBeLessThan(size);
    } finally {
      reader.exec('COMMIT');
      reader.close();
    }
  });

  it('standard error that cannot be written never turns a result into exit 1', async () => {
    const { db } = await tmpDb();
    const full = fs.openSync('/dev/full', 'w');
    try {
      const w = spawnSync(process.execPath, [BIN, '--db', db, 'people', 'add', '--first', 'Ana'], { stdio: ['ignore', 'pipe', full], encoding: 'utf8' });
      expect(w.status).toBe(0);
      expect(w.stdout).toBe('1\n');
      const missing = spawnSync(process.execPath, [BIN, '--db', `${db}.nope`, 'people', 'list'], { stdio: ['ignore', 'pipe', full] });
      expect(missing.status).toBe(6);
      const bogus = spawnSync(process.execPath, [BIN, 'bogus'], { stdio: ['ignore', 'pipe', full] });
      expect(bogus.status).toBe(2);
    } finally {
      fs.closeSync(full);
    }
  });

  it('standard output that is the input of the command, --help into the database, --version into a full disk', async () => {
    const { dir, db } = await base();
    const input = path.join(dir, 'in.csv');
    fs.writeFileSync(input, 'email,first_name\nbad@x,\nok2@e.org,Ok\n');
    const before = fs.readFileSync(input);
    const fd = fs.openSync(input, 'r+');
    const r = spawnSync(process.execPath, [BIN, '--db', db, 'people', 'import', input, '--skip-invalid', '--json', '--dry-run'], {
      stdio: ['ignore', fd, 'pipe'],
      encoding: 'utf8',
    });
    fs.closeSync(fd);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('standard output is an input file of this command');
    expect(fs.readFileSync(input)).toEqual(before);
    const dbBefore = await dbHash(db);
    const app = fs.openSync(db, 'a');
    const h = spawnSync(process.execPath, [BIN, '--db', db, '--help'], { stdio: ['ignore', app, 'pipe'], encoding: 'utf8' });
    fs.closeSync(app);
    expect(h.status).toBe(2);
    expect(await dbHash(db)).toBe(dbBefore);
    const v = spawnSync(process.execPath, [BIN, '--version'], { stdio: ['ignore', fs.openSync('/dev/full', 'w'), 'pipe'], encoding: 'utf8' });
    expect(v.status).toBe(6);
  });

  it("db backup '' and --rejects - are usage errors; a 250-character file name is written", async () => {
    const { dir, run } = await base();
    expect((await run(['db', 'backup', ''])).code).toBe(2);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('ngo-backup'))).toEqual([]);
    const rj = await run(['people', 'import', '-', '--skip-invalid', '--rejects', '-'], { stdin: 'email,first_name\nbad,\n' });
    expect(rj.code).toBe(2);
    expect(fs.existsSync(path.join(dir, '-'))).toBe(false);
    const long = `${'r'.repeat(246)}.csv`;
    const r = await run(['report', 'tax', '--year', '2026', '--out', long]);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.existsSync(path.join(dir, long))).toBe(true);
  });

  it('six commands opening a new file or an old schema at once all succeed (the version is read again under the lock)', { timeout: 30_000 }, async () => {
    const { dir } = await tmpDb({ create: false });
    for (let round = 0; round < 3; round++) {
      const file = path.join(dir, `n${round}`, 'x.db');
      const rs = await Promise.all(Array.from({ length: 6 }, () => runNgo(['--db', file, 'init'])));
      for (const r of rs) expect(r.code, r.stderr).toBe(0);
    }
    // An older schema opened by four commands at once: one migrates, the others see it migrated.
    const old = path.join(dir, 'old.db');
    const raw = new Database(old);
    for (const m of (await import('../../src/store/schema.js')).MIGRATIONS.slice(0, 3)) raw.exec(m);
    raw.pragma('user_version = 3');
    raw.close();
    const rs = await Promise.all(Array.from({ length: 4 }, () => runNgo(['--db', old, 'people', 'list'])));
    for (const r of rs) expect(r.code, r.stderr).toBe(0);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('old.db.backup-v3-'))).toHaveLength(1);
  });

  it('a command that must migrate waits for the write lock as every write does (NGO_BUSY_TIMEOUT), not 5 s', { timeout: 30_000 }, async () => {
    const { dir } = await tmpDb({ create: false });
    const old = path.join(dir, 'old.db');
    const raw = new Database(old);
    raw.pragma('journal_mode = WAL');
    for (const m of (await import('../../src/store/schema.js')).MIGRATIONS.slice(0, 3)) raw.exec(m);
    raw.pragma('user_version = 3');
    raw.close();
    const lock = holdLock(old);
    const started = Date.now();
    const p = runNgo(['--db', old, 'people', 'list', '--format', 'csv']);
    await sleep(7000);
    lock.release();
    const r = await p;
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - started).toBeGreaterThan(6500);
    expect(r.stderr).toMatch(/waiting for another ngo command to finish writing/);
    expect(count(old, 'PRAGMA user_version')).toBe((await import('../../src/store/schema.js')).LATEST_SCHEMA_VERSION);
  });

  it('db check fails not_world_readable for a database anyone can read', async () => {
    const { db } = await base();
    fs.chmodSync(db, 0o644);
    const r = await withDb(db)(['db', 'check']);
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(/^not_world_readable,fail,"?ngo\.db(, ngo\.db-\w+)* can be read by anyone on this machine: chmod 600 /m);
  });
});
