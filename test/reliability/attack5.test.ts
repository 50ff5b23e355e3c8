/**
 * The findings of a fifth black-box attack on issues 15 and 16, each turned into a test of what must
 * happen.
 */
import { SqliteConn } from '../../src/store/sqlite-conn.js';
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { mustSucceed, tmpDb, withDb } from '../helpers.js';
import { BIN, binWithFd, withRaw } from './proc.js';
import { personDirectory } from '../../src/store/people.js';

async function base() {
  const { dir, db } = await tmpDb();
  const run = withDb(db, { cwd: dir });
  const ok = mustSucceed(run);
  await ok(['programs', 'add', 'PEER', '--name', 'Peer support']);
  await ok(['people', 'add', '--first', 'Rej', '--last', 'Two', '--email', 'r2@example.org']);
  return { dir, db, run, ok };
}

/** A database with Ann (a@x.org) and Bob (b@x.org), file helpers, and hours per person in 2026 as the report gives them. */
async function world() {
  const w = await base();
  await w.ok(['people', 'add', '--first', 'Ann', '--email', 'a@x.org']);
  await w.ok(['people', 'add', '--first', 'Bob', '--email', 'b@x.org']);
  const file = (name: string, text: string) => {
    const f = path.join(w.dir, name);
    fs.writeFileSync(f, text);
    return f;
  };
  const fix = (rej: string, name: string, from: string, to: string) => file(name, fs.readFileSync(rej, 'utf8').replace(from, to));
  const byPerson = async () => {
    const [head, ...rows] = (await w.ok(['report', 'hours', '--by', 'person', '--period', '2026', '--format', 'csv'])).stdout.trimEnd().split('\n');
    const at = (k: string) => head!.split(',').indexOf(k);
    return rows
      .map((l) => l.split(','))
      .filter((c) => /[ab]@x\.org/.test(c[at('email')]!))
      .map((c) => `${c[at('email')]} ${c[at('entries')]} ${c[at('hours')]}`);
  };
  return { ...w, file, fix, byPerson };
}

/** A rejects file's text with only its first `keep` columns: the `line` and `error` columns cut, as a user might. */
function withoutRejectsColumns(file: string, keep: number): string {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.split(',').slice(0, keep).join(','))
    .join('\n');
}

/** Hours of r2@example.org in August 2026, as the report gives them. */
async function augustHours(ok: ReturnType<typeof mustSucceed>): Promise<string> {
  const csv = (await ok(['report', 'hours', '--by', 'person', '--period', '2026-08', '--format', 'csv'])).stdout;
  const line = csv.split('\n').find((l) => l.includes('r2@example.org')) ?? '';
  return line;
}

const HEADER = 'email,date,hours,program,status,note\n';
const X = 'r2@example.org,2026-08-11,2,PEER,approved,g\n';

