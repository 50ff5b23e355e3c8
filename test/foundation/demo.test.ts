import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { ngo, parseCsv, tmpDb, withDb } from '../helpers.js';

describe('ngo demo', () => {
  it('fills an empty database with a believable NGO and prints a sample funder report', async () => {
    const { db } = await tmpDb();
    const run = withDb(db);
    const r = await run(['demo']);
    expect(r.code, r.stderr).toBe(0);
    const report = parseCsv(r.stdout);
    expect(report.at(-1)).toMatchObject({ funder_code: 'HOPE', program_code: 'TOTAL', period_start: '2026-01-01', period_end: '2026-12-31' });
    expect(Number(report.at(-1)!['volunteer_hours'])).toBeGreaterThan(100);
    expect(r.stderr).toContain('Try next');
    const people = JSON.parse((await run(['people', 'list', '--status', 'all', '--json'])).stdout) as { roles: string; credential: string | null }[];
    expect(people).toHaveLength(40);
    expect(people.filter((p) => p.credential).length).toBeGreaterThan(20);
    expect(parseCsv((await run(['programs', 'list'])).stdout).map((p) => p['code'])).toEqual(['PEER', 'SCHOOL', 'TELE', 'TRAIN']);
    expect(parseCsv((await run(['funders', 'list'])).stdout)).toHaveLength(2);
    expect(parseCsv((await run(['grants', 'list'])).stdout).length).toBeGreaterThanOrEqual(5);
    // The demo year is this year (the tests' clock is 2026-11-23, past July): activity up to today.
    // Supervision and mentorship run from the demo year to today: four supervisees off track, two quiet pairings.
    expect(Number(report.at(-1)!['supervision_sessions'])).toBeGreaterThan(100);
    expect(Number(report.at(-1)!['mentorship_meetings'])).toBeGreaterThan(50);
    const progress = parseCsv((await run(['supervision', 'progress', '--all'])).stdout);
    expect(progress).toHaveLength(10);
    expect(progress.filter((p) => p['status'] === 'off-track')).toHaveLength(4);
    expect(
      parseCsv((await run(['mentorship', 'list', '--status', 'all'])).stdout)
        .map((p) => p['status'])
        .sort(),
    ).toEqual(['active', 'active', 'active', 'active', 'active', 'active', 'ended', 'ended', 'paused']);
    expect(parseCsv((await run(['mentorship', 'list', '--stale', '30'])).stdout)).toHaveLength(2);
    expect(parseCsv((await run(['supervision', 'list', '--status', 'void'])).stdout)).toHaveLength(1);
    expect((await run(['db', 'check'])).code).toBe(0);
    // A database that holds data is never filled again.
    const again = await run(['demo']);
    expect(again.code).toBe(5);
    expect(again.stderr).toContain('already holds data');
  });

  it('without --db it writes demo.db in the data directory, never the real database, fresh each time', async () => {
    const { dir } = await tmpDb({ create: false });
    const r1 = await ngo(['demo'], { dataDir: dir });
    expect(r1.code, r1.stderr).toBe(0);
    expect(fs.existsSync(path.join(dir, 'demo.db'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'ngo.db'))).toBe(false);
    const r2 = await ngo(['demo'], { dataDir: dir });
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stdout).toBe(r1.stdout);
  });
});
