/**
 * The findings of a third black-box attack on issues 15 and 16 (someone who had not seen the code,
 * given the issues, the SPEC, the README and the binary), each turned into a test of what must happen.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import fs from 'node:fs';
import path from 'node:path';
import { dbHash, mustSucceed, tmpDb, withDb } from '../helpers.js';
import Database from 'better-sqlite3';
import { writeWaitMs } from '../../src/store/db.js';
import { BIN, ROOT, hoursCsv, rosterCsv, sleep, spawnNgo, withRaw } from './proc.js';
import { binWithFd } from './proc.js';
import { FAULTS_UNAVAILABLE, tmpfs } from './fsfaults.js';

async function base() {
  const { dir, db } = await tmpDb();
  const run = withDb(db, { cwd: dir });
  const ok = mustSucceed(run);
  await ok(['programs', 'add', 'TELE', '--name', 'Telehealth']);
  await ok(['people', 'add', '--first', 'Ana', '--last', 'Okafor', '--email', 'ana@example.org', '--external-id', 'V1']);
  return { dir, db, run, ok };
}

const count = (db: string, sql: string) => withRaw(db, (d) => d.prepare(sql).pluck().get() as number);

const withFd = binWithFd;

describe('F1. standard error is guarded like standard output', () => {
  it('stderr opened on the database (2<>db, 2>>db): exit 2 in silence, the database byte-identical and nothing added', async () => {
    const { db } = await base();
    const before = await dbHash(db);
    for (const flags of ['r+', 'a'] as const) {
      for (const args of [['people', 'add', '--first', 'Z'], ['people', 'show', '999'], ['--help']]) {
        const fd = fs.openSync(db, flags);
        try {
          const r = withFd(['--db', db, ...args], fd, 2);
          expect(r.status, args.join(' ')).toBe(2);
          expect(r.stdout).toBe('');
        } finally {
          fs.closeSync(fd);
        }
      }
    }
    expect(await dbHash(db)).toBe(before);
    expect(count(db, 'SELECT count(*) FROM people')).toBe(1);
  });

  it('stderr appended to the file an import reads (2>>in.csv): exit 2, the input unchanged, nothing imported', async () => {
    const { dir, db } = await base();
    const input = path.join(dir, 'in.csv');
    const text = 'email,date,hours,program\nana@example.org,2025-01-01,1,TELE\nnobody@example.org,2025-01-02,1,TELE\n';
    fs.writeFileSync(input, text);
    const fd = fs.openSync(input, 'a');
    try {
      const r = withFd(['--db', db, 'hours', 'import', input, '--skip-invalid'], fd, 2);
      expect(r.status).toBe(2);
    } finally {
      fs.closeSync(fd);
    }
    expect(fs.readFileSync(input, 'utf8')).toBe(text);
    expect(count(db, 'SELECT count(*) FROM hours')).toBe(0);
  });
});

describe('F7. an output never replaces an SQLite database (a backup, a kept copy)', () => {
  it('--out onto a backup and >> a backup are refused (exit 2), the backup unchanged; db backup onto one stays exit 6', async () => {
    const { dir, db, run } = await base();
    const backup = path.join(dir, 'good-backup.db');
    expect((await run(['db', 'backup', backup])).code).toBe(0);
    const before = fs.readFileSync(backup);
    const r = await run(['report', 'tax', '--year', '2025', '--out', backup]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--out ${backup} is an SQLite database, such as a backup; refusing to write over it`);
    const fd = fs.openSync(backup, 'a');
    try {
      const s = withFd(['--db', db, 'report', 'tax', '--year', '2025'], fd, 1);
      expect(s.status).toBe(2);
      expect(s.stderr).toContain('standard output is an SQLite database; refusing to write over it');
    } finally {
      fs.closeSync(fd);
    }
    const again = await run(['db', 'backup', backup]);
    expect(again.code).toBe(6);
    expect(again.stderr).toContain('already exists');
    expect(fs.readFileSync(backup).equals(before)).toBe(true);
    // A symlink of that name is replaced, not followed: the backup it points at stays.
    const link = path.join(dir, 'link.csv');
    fs.symlinkSync(backup, link);
    expect((await run(['report', 'tax', '--year', '2025', '--out', link])).code).toBe(0);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(false);
    expect(fs.readFileSync(backup).equals(before)).toBe(true);
  });
});

describe('F2. a corrected imported entry answers to its source row and to its corrected content', () => {
  const minutesOf = (db: string) => withRaw(db, (d) => d.prepare('SELECT id, minutes, note FROM hours WHERE voided_at IS NULL ORDER BY id').all());

  it('import, correct by hand, re-import the hours list export and the source file: nothing is added either way', async () => {
    const { dir, db, ok } = await base();
    const src = path.join(dir, 'a.csv');
    fs.writeFileSync(
      src,
      'email,date,hours,program,note\nana@example.org,2025-09-09,1,TELE,x\nana@example.org,2025-09-09,1,TELE,x\nana@example.org,2025-09-10,3,TELE,\n',
    );
    expect((await ok(['hours', 'import', src])).stderr).toContain('inserted 3,');
    await ok(['hours', 'edit', '1', '--hours', '2']);
    const exported = path.join(dir, 'hl.csv');
    fs.writeFileSync(exported, (await ok(['hours', 'list', '--period', '2025-09', '--format', 'csv'])).stdout);
    for (const f of [exported, src, exported]) {
      const r = await ok(['hours', 'import', f]);
      expect(r.stderr, f).toContain('inserted 0, updated 0, unchanged 3,');
    }
    expect(minutesOf(db)).toEqual([
      { id: 1, minutes: 120, note: 'x' },
      { id: 2, minutes: 60, note: 'x' },
      { id: 3, minutes: 180, note: null },
    ]);
    // Corrected again, and then back to the source row's content: still one entry per row, both ways.
    await ok(['hours', 'edit', '1', '--hours', '2.5']);
    await ok(['hours', 'edit', '2', '--hours', '2.5']);
    fs.writeFileSync(exported, (await ok(['hours', 'list', '--period', '2025-09', '--format', 'csv'])).stdout);
    for (const f of [exported, src]) expect((await ok(['hours', 'import', f])).stderr, f).toContain('inserted 0, updated 0, unchanged 3,');
    await ok(['hours', 'edit', '1', '--hours', '1']);
    fs.writeFileSync(exported, (await ok(['hours', 'list', '--period', '2025-09', '--format', 'csv'])).stdout);
    for (const f of [exported, src]) expect((await ok(['hours', 'import', f])).stderr, f).toContain('inserted 0, updated 0, unchanged 3,');
    expect(minutesOf(db).map((r) => (r as { minutes: number }).minutes)).toEqual([60, 150, 180]);
    // The keys stay contiguous: a file with one more such row adds exactly one entry.
    fs.appendFileSync(src, 'ana@example.org,2025-09-09,1,TELE,x\n');
    expect((await ok(['hours', 'import', src])).stderr).toContain('inserted 1,');
  });

  it('upgrading from schema 4 gives entries corrected before it their corrected key, and says so', async () => {
    const { dir, db, ok } = await base();
    const src = path.join(dir, 'a.csv');
    fs.writeFileSync(src, 'email,date,hours,program,note\nana@example.org,2025-09-09,1,TELE,x\n');
    await ok(['hours', 'import', src]);
    await ok(['hours', 'edit', '1', '--hours', '2']);
    // As schema 4 left it: only the source row's key.
    withRaw(db, (d) => {
      d.exec(`UPDATE hours SET fingerprint = (SELECT fingerprint FROM hours_keys WHERE entry_id = hours.id), seq = (SELECT seq FROM hours_keys WHERE entry_id = hours.id)
              WHERE id IN (SELECT entry_id FROM hours_keys)`);
      d.exec('DROP TABLE tax_letters; DROP TABLE hours_keys; DROP TABLE hours_rejected; ALTER TABLE imports DROP COLUMN token');
      d.pragma('user_version = 4');
    });
    const exported = path.join(dir, 'hl.csv');
    const r = await ok(['hours', 'list', '--period', '2025-09', '--format', 'csv']);
    fs.writeFileSync(exported, r.stdout);
    expect(r.stderr, r.stderr).toContain('schema 6: 1 imported entry corrected by hand now also matches its corrected content');
    for (const f of [exported, src]) expect((await ok(['hours', 'import', f])).stderr, f).toContain('inserted 0, updated 0, unchanged 1,');
  });
});

describe('F3. a year rate that later years fall back to says it changes them too', () => {
  it('setting 2024 (2025 has no rate of its own) names the 2025 entries it revalues and how to keep 2025 as reported', async () => {
    const { ok, run } = await base();
    await ok(['funders', 'add', 'F', '--name', 'F']);
    await ok(['funders', 'fund', 'F', '--program', 'TELE', '--from', '2024-01-01']);
    await ok(['hours', 'log', 'V1', '--program', 'TELE', '--hours', '10', '--date', '2025-03-01', '--activity', 'outreach']);
    await ok(['hours', 'log', 'V1', '--program', 'TELE', '--hours', '1', '--date', '2025-03-02', '--activity', 'outreach', '--miles', '100']);
    const report = async () => (await ok(['report', 'funder', '--funder', 'F', '--period', '2025', '--format', 'csv'])).stdout;
    const tax = async () => (await ok(['report', 'tax', '--year', '2025', '--format', 'csv'])).stdout;
    const [before, taxBefore] = [await report(), await tax()];
    const v = await run(['rates', 'set', 'volunteer-hour', '2024', '50.00']);
    expect(v.code).toBe(0);
    expect(v.stderr).toContain(
      "ngo: warning: the volunteer-hour rate of 2024 values 2 entries dated in 2025, a year without a rate of its own that now uses 2024's: reports for 2025 change",
    );
    expect(v.stderr).toContain('hint: to keep 2025 as reported, give 2025 its own rate: ngo rates set volunteer-hour 2025 33.49');
    const m = await run(['rates', 'set', 'mileage', '2020', '0.50']);
    expect(m.stderr).toContain("the mileage rate of 2020 values 1 entry dated in 2025, a year without a rate of its own that now uses 2020's");
    expect(m.stderr).toContain('ngo rates set mileage 2025 0.14');
    // Following the hints puts 2025 back exactly as it was reported.
    await ok(['rates', 'set', 'volunteer-hour', '2025', '33.49']);
    await ok(['rates', 'set', 'mileage', '2025', '0.14']);
    expect(await report()).toBe(before);
    expect(await tax()).toBe(taxBefore);
    // A year after the next year with a rate of its own is not counted.
    const again = await run(['rates', 'set', 'volunteer-hour', '2024', '60.00']);
    expect(again.stderr).not.toContain('warning');
  });
});

describe('F8. a very long NGO_BUSY_TIMEOUT waits, not 5 s', () => {
  it('values beyond what a timer holds (2^31-1 ms, ~24.8 days) wait that long; Infinity too; below 5 s is 5 s', () => {
    expect(writeWaitMs({ NGO_BUSY_TIMEOUT: '3000000' })).toBe(2 ** 31 - 1);
    expect(writeWaitMs({ NGO_BUSY_TIMEOUT: 'Infinity' })).toBe(2 ** 31 - 1);
    expect(writeWaitMs({ NGO_BUSY_TIMEOUT: '2147483' })).toBe(2147483000);
    expect(writeWaitMs({ NGO_BUSY_TIMEOUT: '-Infinity' })).toBe(5000);
    expect(writeWaitMs({})).toBe(120_000);
    expect(() => writeWaitMs({ NGO_BUSY_TIMEOUT: 'NaN' })).toThrow('NGO_BUSY_TIMEOUT must be a number of seconds, got "NaN"');
  });

  it('a writer with NGO_BUSY_TIMEOUT=3000000 is still waiting after the 5 s busy timeout and writes once the lock is free', { timeout: 30_000 }, async () => {
    const { db } = await base();
    const hold = new Database(db, { timeout: 1000 });
    hold.exec('BEGIN IMMEDIATE');
    const p = spawnNgo(['--db', db, 'hours', 'log', 'V1', '--program', 'TELE', '--hours', '2', '--date', '2025-03-01'], {
      env: { NGO_BUSY_TIMEOUT: '3000000' },
    });
    await sleep(7500);
    const alive = p.child.exitCode === null;
    hold.exec('ROLLBACK');
    hold.close();
    const r = await p.done;
    expect(alive, r.stderr).toBe(true);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('waiting for another ngo command to finish writing to the database (up to 2147484 s; Ctrl-C to give up)');
    expect(count(db, 'SELECT count(*) FROM hours')).toBe(1);
  });
});

describe.skipIf(FAULTS_UNAVAILABLE !== null)('F6. db check on a full disk fails even when the -wal and -shm already exist', () => {
  it('another process holds the database open (its -shm exists), the disk fills: writable,fail "full", exit 6, and the probe leaves nothing', async () => {
    const m = tmpfs(2048);
    try {
      const db = path.join(m.dir, 'ngo.db');
      const ok = mustSucceed(withDb(db));
      await ok(['init']);
      await ok(['programs', 'add', 'TELE', '--name', 'Telehealth']);
      const pass = spawnSync(process.execPath, [BIN, '--db', db, 'db', 'check'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect(pass.status, pass.stderr).toBe(0);
      expect(pass.stdout).toContain('writable,ok,ok');
      const reader = new Database(db, { readonly: true });
      try {
        reader.prepare('SELECT count(*) FROM programs').get();
        expect(fs.existsSync(`${db}-shm`)).toBe(true);
        m.fill(0);
        const before = await dbHash(db);
        const r = spawnSync(process.execPath, [BIN, '--db', db, 'db', 'check'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
        expect(r.status, r.stderr).toBe(6);
        expect(r.stdout).toMatch(
          /^writable,fail,"the disk holding it is full \(a 64 KiB write to its folder failed: ENOSPC\): reports work, every change would fail"$/m,
        );
        expect(r.stderr).toContain('ngo: error: 1 check(s) failed: writable');
        expect(await dbHash(db)).toBe(before);
        expect(fs.readdirSync(m.dir).filter((f) => f.startsWith('.ngo-space-'))).toEqual([]);
      } finally {
        reader.close();
      }
    } finally {
      m.done();
    }
  });
});

describe('F5. Ctrl-C and SIGTERM end a report that writes to a reader that does not read', () => {
  async function bigWorld() {
    const { dir, db } = await tmpDb();
    const ok = mustSucceed(withDb(db, { cwd: dir }));
    await ok(['programs', 'add', 'TELE', '--name', 'Telehealth']);
    await ok(['people', 'import', '-'], { stdin: rosterCsv(50) });
    await ok(['hours', 'import', '-'], { stdin: hoursCsv(3000) });
    return { dir, db };
  }

  for (const [how, sig] of [
    ['--out FIFO', 'SIGINT'],
    ['--out FIFO', 'SIGTERM'],
    ['--out /dev/stdout onto a FIFO', 'SIGINT'],
  ] as const) {
    it(`${how}, ${sig}: the process ends at once by the signal, the database as it was`, { timeout: 30_000 }, async () => {
      const { dir, db } = await bigWorld();
      const fifo = path.join(dir, 'ff');
      execFileSync('mkfifo', [fifo]);
      // A reader that opens the FIFO and never reads: the pipe's 64 KiB fill and the write blocks.
      const reader = spawn('sh', ['-c', 'exec 3<"$0"; sleep 30', fifo], { stdio: 'ignore' });
      const before = await dbHash(db);
      try {
        const args = ['--db', db, 'report', 'tax', '--year', '2025', '--detail', '--out', how === '--out FIFO' ? fifo : '/dev/stdout'];
        const out = how === '--out FIFO' ? 'pipe' : fs.openSync(fifo, 'w');
        const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', out, 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
        let stderr = '';
        child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
        const done = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
        if (typeof out === 'number') fs.closeSync(out);
        await sleep(2500);
        expect(child.exitCode, 'still writing to the stalled reader').toBeNull();
        const sent = Date.now();
        child.kill(sig);
        const r = await done;
        expect(Date.now() - sent).toBeLessThan(2000);
        expect(r.signal ?? r.code, stderr).toBe(r.signal ? sig : sig === 'SIGINT' ? 130 : 143);
        if (sig === 'SIGINT') expect(stderr).toContain('ngo: interrupted');
      } finally {
        reader.kill('SIGKILL');
      }
      expect(await dbHash(db)).toBe(before);
    });
  }

  it('an import whose --rejects FIFO is not read: Ctrl-C ends it by the signal, nothing imported', { timeout: 30_000 }, async () => {
    const { dir, db } = await bigWorld();
    const fifo = path.join(dir, 'ff');
    execFileSync('mkfifo', [fifo]);
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'external_id,date,hours,program\n' + 'V1,2025-13-01,1,TELE\n'.repeat(20_000));
    const reader = spawn('sh', ['-c', 'exec 3<"$0"; sleep 30', fifo], { stdio: 'ignore' });
    const before = await dbHash(db);
    try {
      const p = spawnNgo(['--db', db, 'hours', 'import', bad, '--rejects', fifo]);
      await sleep(2500);
      expect(p.child.exitCode).toBeNull();
      p.child.kill('SIGINT');
      const r = await p.done;
      expect(Date.now() - p.started).toBeLessThan(5000);
      expect(r.signal ?? r.code).toBe(r.signal ? 'SIGINT' : 130);
    } finally {
      reader.kill('SIGKILL');
    }
    expect(await dbHash(db)).toBe(before);
  });

  it('a signal that arrives while a report is computed is handled before its file is put in place: no file, no temporary file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngo-sig-'));
    const target = path.join(dir, 'big.csv');
    // The real writer and the real clean-up of main.ts, with a signal pending when the write starts
    // (as when Ctrl-C is pressed during the seconds a large report takes to compute).
    const script = `
      import { FileGuard, writeOutput, removeTempFiles } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist', 'io', 'files.js')).href)};
      process.on('SIGINT', () => { removeTempFiles(); process.exit(130); });
      process.kill(process.pid, 'SIGINT');
      await writeOutput(new FileGuard(), { path: ${JSON.stringify(target)}, shown: 'big.csv', label: '--out' }, 'x'.repeat(48 << 20));
      process.stdout.write('written');
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stdout).toBe('');
    expect(r.status, r.stderr).toBe(130);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('F9. smaller findings', () => {
  it('a write whose id cannot be printed (stdout on /dev/full) exits 6 and says the change was saved, so a script does not make it twice', async () => {
    const { db } = await base();
    const before = count(db, 'SELECT count(*) FROM people');
    const fd = fs.openSync('/dev/full', 'w');
    try {
      const r = withFd(['--db', db, 'people', 'add', '--first', 'Zoe'], fd, 1);
      expect(r.status).toBe(6);
      expect(r.stderr).toMatch(
        /^ngo: error: cannot write standard output: no space left on the device; the change itself was saved \(id \d+\): check before running the command again$/m,
      );
      const read = withFd(['--db', db, 'people', 'list'], fd, 1);
      expect(read.status).toBe(6);
      expect(read.stderr).toMatch(/^ngo: error: cannot write standard output: no space left on the device$/m);
    } finally {
      fs.closeSync(fd);
    }
    expect(count(db, 'SELECT count(*) FROM people')).toBe(before + 1);
  });
});

describe('F9.2. db restore leaves a backup as it found it', () => {
  it('a copy without side files keeps none after the restore; a backup with changes in its -wal keeps its -wal', async () => {
    const { dir, db, ok } = await base();
    const copy = path.join(dir, 'copy.db');
    fs.copyFileSync(db, copy);
    const before = fs.readFileSync(copy);
    await ok(['db', 'restore', copy, '--yes']);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('copy.db'))).toEqual(['copy.db']);
    expect(fs.readFileSync(copy).equals(before)).toBe(true);
    // A WAL-mode backup whose last change is still in its -wal: that -wal is the backup's, kept.
    const walCopy = path.join(dir, 'wal.db');
    fs.copyFileSync(db, walCopy);
    const w = new Database(walCopy);
    w.pragma('wal_autocheckpoint = 0');
    w.exec("INSERT INTO programs (code, name, status, created_at) VALUES ('PEER', 'Peer support', 'active', '2026-01-01T00:00:00Z')");
    const wal = fs.readFileSync(`${walCopy}-wal`);
    const held = spawnSync('cp', [`${walCopy}-wal`, `${walCopy}-wal.keep`]);
    expect(held.status).toBe(0);
    w.close(); // the last connection checkpoints and removes the -wal: put the un-checkpointed one back
    fs.copyFileSync(`${walCopy}-wal.keep`, `${walCopy}-wal`);
    fs.rmSync(`${walCopy}-wal.keep`);
    await ok(['db', 'restore', walCopy, '--yes']);
    expect(fs.readFileSync(`${walCopy}-wal`).equals(wal)).toBe(true);
    expect((await ok(['programs', 'list', '--format', 'csv'])).stdout).toContain('PEER');
  });
});

describe('F9.4-6. help texts, XDG_DATA_HOME, backup names', () => {
  it('hours edit --help does not claim a default activity; the people edit example runs as printed', async () => {
    const { run, ok } = await base();
    const help = await run(['hours', 'edit', '--help']);
    expect(help.stdout).toMatch(/\(unchanged unless\s+given\)/);
    expect(help.stdout).not.toMatch(/default\s+direct-service/);
    expect((await run(['hours', 'log', '--help'])).stdout).toMatch(/\(default\s+direct-service\)/);
    const example = (await run(['people', 'edit', '--help'])).stdout.match(/ngo people edit \S+ --rate 95\.00 --rate-from (\S+)/)!;
    await ok(['people', 'edit', 'V1', '--rate', '95.00', '--rate-from', example[1]!]);
  });

  it('a relative XDG_DATA_HOME is ignored (the XDG spec), an absolute one used', () => {
    const env: Record<string, string | undefined> = { ...process.env, HOME: '/home/someone' };
    delete env['NGO_DB'];
    const rel = spawnSync(process.execPath, [BIN, 'db', 'path'], { encoding: 'utf8', env: { ...env, XDG_DATA_HOME: 'rel' } });
    expect(rel.stdout).toBe('/home/someone/.local/share/ngo/ngo.db\n');
    const abs = spawnSync(process.execPath, [BIN, 'db', 'path'], { encoding: 'utf8', env: { ...env, XDG_DATA_HOME: '/srv/data' } });
    expect(abs.stdout).toBe('/srv/data/ngo/ngo.db\n');
  });

  it('db backup DIR/ names files by local time to the second, a second one in that second -2 before .db', async () => {
    const { dir, ok } = await base();
    const out = path.join(dir, 'bk');
    const a = (await ok(['db', 'backup', `${out}/`])).stdout.trim();
    const b = (await ok(['db', 'backup', `${out}/`])).stdout.trim();
    // The tests' clock: 2026-11-23 10:00:00 local time.
    expect(path.basename(a)).toBe('ngo-backup-2026-11-23-100000.db');
    expect(path.basename(b)).toBe('ngo-backup-2026-11-23-100000-2.db');
  });
});

describe('F9.3. a rate edit names every part of the history it replaces', () => {
  it('a rate from before an end of the rate says the end goes too; an end before the new start is not named', async () => {
    const { ok, run } = await base();
    await ok(['people', 'edit', 'V1', '--rate', '50', '--rate-from', '2025-06-01']);
    await ok(['people', 'edit', 'V1', '--rate', '', '--rate-from', '2025-06-02']);
    const r = await run(['people', 'edit', 'V1', '--rate', '70', '--rate-from', '2025-01-01']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('ngo: warning: the rate from 2025-01-01 replaces 50.00 from 2025-06-01 to 2025-06-01; no rate from 2025-06-02\n');
    await ok(['people', 'edit', 'V1', '--rate', '', '--rate-from', '2025-09-01']);
    const later = await run(['people', 'edit', 'V1', '--rate', '80', '--rate-from', '2025-10-01']);
    expect(later.stderr).not.toContain('replaces');
    expect((await ok(['people', 'show', 'V1', '--format', 'csv'])).stdout).toContain(
      'valid_from,valid_to,hourly_rate\n2025-01-01,2025-08-31,70.00\n2025-10-01,,80.00\n',
    );
  });
});