describe('1. the rejects loop of an hours import ends as one corrected import would', () => {
  const cases: { name: string; file: string; fix: (s: string) => string; entries: number }[] = [
    {
      name: 'a bad status in the second of two identical rows',
      file: X + X.replace('approved', 'maybe'),
      fix: (s) => s.replace('maybe', 'approved'),
      entries: 2,
    },
    {
      name: 'a program typo in the second of three identical rows',
      file: X + X.replace('PEER', 'PER') + X,
      fix: (s) => s.replace('PER,', 'PEER,'),
      entries: 3,
    },
    { name: 'a bad duration in the second of two identical rows', file: X + X.replace(',2,', ',2x,'), fix: (s) => s.replace(',2x,', ',2,'), entries: 2 },
    {
      name: 'a bad status in the middle of three identical rows',
      file: X + X.replace('approved', 'maybe') + X,
      fix: (s) => s.replace('maybe', 'approved'),
      entries: 3,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: the loop, the rejects file again and the corrected original add up to one corrected import`, async () => {
      const { dir, db, ok } = await base();
      const src = path.join(dir, 'r2.csv');
      fs.writeFileSync(src, HEADER + c.file);
      const rej = path.join(dir, 'rej.csv');
      const first = await ok(['hours', 'import', src, '--skip-invalid', '--rejects', rej]);
      expect(first.stderr).toContain(`inserted ${c.entries - 1}, updated 0, unchanged 0, skipped 0, invalid 1`);
      const fixed = path.join(dir, 'fixed.csv');
      fs.writeFileSync(fixed, c.fix(fs.readFileSync(rej, 'utf8')));
      expect((await ok(['hours', 'import', fixed])).stderr).toContain('inserted 1, updated 0, unchanged 0');
      // The fixed rejects file again, and the whole corrected original: nothing more.
      expect((await ok(['hours', 'import', fixed])).stderr).toContain('inserted 0, updated 0, unchanged 1');
      const corrected = path.join(dir, 'corrected.csv');
      fs.writeFileSync(corrected, HEADER + c.fix(c.file));
      expect((await ok(['hours', 'import', corrected])).stderr).toContain(`inserted 0, updated 0, unchanged ${c.entries}`);
      // As one corrected import into a fresh database.
      const fresh = await base();
      const freshFile = path.join(fresh.dir, 'corrected.csv');
      fs.writeFileSync(freshFile, HEADER + c.fix(c.file));
      await fresh.ok(['hours', 'import', freshFile]);
      expect(await augustHours(ok)).toBe(await augustHours(fresh.ok));
      expect((await augustHours(ok)).split(',')).toContain(String(c.entries));
      void db;
    });
  }

  it('the corrected original imported first, then the fixed rejects file: nothing counted twice (the row whose content was known)', async () => {
    const { dir, ok } = await base();
    const src = path.join(dir, 'r2.csv');
    const file = X + X.replace('approved', 'maybe') + X;
    fs.writeFileSync(src, HEADER + file);
    const rej = path.join(dir, 'rej.csv');
    await ok(['hours', 'import', src, '--skip-invalid', '--rejects', rej]);
    const corrected = path.join(dir, 'corrected.csv');
    fs.writeFileSync(corrected, HEADER + file.replace('maybe', 'approved'));
    expect((await ok(['hours', 'import', corrected])).stderr).toContain('inserted 1, updated 0, unchanged 2');
    const fixed = path.join(dir, 'fixed.csv');
    fs.writeFileSync(fixed, fs.readFileSync(rej, 'utf8').replace('maybe', 'approved'));
    expect((await ok(['hours', 'import', fixed])).stderr).toContain('inserted 0, updated 0, unchanged 1');
    expect((await augustHours(ok)).split(',')).toContain('6.00');
  });

  it('rows fixed one at a time in any order: a row whose content was unknown does not take the slot another waiting row reserved', async () => {
    const { dir, ok } = await base();
    const src = path.join(dir, 'r2.csv');
    const file = X + X.replace('approved', 'maybe') + X.replace('PEER', 'PER') + X;
    fs.writeFileSync(src, HEADER + file);
    const rej = path.join(dir, 'rej.csv');
    expect((await ok(['hours', 'import', src, '--skip-invalid', '--rejects', rej])).stderr).toContain(
      'inserted 2, updated 0, unchanged 0, skipped 0, invalid 2',
    );
    const [head, statusRow, typoRow] = fs.readFileSync(rej, 'utf8').trimEnd().split('\n');
    const one = (name: string, row: string) => {
      const f = path.join(dir, name);
      fs.writeFileSync(f, `${head}\n${row}\n`);
      return f;
    };
    expect((await ok(['hours', 'import', one('typo.csv', typoRow!.replace('PER,', 'PEER,'))])).stderr).toContain('inserted 1,');
    expect((await ok(['hours', 'import', one('status.csv', statusRow!.replace('maybe', 'approved'))])).stderr).toContain('inserted 1,');
    const corrected = path.join(dir, 'corrected.csv');
    fs.writeFileSync(corrected, HEADER + file.replace('maybe', 'approved').replace('PER,', 'PEER,'));
    expect((await ok(['hours', 'import', corrected])).stderr).toContain('inserted 0, updated 0, unchanged 4');
    expect((await augustHours(ok)).split(',')).toContain('8.00');
  });

  it('a row still invalid in the fixed rejects file keeps waiting, and its second fix is imported once', async () => {
    const { dir, ok } = await base();
    const src = path.join(dir, 'r2.csv');
    fs.writeFileSync(src, HEADER + X + X.replace('approved', 'maybe'));
    const rej = path.join(dir, 'rej.csv');
    await ok(['hours', 'import', src, '--skip-invalid', '--rejects', rej]);
    const rej2 = path.join(dir, 'rej2.csv');
    const still = path.join(dir, 'still.csv');
    fs.writeFileSync(still, fs.readFileSync(rej, 'utf8').replace('maybe', 'perhaps'));
    expect((await ok(['hours', 'import', still, '--skip-invalid', '--rejects', rej2])).stderr).toContain(
      'inserted 0, updated 0, unchanged 0, skipped 0, invalid 1',
    );
    const fixed = path.join(dir, 'fixed.csv');
    fs.writeFileSync(fixed, fs.readFileSync(rej2, 'utf8').replace('perhaps', 'approved'));
    expect((await ok(['hours', 'import', fixed])).stderr).toContain('inserted 1,');
    expect((await ok(['hours', 'import', fixed])).stderr).toContain('inserted 0,');
    expect((await augustHours(ok)).split(',')).toContain('4.00');
  });
});

describe('2. an import error names people by id only', () => {
  it('a row whose person and email are two people: the error and the rejects file hold neither name nor the new address', async () => {
    const { dir, ok, run } = await base();
    const a = (await ok(['people', 'add', '--first', 'Alpha', '--last', 'One', '--email', 'alpha@example.org'])).stdout.trim();
    await ok(['people', 'edit', a, '--email', 'alpha.new@example.org']);
    const b = (await ok(['people', 'add', '--first', 'Beta', '--last', 'Two', '--email', 'alpha@example.org'])).stdout.trim();
    const src = path.join(dir, 'h.csv');
    fs.writeFileSync(src, `person,email,date,hours,program\n${a},alpha@example.org,2026-08-11,1,PEER\n`);
    const rej = path.join(dir, 'rej.csv');
    const r = await run(['hours', 'import', src, '--skip-invalid', '--rejects', rej]);
    expect(r.stderr).toContain(`conflict: person ${a} is person #${a} but email alpha@example.org is person #${b}`);
    for (const text of [r.stderr, fs.readFileSync(rej, 'utf8')]) {
      for (const secret of ['Alpha', 'Beta', 'alpha.new@']) expect(text).not.toContain(secret);
    }
  });
});

