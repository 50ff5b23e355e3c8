/**
 * The idempotency rule against a reference model, on random sequences of imports, hand-logged
 * entries and voids: for each content f, the k-th row of a file with f matches the entry (f, k) if it
 * exists (voided → skipped, else unchanged), otherwise it is inserted as (f, k).
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/demo/random.js';
import { exec, query, seeded } from './setup.js';

const PEOPLE = ['ana@example.org', 'sam@example.org'];
const DATES = ['2026-11-01', '2026-11-02'];
const MINUTES = ['30', '60'];
const contents = PEOPLE.flatMap((p) => DATES.flatMap((d) => MINUTES.map((m) => `${p},${d},${m}`)));

describe('idempotent import: model check', () => {
  // Also with every import in bulk mode (report indexes dropped at the first insert, rebuilt at the end).
  it.each([
    ['row by row', {}],
    ['in bulk mode', { NGO_IMPORT_BULK_ROWS: '1' }],
  ])('random imports, hand logs and voids agree with the k-th-repeat model (%s)', async (_mode, env) => {
    const { db, run: plain } = await seeded();
    const run = (args: string[], o: Parameters<typeof plain>[1] = {}) => plain(args, { ...o, env });
    const rng = new Rng(7);
    /** Per content: the void flag of each entry, by seq (1-based). */
    const model = new Map<string, boolean[]>(contents.map((c) => [c, []]));
    const ids = new Map<string, number[]>(contents.map((c) => [c, []]));
    const nextId = async () => (await query<{ n: number }>(db, 'SELECT COALESCE(MAX(id), 0) AS n FROM hours'))[0]!.n;

    const tally = { inserted: 0, unchanged: 0, skipped: 0, logs: 0, voids: 0 };
    for (let round = 0; round < 40; round++) {
      const action = rng.int(0, 5);
      if (action <= 3) {
        // An import of a random file, with repeats.
        const rows = Array.from({ length: rng.int(0, 14) }, () => rng.pick(contents));
        const csv = 'email,date,minutes,program\n' + rows.map((r) => `${r},TELE\n`).join('');
        const expected = { inserted: 0, unchanged: 0, skipped: 0 };
        const seen = new Map<string, number>();
        for (const r of rows) {
          const k = (seen.get(r) ?? 0) + 1;
          seen.set(r, k);
          const entries = model.get(r)!;
          if (k <= entries.length) {
            if (entries[k - 1]) expected.skipped++;
            else expected.unchanged++;
          } else {
            entries.push(false);
            expected.inserted++;
            ids.get(r)!.push((await nextId()) + expected.inserted);
          }
        }
        const res = await run(['hours', 'import', '-', '--json'], { stdin: csv });
        expect(res.code, res.stderr).toBe(0);
        expect(JSON.parse(res.stdout), `round ${round}: ${csv}`).toMatchObject({ ...expected, invalid: 0 });
        tally.inserted += expected.inserted;
        tally.unchanged += expected.unchanged;
        tally.skipped += expected.skipped;
      } else if (action === 4) {
        // A hand-logged entry: next seq for its content.
        const c = rng.pick(contents);
        const [email, date, minutes] = c.split(',');
        const r = await run(['hours', 'log', email!, '--program', 'TELE', '--minutes', minutes!, '--date', date!, '--allow-duplicate']);
        expect(r.code, r.stderr).toBe(0);
        model.get(c)!.push(false);
        ids.get(c)!.push(Number(r.stdout));
        tally.logs++;
      } else {
        // Void a random live entry.
        const live = contents.flatMap((c) =>
          model
            .get(c)!
            .map((v, i) => ({ c, i, v }))
            .filter((x) => !x.v),
        );
        if (live.length === 0) continue;
        const pick = rng.pick(live);
        const id = ids.get(pick.c)![pick.i]!;
        const r = await run(['hours', 'void', String(id), '--reason', 'model', '--yes']);
        expect(r.code, r.stderr).toBe(0);
        model.get(pick.c)![pick.i] = true;
        tally.voids++;
      }
      // The database holds, per content, seqs 1..n with the model's void flags.
      const rows = await query<{ email: string; date: string; minutes: number; seq: number; v: number }>(
        db,
        'SELECT p.email, h.date, h.minutes, h.seq, h.voided_at IS NOT NULL AS v FROM hours h JOIN people p ON p.id = h.person_id ORDER BY p.email, h.date, h.minutes, h.seq',
      );
      const actual = new Map<string, boolean[]>(contents.map((c) => [c, []]));
      for (const r of rows) {
        const list = actual.get(`${r.email},${r.date},${r.minutes}`)!;
        expect(r.seq).toBe(list.length + 1);
        list.push(r.v === 1);
      }
      expect(Object.fromEntries(actual), `after round ${round}`).toEqual(Object.fromEntries(model));
    }
    // Every path was exercised.
    for (const [k, v] of Object.entries(tally)) expect(v, k).toBeGreaterThan(0);
  });

  it('a gap in the seqs (e.g. left by a direct database fix) is filled, never duplicated', async () => {
    const { db, run } = await seeded();
    const three = 'email,date,hours,program\n' + 'ana@example.org,2026-11-01,1,TELE\n'.repeat(3);
    await run(['hours', 'import', '-'], { stdin: three });
    await exec(db, 'UPDATE hours SET seq = 9 WHERE id = 2');
    // seqs are now 1, 9, 3: the file's 2nd row finds no (f, 2) and fills it; the 3rd matches (f, 3).
    const r = await run(['hours', 'import', '-', '--json'], { stdin: three });
    expect(JSON.parse(r.stdout)).toMatchObject({ inserted: 1, unchanged: 2 });
    expect(await query(db, 'SELECT id, seq FROM hours ORDER BY id')).toEqual([
      { id: 1, seq: 1 },
      { id: 2, seq: 9 },
      { id: 3, seq: 3 },
      { id: 4, seq: 2 },
    ]);
  });

  it('--create-programs creates a program only for a row that is imported', async () => {
    const { run } = await seeded();
    const csv = 'email,date,hours,program\nana@example.org,2026-12-30,1,GARDEN\nsam@example.org,2026-11-01,1,ARTS\nsam@example.org,2026-11-02,1,garden\n';
    const r = await run(['hours', 'import', '-', '--create-programs', '--skip-invalid', '--json'], { stdin: csv });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ inserted: 2, invalid: 1 });
    expect(r.stderr).toContain('created program(s): ARTS, GARDEN');
    const programs = (await run(['programs', 'list', '--json'])).stdout;
    expect((JSON.parse(programs) as { code: string }[]).map((p) => p.code)).toEqual(['ARTS', 'GARDEN', 'PEER', 'SCHOOL', 'TELE']);
  });
});
