import { describe, expect, it } from 'vitest';
import { tmpDb, withDb } from '../helpers.js';
import { query } from './setup.js';

describe('demo: a year of hours', () => {
  it('fills a believable, deterministic year of hours for the 30 volunteers', async () => {
    const a = await tmpDb();
    const b = await tmpDb();
    const r = await withDb(a.db)(['demo', '--year', '2025']);
    expect(r.code, r.stderr).toBe(0);
    expect((await withDb(b.db)(['demo', '--year', '2025'])).code).toBe(0);
    // The demo year is 2025 (the tests' clock is 2026-11-23). Other demo steps may log hours for
    // non-volunteers (e.g. grantees' service hours) or up to today (supervisors' hours linked to the
    // supervision sessions, which run to today); this step's entries are the volunteers' unlinked ones.
    const stats = (
      await query<Record<string, number>>(
        a.db,
        // Portable SQL (this runs on either store): CASE for a count of a condition, substr for the month.
        `SELECT COUNT(*) AS entries, COUNT(DISTINCT h.person_id) AS people,
              CASE WHEN MIN(h.date) >= '2025-01-01' AND MAX(h.date) <= '2025-12-31' THEN 1 ELSE 0 END AS in_year,
              SUM(CASE WHEN h.status = 'pending' THEN 1 ELSE 0 END) AS pending, SUM(CASE WHEN h.status = 'rejected' THEN 1 ELSE 0 END) AS rejected,
              SUM(CASE WHEN h.voided_at IS NOT NULL THEN 1 ELSE 0 END) AS voided, SUM(CASE WHEN h.miles > 0 THEN 1 ELSE 0 END) AS with_miles,
              SUM(CASE WHEN h.expenses > 0 THEN 1 ELSE 0 END) AS with_expenses, SUM(h.reimbursed) AS reimbursed,
              COUNT(DISTINCT substr(h.date, 6, 2)) AS months, SUM(CASE WHEN h.fingerprint IS NULL OR h.seq IS NULL THEN 1 ELSE 0 END) AS unfingerprinted
       FROM hours h JOIN people p ON p.id = h.person_id WHERE p.roles LIKE '%volunteer%' AND h.supervision_id IS NULL`,
      )
    )[0]!;
    expect(stats['entries']).toBeGreaterThan(800);
    expect(stats).toMatchObject({ people: 30, in_year: 1, months: 12, unfingerprinted: 0 });
    for (const k of ['pending', 'rejected', 'voided', 'with_miles', 'with_expenses', 'reimbursed']) expect(stats[k], k).toBeGreaterThan(0);
    expect(stats['pending']! + stats['rejected']!).toBeLessThan(stats['entries']! / 10);
    // Pending entries are the ones not yet reviewed: late December.
    expect((await query(a.db, "SELECT MIN(date) AS d FROM hours WHERE status = 'pending'"))[0]).toEqual({
      d: expect.stringMatching(/^2025-12-(1[5-9]|2\d|3[01])$/),
    });
    const programs = (await query<{ code: string }>(a.db, 'SELECT DISTINCT g.code FROM hours h JOIN programs g ON g.id = h.program_id ORDER BY 1')).map(
      (x) => x.code,
    );
    expect(programs).toEqual(['PEER', 'SCHOOL', 'TELE', 'TRAIN']);
    const list = async (db: string) => (await withDb(db)(['hours', 'list', '--status', 'all'])).stdout;
    expect(await list(a.db)).toBe(await list(b.db));
    // The demo's entries re-import as unchanged from their own export.
    const again = await withDb(a.db)(['hours', 'import', '-'], { stdin: (await withDb(a.db)(['hours', 'list'])).stdout });
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/inserted 0, updated 0, unchanged \d+, skipped 0, invalid 0/);
  });
});