describe('3. invisible format characters are shown escaped on a terminal, as the bidi overrides are', () => {
  const INVISIBLE = ['\u034f', '\u17b4', '\u200e', '\u200f', '\u061c', '\ufeff', '\u00ad', '\u180e', '\u3164', '\u115f', '\u{e0041}', '\u{1d173}', '\ufff9'];
  it('each of them in a name is escaped in tables and JSON on a terminal; ZWNJ and ZWJ, which scripts need, are not', async () => {
    const { ok, run } = await base();
    for (const ch of INVISIBLE) await ok(['people', 'add', '--first', `X${ch}Y`]);
    await ok(['people', 'add', '--first', 'می\u200cخواهم']);
    const table = (await run(['people', 'list'], { tty: true, columns: 200, env: { NO_COLOR: '1' } })).stdout;
    const json = (await run(['people', 'list', '--json'], { tty: true })).stdout;
    for (const ch of INVISIBLE) {
      const cp = ch.codePointAt(0)!;
      const shown = cp > 0xffff ? `\\u{${cp.toString(16)}}` : cp <= 0xff ? `\\x${cp.toString(16)}` : `\\u${cp.toString(16).padStart(4, '0')}`;
      expect(table, `U+${cp.toString(16)}`).toContain(`X${shown}Y`);
      expect(table).not.toContain(`X${ch}Y`);
      expect(json).not.toContain(`X${ch}Y`);
    }
    expect(table).toContain('می\u200cخواهم');
    // As data (CSV piped), every character is kept as stored.
    const csv = (await ok(['people', 'list', '--format', 'csv'])).stdout;
    for (const ch of INVISIBLE) expect(csv).toContain(`X${ch}Y`);
  });
});

