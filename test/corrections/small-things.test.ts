/**
 * The smaller things of issue 19, on whichever store the run uses: an identical hand-logged entry,
 * `--from` without `--to`, `db backup DIR/` and two restores in one second, and `db check` agreeing
 * with `hours log` about a day over 24 h (so the README's cron recipe does not stop at it).
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { dbHash, mustSucceed, parseCsv, tmpDb, withDb } from '../helpers.js';

async function world() {
  const { dir, db } = await tmpDb();
  const run = withDb(db, { dataDir: path.join(dir, 'data') });
  const ok = mustSucceed(run);
  await ok(['programs', 'add', 'TELE', '--name', 'Tele-therapy']);
  await ok(['people', 'add', '--first', 'Bo', '--last', 'Brown', '--email', 'bo@example.org']);
  return { dir, db, run, ok };
}

describe('an identical hand-logged entry', () => {
  it('is refused (exit 5, nothing written) naming the entry and the ways on; --allow-duplicate logs it; a void or different entry does not count', async () => {
    const { db, run, ok } = await world();
    await ok(['hours', 'log', 'bo@example.org', '--program', 'TELE', '--hours', '1.5', '--date', '2026-11-02', '--note', 'group']);
    const before = await dbHash(db);
    const r = await run(['hours', 'log', 'BO@example.org', '--program', 'tele', '--minutes', '90', '--date', '2026-11-02', '--note', 'group']);
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'ngo: error: entry #1 (1.50 h by Bo Brown, TELE, 2026-11-02) already has exactly this content (approved); nothing was logged\n' +
        'hint: to log another identical entry (a second session that day), add --allow-duplicate; to correct the first, ngo hours edit 1\n',
    );
    expect(await dbHash(db)).toBe(before);
    const again = await run([
      'hours',
      'log',
      'bo@example.org',
      '--program',
      'TELE',
      '--hours',
      '1.5',
      '--date',
      '2026-11-02',
      '--note',
      'group',
      '--allow-duplicate',
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe('2\n');
    // Another note, another day: not the same entry.
    await ok(['hours', 'log', 'bo@example.org', '--program', 'TELE', '--hours', '1.5', '--date', '2026-11-02', '--note', 'group 2']);
    // A rejected one names reopen; a void one is not there any more.
    await ok(['hours', 'log', 'bo@example.org', '--program', 'TELE', '--hours', '3', '--date', '2026-11-03']); // #4
    await ok(['hours', 'reject', '4', '--reason', 'no timesheet']);
    const rej = await run(['hours', 'log', 'bo@example.org', '--program', 'TELE', '--hours', '3', '--date', '2026-11-03']);
    expect(rej.code).toBe(5);
    expect(rej.stderr).toContain('(rejected); nothing was logged');
    expect(rej.stderr).toContain('to take it back, ngo hours reopen 4');
    await ok(['hours', 'void', '4', '--reason', 'typo', '--yes']);
    await ok(['hours', 'log', 'bo@example.org', '--program', 'TELE', '--hours', '3', '--date', '2026-11-03']);
  });
});

describe('--from without --to', () => {
  it('runs to today (the period rules: both ends inclusive); a --from after today needs --to (exit 3); --to alone is exit 2', async () => {
    const { run, ok } = await world();
    await ok(['hours', 'log', 'bo@example.org', '--program', 'TELE', '--hours', '1', '--date', '2026-10-31']);
    await ok(['hours', 'log', 'bo@example.org', '--program', 'TELE', '--hours', '2', '--date', '2026-11-01']);
    await ok(['hours', 'log', 'bo@example.org', '--program', 'TELE', '--hours', '3', '--date', '2026-11-23']); // today
    const l = await run(['hours', 'list', '--from', '2026-11-01']);
    expect(l.code, l.stderr).toBe(0);
    expect(parseCsv(l.stdout).map((x) => x['date'])).toEqual(['2026-11-01', '2026-11-23']);
    const rep = await run(['report', 'hours', '--from', '2026-11-01', '--by', 'month']);
    expect(rep.code, rep.stderr).toBe(0);
    expect(parseCsv(rep.stdout).map((x) => [x['month'], x['hours']])).toContainEqual(['2026-11', '5.00']);
    const fut = await run(['hours', 'list', '--from', '2026-12-01']);
    expect(fut.code).toBe(3);
    expect(fut.stderr).toContain('--from 2026-12-01 is after today (2026-11-23); give --to as well');
    const to = await run(['hours', 'list', '--to', '2026-12-01']);
    expect(to.code).toBe(2);
    expect(to.stderr).toContain('--to needs --from (or use --period)');
  });
});

describe('db backup DIR/ and two restores in one second', () => {
  it('db backup DIR/ (twice in one second) writes two dated files in DIR; two restores in one second keep two copies that never collide', async () => {
    const { dir, db, run } = await world();
    const out = path.join(dir, 'backups');
    fs.mkdirSync(out);
    const a = await run(['db', 'backup', out + '/']);
    const b = await run(['db', 'backup', out + '/']);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(a.stdout.trim()).toBe(path.join(out, 'ngo-backup-2026-11-23-100000.db'));
    expect(b.stdout.trim()).toBe(path.join(out, 'ngo-backup-2026-11-23-100000-2.db'));
    expect((fs.statSync(a.stdout.trim()).mode & 0o777).toString(8)).toBe('600');
    const r1 = await run(['db', 'restore', a.stdout.trim(), '--yes']);
    const r2 = await run(['db', 'restore', b.stdout.trim(), '--yes']);
    expect(r1.code, r1.stderr).toBe(0);
    expect(r2.code, r2.stderr).toBe(0);
    const kept = [r1.stderr, r2.stderr].map((s) => /the previous database is kept at (\S+)/.exec(s)?.[1]);
    expect(kept[0]).toBeDefined();
    expect(kept[1]).toBeDefined();
    expect(kept[0]).not.toBe(kept[1]);
    for (const k of kept) expect(fs.existsSync(k!)).toBe(true);
    expect(parseCsv((await run(['people', 'list'])).stdout).map((x) => x['email'])).toEqual(['bo@example.org']);
    void db;
  });
});

describe('db check and hours log agree about a day over 24 h', () => {
  it('hours log warns; db check lists it as warn and exits 0, so a cron job that runs db check first goes on', async () => {
    const { run, ok } = await world();
    await ok(['hours', 'log', 'bo@example.org', '--program', 'TELE', '--hours', '13', '--date', '2026-11-02']);
    const l = await run(['hours', 'log', 'bo@example.org', '--program', 'TELE', '--hours', '12', '--date', '2026-11-02']);
    expect(l.code).toBe(0);
    expect(l.stderr).toContain('more than 24 h in one day');
    const c = await run(['db', 'check', '--format', 'csv']);
    expect(c.code, c.stderr).toBe(0);
    expect(parseCsv(c.stdout).find((x) => x['check'] === 'hours_per_day')).toEqual({
      check: 'hours_per_day',
      status: 'warn',
      detail: 'person #1 on 2026-11-02: 25.00 h',
    });
    expect(c.stderr).toContain('ngo: warning: review hours_per_day: person #1 on 2026-11-02: 25.00 h');
  });
});
