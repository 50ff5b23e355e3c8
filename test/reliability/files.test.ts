/**
 * SPEC "Files ngo writes" (issue 15): every output option pointed at the database, one of its side
 * files or the command's own input is refused with exit 2 before anything is read or written; every
 * file ngo writes is 0600, appears whole or not at all (a full disk leaves no file and an existing
 * target unchanged), never follows a symlink, and --out-dir writes all its files or none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { dbHash, mustSucceed, ngo, tmpDb, withDb } from '../helpers.js';
import { FAULTS_UNAVAILABLE, tmpfs } from './fsfaults.js';
import { BIN, runNgo } from './proc.js';
import { spawnSync } from 'node:child_process';

/** A small database with a funder, a program, a person with hours: every report has rows. */
async function small(): Promise<{ dir: string; db: string; run: ReturnType<typeof withDb> }> {
  const { dir, db } = await tmpDb();
  const run = withDb(db, { cwd: dir });
  const ok = mustSucceed(run);
  await ok(['programs', 'add', 'TELE', '--name', 'Telehealth']);
  await ok(['funders', 'add', 'HOPE', '--name', 'Hope']);
  await ok(['funders', 'fund', 'HOPE', '--program', 'TELE', '--from', '2026-01-01']);
  await ok(['people', 'add', '--first', 'Ana', '--email', 'ana@example.org', '--address-line1', '1 Main St', '--roles', 'supervisee']);
  await ok(['people', 'add', '--first', 'Grace', '--email', 'grace@example.org', '--license-number', 'L1', '--license-expires', '2030-01-01']);
  await ok(['hours', 'log', 'ana@example.org', '--program', 'TELE', '--hours', '2', '--date', '2026-03-01', '--miles', '10']);
  await ok(['supervision', 'add', '--supervisor', 'grace@example.org', '--supervisee', 'ana@example.org', '--hours', '1', '--date', '2026-03-02']);
  return { dir, db, run };
}

/** Every command of ngo that writes a file, with the option that names it. */
const REPORTS: string[][] = [
  ['report', 'funder', '--funder', 'HOPE', '--period', '2026'],
  ['report', 'tax', '--year', '2026'],
  ['report', 'hours', '--period', '2026', '--by', 'program'],
  ['report', 'supervision', '--supervisee', 'ana@example.org'],
  ['report', 'grants'],
  ['people', 'export'],
];