describe('4. `ngo … > "$NGO_DB"`: the shell empties the file first, and ngo says so', () => {
  it('exit 2 naming the emptied database and a backup to restore; the next command says the file is empty and names both ways out', async () => {
    const { db } = await base();
    const fd = fs.openSync(db, 'w'); // what the shell does for `> "$NGO_DB"`
    try {
      const r = binWithFd(['--db', db, 'people', 'list'], fd, 1);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(
        `ngo: error: standard output is the database (${fs.realpathSync(db)}), and the shell emptied it when it opened it for ">" (before ngo started); nothing was written to it\n` +
          'hint: restore the latest backup: ngo db restore BACKUP --yes (then redirect the output to another file)\n',
      );
    } finally {
      fs.closeSync(fd);
    }
    const next = spawnSync(process.execPath, [BIN, '--db', db, 'people', 'list'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(next.status).toBe(6);
    expect(next.stderr).toContain(`no ngo database at ${db} (the file is empty)`);
    expect(next.stderr).toContain('hint: if it held your data, restore the latest backup: ngo db restore BACKUP --yes');
  });
});

describe('6-7. smaller findings', () => {
  it('a write whose reader went away (EPIPE) exits 6 saying the change was saved; a report piped to a reader that left exits 0', async () => {
    const { db } = await base();
    const write = spawnSync(
      'bash',
      [
        '-c',
        `"${process.execPath}" "${BIN}" --db "${db}" hours log r2@example.org --program PEER --hours 1 --date 2026-08-11 | (exec 0<&-; sleep 1); echo "rc=\${PIPESTATUS[0]}"`,
      ],
      { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(write.stdout).toContain('rc=6');
    expect(write.stderr).toMatch(
      /ngo: error: cannot write standard output: its reader closed it before everything was written \(broken pipe\); the change itself was saved \(id \d+\): check before running the command again/,
    );
    const read = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" --db "${db}" hours list | (exec 0<&-; sleep 1); echo "rc=\${PIPESTATUS[0]}"`], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(read.stdout).toContain('rc=0');
    expect(read.stderr).toBe('');
  });

  it('an erased person is not offered in the pick lists for new records', async () => {
    const { db, ok } = await base();
    const id = (await ok(['people', 'add', '--first', 'Gone', '--last', 'Person', '--email', 'gone@example.org'])).stdout.trim();
    await ok(['people', 'forget', id, '--yes']);
    const dir = await withRaw(db, (d) => personDirectory(new SqliteConn(d), { activeOnly: true }));
    expect(dir.map((p) => p.id)).not.toContain(Number(id));
    expect((await withRaw(db, (d) => personDirectory(new SqliteConn(d)))).map((p) => p.id)).toContain(Number(id));
  });

  it('standard output appended to the -wal of another SQLite database is refused, as --out onto it is', async () => {
    const { dir, db, ok } = await base();
    const other = path.join(dir, 'other.db');
    await ok(['db', 'backup', other]);
    fs.writeFileSync(`${other}-wal`, '');
    const fd = fs.openSync(`${other}-wal`, 'a');
    try {
      const r = binWithFd(['--db', db, 'hours', 'list'], fd, 1);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`standard output is the -wal file of the SQLite database ${fs.realpathSync(other)}; refusing to write over it`);
    } finally {
      fs.closeSync(fd);
    }
    expect(fs.statSync(`${other}-wal`).size).toBe(0);
  });
});

describe('sixth attack, 1. a fixed rejects row fills only the wait of the import that rejected it', () => {
  const H = 'email,date,hours,program,note\n';

  it('two imports with invalid rows on the same line: each fix goes to its own volunteer, and a fix imported again adds nothing', async () => {
    const w = await world();
    const a = w.file('A.csv', H + 'a@x.org,2026-08-11,2,PEER,g\na@x.org,2026-08-11,2x,PEER,g\n');
    const b = w.file('B.csv', H + 'b@x.org,2026-09-01,1.5,PEER,grp\nb@x.org,2026-09-01,1.5,PERR,grp\n');
    await w.ok(['hours', 'import', a, '--skip-invalid', '--rejects', path.join(w.dir, 'A-rej.csv')]);
    const aFix = w.fix(path.join(w.dir, 'A-rej.csv'), 'A-fix.csv', '2x', '2');
    expect((await w.ok(['hours', 'import', aFix])).stderr).toContain('inserted 1,');
    await w.ok(['hours', 'import', b, '--skip-invalid', '--rejects', path.join(w.dir, 'B-rej.csv')]);
    expect((await w.ok(['hours', 'import', aFix])).stderr).toContain('inserted 0, updated 0, unchanged 1');
    const bFix = w.fix(path.join(w.dir, 'B-rej.csv'), 'B-fix.csv', 'PERR', 'PEER');
    expect((await w.ok(['hours', 'import', bFix])).stderr).toContain('inserted 1,');
    expect(await w.byPerson()).toEqual(['a@x.org 2 4.00', 'b@x.org 2 3.00']);
  });

  it('the same file imported three times with --skip-invalid waits once: its fix imported three times adds one row', async () => {
    const w = await world();
    const a = w.file('A.csv', H + 'a@x.org,2026-08-11,2,PEER,g\na@x.org,2026-08-11,2x,PEER,g\n');
    for (let i = 1; i <= 3; i++) await w.ok(['hours', 'import', a, '--skip-invalid', '--rejects', path.join(w.dir, `A-rej${i}.csv`)]);
    for (let i = 1; i <= 3; i++) await w.ok(['hours', 'import', w.fix(path.join(w.dir, `A-rej${i}.csv`), `A-fix${i}.csv`, '2x', '2')]);
    expect(await w.byPerson()).toEqual(['a@x.org 2 4.00']);
  });

  it('rounds: a row still invalid moves its wait; importing an intermediate file again, or fixing the older rejects file, adds nothing twice', async () => {
    const w = await world();
    const m = w.file(
      'm.csv',
      H.replace('note', 'status,note') +
        'a@x.org,2026-08-11,2,PEER,approved,g\na@x.org,2026-08-11,2x,PEER,approved,g\na@x.org,2026-08-12,1,PEER,approved,h\na@x.org,2026-08-12,1,PEER,maybe,h\n',
    );
    const r1 = path.join(w.dir, 'r1.csv');
    await w.ok(['hours', 'import', m, '--skip-invalid', '--rejects', r1]);
    const f1 = w.fix(r1, 'f1.csv', '2x', '2');
    const r2 = path.join(w.dir, 'r2.csv');
    expect((await w.ok(['hours', 'import', f1, '--skip-invalid', '--rejects', r2])).stderr).toContain(
      'inserted 1, updated 0, unchanged 0, skipped 0, invalid 1',
    );
    const f2 = w.fix(r2, 'f2.csv', 'maybe', 'approved');
    expect((await w.ok(['hours', 'import', f2])).stderr).toContain('inserted 1,');
    expect((await w.ok(['hours', 'import', f2])).stderr).toContain('inserted 0,');
    await w.ok(['hours', 'import', f1, '--skip-invalid']);
    expect((await w.ok(['hours', 'import', f2])).stderr).toContain('inserted 0,');
    // The older rejects file fixed whole: its rows are in already.
    const f1full = w.file('f1full.csv', fs.readFileSync(r1, 'utf8').replace('2x', '2').replace('maybe', 'approved'));
    expect((await w.ok(['hours', 'import', f1full])).stderr).toContain('inserted 0,');
    const corrected = w.file('corrected.csv', fs.readFileSync(m, 'utf8').replace('2x', '2').replace('maybe', 'approved'));
    expect((await w.ok(['hours', 'import', corrected])).stderr).toContain('inserted 0, updated 0, unchanged 4');
    expect(await w.byPerson()).toEqual(['a@x.org 4 6.00']);
  });

  it('the older rejects file fixed after a round left its row invalid again: the row is added once, where it waits now', async () => {
    const w = await world();
    const m = w.file('m.csv', H.replace('note', 'status,note') + 'a@x.org,2026-08-12,1,PEER,approved,h\na@x.org,2026-08-12,1,PEER,maybe,h\n');
    const r1 = path.join(w.dir, 'r1.csv');
    await w.ok(['hours', 'import', m, '--skip-invalid', '--rejects', r1]);
    await w.ok(['hours', 'import', w.fix(r1, 'f1.csv', 'maybe', 'perhaps'), '--skip-invalid']);
    const f1full = w.fix(r1, 'f1full.csv', 'maybe', 'approved');
    expect((await w.ok(['hours', 'import', f1full])).stderr).toContain('inserted 1,');
    expect((await w.ok(['hours', 'import', f1full])).stderr).toContain('inserted 0,');
    expect(await w.byPerson()).toEqual(['a@x.org 2 2.00']);
  });
});

describe('sixth attack, 2. a roster row rejected as the same person as another stays rejected through the loop', () => {
  it('fixing the other errors of a rejects file does not let the twin row overwrite what its partner set; clearing its error cell applies it', async () => {
    const { dir, ok, run } = await base();
    await ok(['people', 'add', '--first', 'B', '--email', 'b@x.org']);
    const ro = path.join(dir, 'ro.csv');
    fs.writeFileSync(ro, 'email,first_name,last_name,joined_on\nb@x.org,Bee,Lb,\nb@x.org,,Xlast,\nc@x.org,Cee,,2026-13-01\n');
    const rej = path.join(dir, 'ro-rej.csv');
    expect((await run(['people', 'import', ro, '--skip-invalid', '--rejects', rej])).stderr).toContain('invalid 2');
    const fixed = path.join(dir, 'ro-fix.csv');
    fs.writeFileSync(fixed, fs.readFileSync(rej, 'utf8').replace('2026-13-01', '2026-01-13'));
    const rej2 = path.join(dir, 'ro-rej2.csv');
    const r = await run(['people', 'import', fixed, '--skip-invalid', '--rejects', rej2]);
    expect(r.stderr).toContain('inserted 1, updated 0, unchanged 0, skipped 0, invalid 1');
    expect(r.stderr).toContain('the same person as line 2 of the file first imported, whose row was imported: merge the two by hand');
    const show = async () => (await ok(['people', 'list', '--format', 'csv'])).stdout;
    expect(await show()).toContain(',Bee,Lb,b@x.org,');
    // A second round keeps refusing it; an emptied error cell applies it as the user chose.
    expect((await run(['people', 'import', rej2, '--skip-invalid'])).stderr).toContain('invalid 1');
    const chosen = path.join(dir, 'chosen.csv');
    fs.writeFileSync(chosen, fs.readFileSync(rej2, 'utf8').replace(/,"?the same person as line[^\n]*/, ','));
    await ok(['people', 'import', chosen]);
    expect(await show()).toContain(',Bee,Xlast,b@x.org,');
  });
});

describe('sixth attack, 4. db check names the temporary files a killed command left beside the database', () => {
  it('a stale staged copy fails no_leftover_files (exit 5) naming it; a fresh one (a running command) is not flagged', async () => {
    const { dir, db, run } = await base();
    const stale = path.join(dir, `.${path.basename(db)}.0123456789abcdef.tmp`);
    fs.copyFileSync(db, stale);
    const old = new Date(Date.now() - 11 * 60 * 1000);
    fs.utimesSync(stale, old, old);
    fs.writeFileSync(path.join(dir, `.${path.basename(db)}.fedcba9876543210.tmp`), '');
    const r = await run(['db', 'check', '--format', 'csv']);
    expect(r.code).toBe(5);
    expect(r.stdout).toContain(
      `no_leftover_files,fail,temporary files of a killed command (they may hold a copy of the database) in ${dir}: .${path.basename(db)}.0123456789abcdef.tmp; remove them when no ngo command runs\n`,
    );
    expect(r.stdout).not.toContain('fedcba9876543210');
    fs.rmSync(stale);
    expect((await run(['db', 'check', '--format', 'csv'])).stdout).toContain('no_leftover_files,ok,');
  });
});

describe('seventh attack: the rejects loop, once more', () => {
  it('1. a partly fixed rejects file imported twice adds nothing the second time; the row still invalid is not counted', async () => {
    const w = await world();
    const q = w.file(
      'q.csv',
      'email,date,hours,program,status\na@x.org,2026-05-11,1.5x,PEER,approved\na@x.org,2026-05-11,1.5,PEER,maybe\na@x.org,2026-05-11,1.5,PEER,approved\n',
    );
    const q1 = path.join(w.dir, 'q1.csv');
    await w.ok(['hours', 'import', q, '--skip-invalid', '--rejects', q1]);
    const qf1 = w.fix(q1, 'qf1.csv', '1.5x', '1.5');
    const q2 = path.join(w.dir, 'q2.csv');
    expect((await w.ok(['hours', 'import', qf1, '--skip-invalid', '--rejects', q2])).stderr).toContain(
      'inserted 1, updated 0, unchanged 0, skipped 0, invalid 1',
    );
    expect((await w.ok(['hours', 'import', qf1, '--skip-invalid'])).stderr).toContain('inserted 0, updated 0, unchanged 1, skipped 0, invalid 1');
    expect(await w.byPerson()).toEqual(['a@x.org 2 3.00']);
    expect((await w.ok(['hours', 'import', w.fix(q2, 'qf2.csv', 'maybe', 'approved')])).stderr).toContain('inserted 1,');
    expect(await w.byPerson()).toEqual(['a@x.org 3 4.50']);
  });

  it('2. a rejects file whose import this database does not hold (after a restore, another database) fills no wait: the rows are matched as any file', async () => {
    const w = await world();
    const bak = path.join(w.dir, 'r0.bak');
    await w.ok(['db', 'backup', bak]);
    const b = w.file('B.csv', 'email,date,hours,program,note\nb@x.org,2026-09-01,1.5,PEER,grp\nb@x.org,2026-09-01,1.5,PERR,grp\n');
    await w.ok(['hours', 'import', b, '--skip-invalid', '--rejects', path.join(w.dir, 'B-rej.csv')]);
    await w.ok(['db', 'restore', bak, '--yes']);
    const a = w.file('A.csv', 'email,date,hours,program,note\na@x.org,2026-08-11,2,PEER,g\na@x.org,2026-08-11,2x,PEER,g\n');
    await w.ok(['hours', 'import', a, '--skip-invalid', '--rejects', path.join(w.dir, 'A-rej.csv')]);
    // Both imports are #N of their database, on line 3: B's rejects must not fill A's wait.
    await w.ok(['hours', 'import', w.fix(path.join(w.dir, 'B-rej.csv'), 'B-fix.csv', 'PERR', 'PEER')]);
    expect((await w.ok(['hours', 'import', w.fix(path.join(w.dir, 'A-rej.csv'), 'A-fix.csv', '2x', '2')])).stderr).toContain('inserted 1,');
    expect(await w.byPerson()).toEqual(['a@x.org 2 4.00', 'b@x.org 1 1.50']);
  });

  it('3. a fixed row without its rejects columns is matched as a repeat, and the import says rows still wait for their fixed copy', async () => {
    const w = await world();
    const s = w.file('s.csv', 'email,date,hours,program,status,note\na@x.org,2026-08-11,2,PEER,approved,grp\na@x.org,2026-08-11,2,PEER,maybe,grp\n');
    const s1 = path.join(w.dir, 's1.csv');
    await w.ok(['hours', 'import', s, '--skip-invalid', '--rejects', s1]);
    const clean = w.file('sf.csv', withoutRejectsColumns(s1, 6).replace('maybe', 'approved'));
    const r = await w.ok(['hours', 'import', clean]);
    expect(r.stderr).toContain('inserted 0, updated 0, unchanged 1');
    expect(r.stderr).toContain(
      'ngo: warning: 1 row(s) are for a volunteer and day (or have the content) of rows that earlier imports rejected and that still wait for their fixed copy',
    );
    expect(r.stderr).toContain('with its line and error columns');
  });

  it('4. db check names any temporary file of ngo beside the database, a killed backup or report too', async () => {
    const { dir, run } = await base();
    const old = new Date(Date.now() - 11 * 60 * 1000);
    for (const n of ['.Kb2.bak.0123456789abcdef.tmp', '.Kb2.bak.0123456789abcdef.tmp-journal', '.rep.csv.fedcba9876543210.tmp']) {
      fs.writeFileSync(path.join(dir, n), 'x');
      fs.utimesSync(path.join(dir, n), old, old);
    }
    fs.writeFileSync(path.join(dir, '.mine.tmp'), 'x'); // not one of ngo's names
    fs.utimesSync(path.join(dir, '.mine.tmp'), old, old);
    const r = await run(['db', 'check', '--format', 'csv']);
    expect(r.code).toBe(5);
    expect(r.stdout).toContain(': .Kb2.bak.0123456789abcdef.tmp; .Kb2.bak.0123456789abcdef.tmp-journal; .rep.csv.fedcba9876543210.tmp; remove them');
    expect(r.stdout).not.toContain('.mine.tmp');
  });

  it('5. a roster row tagged "the same person" by another database, or by no tag at all, is applied', async () => {
    const { dir, ok } = await base();
    const f = path.join(dir, 'only3.csv');
    fs.writeFileSync(
      f,
      'external_id,email,first_name,last_name,line,error\nE1,new1@x.org,New,One,3,"the same person as line 2 (external_id E1); a roster may hold each person once: merge the two rows (ngo import #1 ref 0badf00d)"\n',
    );
    expect((await ok(['people', 'import', f])).stderr).toContain('inserted 1,');
  });
});

describe('eighth attack', () => {
  it('1. rows fixed without their rejects columns, whose content could not be read, are warned about (by volunteer and day)', async () => {
    const { dir, ok } = await base();
    await ok(['people', 'add', '--first', 'Ann', '--email', 'a@x.org']);
    await ok(['people', 'add', '--first', 'Bob', '--email', 'b@x.org']);
    const t = path.join(dir, 't.csv');
    fs.writeFileSync(
      t,
      'email,date,hours,program,note\na@x.org,2026-08-11,2,PEER,grp\na@x.org,2026-08-11,2x,PEER,grp\nb@x.org,2026-08-11,1,PERR,grp\nb@x.org,2026-08-11,1,PEER,grp\n',
    );
    const t1 = path.join(dir, 't1.csv');
    await ok(['hours', 'import', t, '--skip-invalid', '--rejects', t1]);
    const tf = path.join(dir, 'tf.csv');
    fs.writeFileSync(tf, withoutRejectsColumns(t1, 5).replace('2x', '2').replace('PERR', 'PEER'));
    const r = await ok(['hours', 'import', tf]);
    expect(r.stderr).toContain('inserted 0, updated 0, unchanged 2');
    expect(r.stderr).toContain('ngo: warning: 2 row(s) are for a volunteer and day (or have the content) of rows that earlier imports rejected');
    // The rejects file as written still brings both back.
    const fixed = path.join(dir, 'fixed.csv');
    fs.writeFileSync(fixed, fs.readFileSync(t1, 'utf8').replace('2x', '2').replace('PERR', 'PEER'));
    expect((await ok(['hours', 'import', fixed])).stderr).toContain('inserted 2,');
  });

  it('2. people forget names every SQLite file and every ngo temporary file in the database folder', async () => {
    const { dir, db, ok } = await base();
    const id = (await ok(['people', 'add', '--first', 'Zed', '--last', 'Quill', '--email', 'zed@q.org'])).stdout.trim();
    await ok(['db', 'backup', `${dir}/`]);
    await ok(['db', 'backup', path.join(dir, 'mybackup.db')]);
    fs.copyFileSync(path.join(dir, 'mybackup.db'), path.join(dir, '.nightly.db.89abcdef01234567.tmp'));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a database');
    const r = await ok(['people', 'forget', id, '--yes']);
    const warning = r.stderr.split('\n').find((l) => l.includes('copies made before the erasure'))!;
    expect(warning).toContain(path.join(dir, 'mybackup.db'));
    expect(warning).toContain(path.join(dir, '.nightly.db.89abcdef01234567.tmp'));
    expect(warning).toMatch(/ngo-backup-\d{4}-\d\d-\d\d-\d{6}\.db/);
    expect(warning).not.toContain('notes.txt');
    expect(warning).not.toContain(`${db},`);
  });

  it('3. a roster "same person" row edited to name nobody yet is applied', async () => {
    const { dir, ok } = await base();
    const ro = path.join(dir, 'ro.csv');
    fs.writeFileSync(ro, 'external_id,email,first_name,last_name,phone\nE1,new1@x.org,New,One,111\nE1,new1@x.org,New,Uno,222\n');
    const ro1 = path.join(dir, 'ro1.csv');
    await ok(['people', 'import', ro, '--skip-invalid', '--rejects', ro1]);
    const edited = path.join(dir, 'ro1e.csv');
    fs.writeFileSync(edited, fs.readFileSync(ro1, 'utf8').replace(/^E1,new1@x.org/m, 'E9,zed@x.org'));
    expect((await ok(['people', 'import', edited])).stderr).toContain('inserted 1,');
  });
});

describe('ninth attack', () => {
  const setup = world;

  it('1. a row that had too many or too few cells stays rejected when its rejects file comes back, until its error cell is cleared', async () => {
    const { dir, ok, run } = await setup();
    const x = path.join(dir, 'x.csv');
    fs.writeFileSync(x, 'email,date,hours,program,expenses\na@x.org,2026-06-05,1,PEER,1,234.50\n');
    const xr = path.join(dir, 'x-r.csv');
    await ok(['hours', 'import', x, '--skip-invalid', '--rejects', xr]);
    const again = await run(['hours', 'import', xr]);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain(
      'this row had 6 cells where the header has 5: check that every value is in its column, then delete this message from the error cell',
    );
    // Looked at and fixed (the amount quoted), error cell cleared: imported with the right amount.
    const fixed = path.join(dir, 'fixed.csv');
    fs.writeFileSync(fixed, 'email,date,hours,program,expenses,line,error\na@x.org,2026-06-05,1,PEER,1234.50,2,\n');
    await ok(['hours', 'import', fixed]);
    expect((await ok(['hours', 'list', '--format', 'csv'])).stdout).toContain(',1234.50,');
  });

  it('2. a column --map gave a field is named by that field in the rejects file, so the fixed row keeps its value without the --map', async () => {
    const { dir, ok } = await setup();
    const mp = path.join(dir, 'mp.csv');
    fs.writeFileSync(mp, 'email,date,hours,program,Claim\na@x.org,2026-06-01,1,PEER,40.00\na@x.org,2026-06-02,1,PERR,40.00\n');
    const rej = path.join(dir, 'mp-r.csv');
    await ok(['hours', 'import', mp, '--map', 'Claim=expenses', '--skip-invalid', '--rejects', rej]);
    expect(fs.readFileSync(rej, 'utf8').split('\n')[0]).toBe('email,date,hours,program,expenses,line,error');
    fs.writeFileSync(rej, fs.readFileSync(rej, 'utf8').replace('PERR', 'PEER'));
    expect((await ok(['hours', 'import', rej])).stderr).toContain('inserted 1,');
    const corrected = path.join(dir, 'mpf.csv');
    fs.writeFileSync(corrected, fs.readFileSync(mp, 'utf8').replace('PERR', 'PEER'));
    expect((await ok(['hours', 'import', corrected, '--map', 'Claim=expenses'])).stderr).toContain('inserted 0, updated 0, unchanged 2');
  });

  it('3. an unknown or ambiguous person cell names people by id only, with no suggestions', async () => {
    const { dir, ok, run } = await setup();
    await ok(['people', 'add', '--first', 'Ex', '--last', 'Two', '--email', 'ex@x.org', '--external-id', '3']);
    const f = path.join(dir, 'amb.csv');
    fs.writeFileSync(f, 'person,date,hours,program\n3,2026-06-01,1,PEER\nb@x.orgg,2026-06-01,1,PEER\n');
    const rej = path.join(dir, 'amb-r.csv');
    const r = await run(['hours', 'import', f, '--skip-invalid', '--rejects', rej]);
    expect(r.stderr).toMatch(/person "3" names 2 people \(#\d+, #\d+\): use the numeric id \(#N\) or the email/);
    expect(r.stderr).toContain('no person matches "b@x.orgg" (by id, email or external id)');
    for (const text of [r.stderr, fs.readFileSync(rej, 'utf8')])
      for (const secret of ['Ann', 'Bob', 'Ex Two', 'ex@x.org', 'a@x.org']) expect(text).not.toContain(secret);
  });

  it('4. rows fixed without their rejects columns whose volunteer or date could not be read are warned about too', async () => {
    const { dir, ok } = await setup();
    const u = path.join(dir, 'u.csv');
    fs.writeFileSync(
      u,
      'email,date,hours,program,note\na@x.org,2026-08-11,2,PEER,grp\na@x.orgg,2026-08-11,2,PEER,grp\nb@x.org,2026-08-11,1,PEER,grp\nb@x.org,2026-08-1,1,PEER,grp\n',
    );
    const u1 = path.join(dir, 'u1.csv');
    await ok(['hours', 'import', u, '--skip-invalid', '--rejects', u1]);
    const uf = path.join(dir, 'uf.csv');
    fs.writeFileSync(uf, withoutRejectsColumns(u1, 5).replace('orgg', 'org').replace('08-1,', '08-11,'));
    const r = await ok(['hours', 'import', uf]);
    expect(r.stderr).toContain('unchanged 2');
    expect(r.stderr).toContain(
      'ngo: warning: 2 row(s) that earlier imports rejected, whose volunteer or date could not be read, still wait for their fixed copy',
    );
  });
});

describe('tenth attack', () => {
  const setup = world;

  it('1. a row with the wrong cell count, checked and with its message deleted but its reference kept, fills its wait', async () => {
    const { dir, ok, run } = await setup();
    const g = path.join(dir, 'g.csv');
    fs.writeFileSync(g, 'email,date,hours,program,miles,expenses\na@x.org,2026-06-02,1,PEER,,12.50\na@x.org,2026-06-02,1,PEER,12.50\n');
    const gr = path.join(dir, 'g-r.csv');
    await ok(['hours', 'import', g, '--skip-invalid', '--rejects', gr]);
    const kept = /\(ngo import #\d+ ref [0-9a-f]{8}\)/.exec(fs.readFileSync(gr, 'utf8'))![0];
    const refused = await run(['hours', 'import', gr]);
    expect(refused.stderr).toContain('then delete this message from the error cell, keeping the (ngo import …) reference at its end');
    const gf = path.join(dir, 'gf.csv');
    fs.writeFileSync(gf, `email,date,hours,program,miles,expenses,line,error\na@x.org,2026-06-02,1,PEER,,12.50,3,${kept}\n`);
    expect((await ok(['hours', 'import', gf])).stderr).toContain('inserted 1,');
    expect((await ok(['report', 'hours', '--by', 'person', '--period', '2026', '--format', 'csv'])).stdout).toMatch(/a@x\.org,2,2\.00,1,0\.00,25\.00/);
  });

  it('2. a column --map ignored stays ignored when its rejects file comes back', async () => {
    const { dir, ok } = await setup();
    const mi = path.join(dir, 'mi.csv');
    fs.writeFileSync(mi, 'email,date,hours,program,expenses\na@x.org,2026-06-01,1,PEER,999.00\na@x.org,2026-06-02,1,PERR,999.00\n');
    const rej = path.join(dir, 'mi-r.csv');
    await ok(['hours', 'import', mi, '--map', 'expenses=-', '--skip-invalid', '--rejects', rej]);
    expect(fs.readFileSync(rej, 'utf8').split('\n')[0]).toBe('email,date,hours,program,ignored: expenses,line,error');
    fs.writeFileSync(rej, fs.readFileSync(rej, 'utf8').replace('PERR', 'PEER'));
    await ok(['hours', 'import', rej]);
    expect((await ok(['hours', 'list', '--format', 'csv'])).stdout).not.toContain('999.00');
  });

  it('3. a fixed row of a --pending import comes in pending', async () => {
    const { dir, ok } = await setup();
    const pn = path.join(dir, 'pn.csv');
    fs.writeFileSync(pn, 'email,date,hours,program\na@x.org,2026-06-01,1,PEER\na@x.org,2026-06-02,3,PERR\n');
    const rej = path.join(dir, 'pn-r.csv');
    await ok(['hours', 'import', pn, '--pending', '--skip-invalid', '--rejects', rej]);
    fs.writeFileSync(rej, fs.readFileSync(rej, 'utf8').replace('PERR', 'PEER'));
    await ok(['hours', 'import', rej]);
    const list = (await ok(['hours', 'list', '--format', 'csv', '--status', 'all'])).stdout;
    expect(
      list
        .split('\n')
        .filter((l) => l.includes('a@x.org'))
        .map((l) => l.split(',').at(-2)),
    ).toEqual(['pending', 'pending']);
  });
});