describe('an output pointed at the database, its side files or the input is refused (exit 2), changing nothing', () => {
  let w: Awaited<ReturnType<typeof small>>;
  beforeAll(async () => {
    w = await small();
    fs.symlinkSync(w.db, path.join(w.dir, 'link-to-db'));
    fs.linkSync(w.db, path.join(w.dir, 'hardlink-to-db'));
    fs.writeFileSync(path.join(w.dir, 'roster.csv'), 'email,first_name\nnew@example.org,New\nbad-email,Bad\n');
    fs.symlinkSync(path.join(w.dir, 'roster.csv'), path.join(w.dir, 'link-to-roster.csv'));
  });

  const targets = () => [
    ['the database', w.db],
    ['the database, relative', 'ngo.db'],
    ['the database through ./ and ..', `./sub/../ngo.db`],
    ['a symlink to the database', 'link-to-db'],
    ['a hard link to the database', 'hardlink-to-db'],
    ['its -wal', `${w.db}-wal`],
    ['its -shm', 'ngo.db-shm'],
    ['its -journal', 'ngo.db-journal'],
  ];

  it('--out of every report and of people export', async () => {
    for (const args of REPORTS) {
      for (const [what, t] of targets()) {
        const before = await dbHash(w.db);
        const files = fs.readdirSync(w.dir).sort();
        const r = await w.run([...args, '--out', t!]);
        expect(r.code, `${args.join(' ')} --out ${what}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toMatch(
          new RegExp(`^ngo: error: --out ${t!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is the database(?:'s -(?:wal|shm|journal) file)?`),
        );
        expect(r.stdout).toBe('');
        expect(await dbHash(w.db), what).toBe(before);
        expect(fs.readdirSync(w.dir).sort(), what).toEqual(files);
      }
    }
  });

  it('--out-dir pointed at the database', async () => {
    const before = await dbHash(w.db);
    for (const t of [w.db, 'link-to-db']) {
      const r = await w.run(['report', 'funder', '--all', '--period', '2026', '--out-dir', t]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('is the database');
    }
    expect(await dbHash(w.db)).toBe(before);
  });

  it('--rejects of both imports: the database, its WAL, the input itself (also through a symlink)', async () => {
    fs.writeFileSync(path.join(w.dir, 'hours.csv'), 'email,date,hours,program\nana@example.org,2026-03-05,1,TELE\nana@example.org,2026-02-30,1,TELE\n');
    for (const [kind, input] of [
      ['people', 'roster.csv'],
      ['hours', 'hours.csv'],
    ] as const) {
      const inputBytes = fs.readFileSync(path.join(w.dir, input));
      for (const [what, t, msg] of [
        ['the database', 'ngo.db', 'is the database'],
        ['the WAL', 'ngo.db-wal', "is the database's -wal file"],
        ['the input', input, 'is an input file of this command'],
        ['the input by its absolute path', path.join(w.dir, input), 'is an input file of this command'],
        ...(kind === 'people' ? [['the input through a symlink', 'link-to-roster.csv', 'is an input file of this command']] : []),
      ] as const) {
        const before = await dbHash(w.db);
        const r = await w.run([kind, 'import', input, '--skip-invalid', '--rejects', t]);
        expect(r.code, `${kind} --rejects ${what}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toContain(msg);
        expect(r.stderr).not.toContain('inserted');
        expect(await dbHash(w.db)).toBe(before);
        expect(fs.readFileSync(path.join(w.dir, input))).toEqual(inputBytes);
      }
    }
  });

  it('db backup onto the database or its WAL; db restore from the live database', async () => {
    const before = await dbHash(w.db);
    for (const t of ['ngo.db', 'ngo.db-wal', 'link-to-db']) {
      const r = await w.run(['db', 'backup', t]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('is the database');
    }
    for (const t of ['ngo.db', 'link-to-db', 'hardlink-to-db']) {
      const r = await w.run(['db', 'restore', t, '--yes']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('is the live database');
    }
    expect(await dbHash(w.db)).toBe(before);
    expect(fs.readdirSync(w.dir).filter((f) => f.includes('before-restore'))).toEqual([]);
  });
});

describe('standard output that is the database', () => {
  it('`ngo report tax >> "$NGO_DB"` is refused with exit 2 and appends nothing', async () => {
    const { db } = await small();
    const before = await dbHash(db);
    const fd = fs.openSync(db, 'a');
    try {
      const r = spawnSync(process.execPath, [BIN, '--db', db, 'report', 'tax', '--year', '2026'], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^ngo: error: standard output is the database \(.*ngo\.db\); refusing to write over it$/m);
    } finally {
      fs.closeSync(fd);
    }
    expect(await dbHash(db)).toBe(before);
    // --out /dev/stdout into it too.
    const fd2 = fs.openSync(db, 'a');
    try {
      const r = spawnSync(process.execPath, [BIN, '--db', db, 'report', 'tax', '--year', '2026', '--out', '/dev/stdout'], {
        stdio: ['ignore', fd2, 'pipe'],
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(2);
    } finally {
      fs.closeSync(fd2);
    }
    expect(await dbHash(db)).toBe(before);
  });

  it('--out /dev/stdout redirected to a file appends to it (written in place, the device name never replaced)', async () => {
    const { dir, db } = await small();
    const out = path.join(dir, 'appended.csv');
    fs.writeFileSync(out, 'earlier line\n');
    const fd = fs.openSync(out, 'a');
    try {
      const r = spawnSync(process.execPath, [BIN, '--db', db, 'report', 'tax', '--year', '2026', '--out', '/dev/stdout'], {
        stdio: ['ignore', fd, 'pipe'],
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(0);
    } finally {
      fs.closeSync(fd);
    }
    expect(fs.readFileSync(out, 'utf8')).toMatch(/^earlier line\ntax_year,person_id,/);
    expect(fs.lstatSync('/dev/stdout').isSymbolicLink()).toBe(true);
  });
});

describe('what ngo writes: mode 0600, whole, never through a symlink', () => {
  it('--out, --out-dir, --rejects, db backup and kept copies are 0600 whatever the umask; no temporary file stays', async () => {
    const { dir, db, run } = await small();
    const old = process.umask(0o000);
    try {
      const ok = mustSucceed(run);
      await ok(['report', 'tax', '--year', '2026', '--out', 'tax.csv']);
      await ok(['report', 'funder', '--all', '--period', '2026', '--out-dir', 'out']);
      fs.writeFileSync(path.join(dir, 'roster.csv'), 'email,first_name\nnew@example.org,New\nbad-email,Bad\n');
      await ok(['people', 'import', 'roster.csv', '--skip-invalid', '--rejects', 'rejects.csv']);
      await ok(['db', 'backup', 'b.db']);
      await ok(['db', 'backup', 'backups/']);
      await ok(['db', 'restore', 'b.db', '--yes']);
      const written = [
        'tax.csv',
        'out/funder-HOPE-2026-01-01_2026-12-31.csv',
        'rejects.csv',
        'b.db',
        ...fs.readdirSync(path.join(dir, 'backups')).map((f) => `backups/${f}`),
        ...fs.readdirSync(dir).filter((f) => f.includes('before-restore')),
      ];
      expect(written).toHaveLength(6);
      for (const f of written) expect(fs.statSync(path.join(dir, f)).mode & 0o777, f).toBe(0o600);
      expect(fs.statSync(db).mode & 0o777).toBe(0o600);
      const leftovers = (d: string): string[] =>
        fs
          .readdirSync(d, { withFileTypes: true })
          .flatMap((e) => (e.isDirectory() ? leftovers(path.join(d, e.name)) : e.name.endsWith('.tmp') ? [e.name] : []));
      expect(leftovers(dir)).toEqual([]);
    } finally {
      process.umask(old);
    }
  });

  it('an existing symlink as --out is replaced by the report; the file it pointed at is untouched', async () => {
    const { dir, run } = await small();
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'do not touch');
    fs.symlinkSync(victim, path.join(dir, 'report.csv'));
    const r = await run(['report', 'tax', '--year', '2026', '--out', 'report.csv']);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readFileSync(victim, 'utf8')).toBe('do not touch');
    expect(fs.lstatSync(path.join(dir, 'report.csv')).isSymbolicLink()).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'report.csv'), 'utf8')).toMatch(/^tax_year,person_id,/);
  });

  it('a dangling symlink planted as --out (an attacker waiting for the file) is replaced, nothing written where it points', async () => {
    const { dir, run } = await small();
    const elsewhere = path.join(dir, 'elsewhere.csv');
    fs.symlinkSync(elsewhere, path.join(dir, 'report.csv'));
    expect((await run(['report', 'tax', '--year', '2026', '--out', 'report.csv'])).code).toBe(0);
    expect(fs.existsSync(elsewhere)).toBe(false);
  });

  it('--out onto a folder, or into a read-only file, is exit 6 and changes nothing', async () => {
    const { dir, run } = await small();
    fs.mkdirSync(path.join(dir, 'folder'));
    const r = await run(['report', 'tax', '--year', '2026', '--out', 'folder']);
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/^ngo: error: cannot write folder: is a directory$/m);
  });
});

describe.skipIf(FAULTS_UNAVAILABLE !== null)(`a full disk (${FAULTS_UNAVAILABLE ?? 'tmpfs'})`, () => {
  let fsx: ReturnType<typeof tmpfs>;
  let w: Awaited<ReturnType<typeof small>>;
  beforeAll(async () => {
    w = await small();
    // Enough rows that a report is many kilobytes.
    const rows = ['email,date,hours,program,note'];
    for (let i = 0; i < 3000; i++)
      rows.push(
        `ana@example.org,2025-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')},0.25,TELE,note number ${i} with some text to make the report longer`,
      );
    fs.writeFileSync(path.join(w.dir, 'many.csv'), rows.join('\n') + '\n');
    await mustSucceed(w.run)(['hours', 'import', 'many.csv']);
    fsx = tmpfs(256);
  });
  afterAll(() => fsx?.done());

  it('a report written to a full disk: exit 6 with one line, no file and no temporary file left; an existing target unchanged', async () => {
    fs.writeFileSync(path.join(fsx.dir, 'existing.csv'), "yesterday's report\n");
    fsx.fill(8);
    for (const name of ['new.csv', 'existing.csv']) {
      const r = await w.run(['hours', 'list', '--status', 'all'], {});
      expect(r.stdout.length).toBeGreaterThan(64 * 1024); // the report does not fit in what is left
      const out = path.join(fsx.dir, name);
      const t = await w.run(['report', 'tax', '--year', '2025', '--detail', '--out', out]);
      expect(t.code, t.stderr).toBe(6);
      expect(t.stderr.trim().split('\n')).toEqual([`ngo: error: cannot write ${out}: no space left on the device`]);
    }
    expect(fs.existsSync(path.join(fsx.dir, 'new.csv'))).toBe(false);
    expect(fs.readFileSync(path.join(fsx.dir, 'existing.csv'), 'utf8')).toBe("yesterday's report\n");
    expect(fs.readdirSync(fsx.dir).filter((f) => f !== '.filler' && f !== 'existing.csv')).toEqual([]);
  });

  it('--out-dir on a full disk writes none of its files', async () => {
    const ok = mustSucceed(w.run);
    for (const code of ['A', 'B', 'C']) {
      await ok(['funders', 'add', code, '--name', `Funder ${code}`]);
      await ok(['funders', 'fund', code, '--program', 'TELE', '--from', '2025-01-01']);
    }
    fs.rmSync(path.join(fsx.dir, '.filler'), { force: true });
    const out = path.join(fsx.dir, 'out');
    // Room for about one detail report, not four.
    const one = (await ok(['report', 'funder', '--funder', 'A', '--period', '2025', '--detail'])).stdout.length;
    fsx.fill(Math.ceil((one * 1.5) / 1024));
    const r = await w.run(['report', 'funder', '--all', '--period', '2025', '--detail', '--out-dir', out]);
    expect(r.code, r.stderr).toBe(6);
    expect(r.stderr).toMatch(/no space left on the device/);
    expect(r.stdout).toBe('');
    expect(fs.existsSync(out) ? fs.readdirSync(out) : []).toEqual([]);
  });

  it('the binary: a report on a full disk exits 6, never 1, and leaves no file', async () => {
    fsx.fill(0);
    const out = path.join(fsx.dir, 'bin.csv');
    const r = await runNgo(['--db', w.db, 'report', 'tax', '--year', '2025', '--detail', '--out', out]);
    expect(r.code, r.stderr).toBe(6);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('a read command on a missing or empty database', () => {
  const READS = [
    ['report', 'tax', '--year', '2026'],
    ['report', 'funder', '--all', '--period', '2026', '--out-dir', 'out'],
    ['people', 'list'],
    ['hours', 'list'],
    ['config', 'get', 'currency'],
    ['audit'],
    ['db', 'check'],
    ['db', 'backup', 'b.db'],
  ];
  it('exits 6 with the path and the init hint, and creates nothing (file, folder, side files)', async () => {
    const { dir } = await tmpDb({ create: false });
    const missing = path.join(dir, 'typo', 'ngo.db');
    for (const args of READS) {
      const r = await ngo(['--db', missing, ...args], { cwd: dir });
      expect(r.code, args.join(' ')).toBe(6);
      expect(r.stderr).toBe(`ngo: error: no ngo database at ${missing}\nhint: create it with: ngo init --db ${missing} (or check NGO_DB)\n`);
      expect(r.stdout).toBe('');
    }
    expect(fs.readdirSync(dir)).toEqual([]);
    // A zero-byte file (touch ngo.db) is no database either, and stays zero bytes.
    const empty = path.join(dir, 'empty.db');
    fs.writeFileSync(empty, '');
    for (const args of READS) expect((await ngo(['--db', empty, ...args], { cwd: dir })).code).toBe(6);
    expect(fs.readdirSync(dir)).toEqual(['empty.db']);
    expect(fs.statSync(empty).size).toBe(0);
    // Writes too: only init, demo and restore create.
    expect((await ngo(['--db', missing, 'people', 'add', '--first', 'Ana'])).code).toBe(6);
    expect(fs.existsSync(missing)).toBe(false);
    // The same through NGO_DB, as a cron job sets it.
    const viaEnv = await ngo(['report', 'funder', '--all', '--period', 'last-month', '--out-dir', 'out'], { cwd: dir, env: { NGO_DB: missing } });
    expect(viaEnv.code).toBe(6);
    expect(fs.readdirSync(dir)).toEqual(['empty.db']);
  });

  it("--db '' and an empty NGO_DB are usage errors (exit 2), never a fall back to another database", async () => {
    const { dir } = await tmpDb({ create: false });
    const r = await ngo(['--db', '', 'people', 'list'], { dataDir: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ngo: error: --db is empty$/m);
    const e = await ngo(['people', 'list'], { dataDir: dir, env: { NGO_DB: '' } });
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/^ngo: error: NGO_DB is set but empty$/m);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('init, demo and restore do create one', async () => {
    const { dir } = await tmpDb({ create: false });
    expect((await ngo(['--db', path.join(dir, 'a.db'), 'init'])).code).toBe(0);
    expect((await ngo(['--db', path.join(dir, 'b.db'), 'demo'])).code).toBe(0);
    const backup = path.join(dir, 'b-backup.db');
    expect((await ngo(['--db', path.join(dir, 'b.db'), 'db', 'backup', backup])).code).toBe(0);
    const r = await ngo(['--db', path.join(dir, 'c.db'), 'db', 'restore', backup, '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.statSync(path.join(dir, 'c.db')).mode & 0o777).toBe(0o600);
    expect((await ngo(['--db', path.join(dir, 'c.db'), 'people', 'list'])).stdout.split('\n').length).toBeGreaterThan(10);
  });
});
