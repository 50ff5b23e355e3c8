import { describe, expect, it } from 'vitest';
import { dbHash, parseCsv, scriptedPrompter } from '../helpers.js';
import { world } from './setup.js';

const HEADER = 'id,mentor_id,mentor,mentee_id,mentee,program_code,start_date,end_date,status,outcome,meetings,hours,last_meeting,days_since_contact,goals';

describe('mentorship pair', () => {
  it('pairs a mentor and a mentee: id on stdout, the pairing in the list with its meeting figures', async () => {
    const { run, ok } = await world();
    const r = await run([
      'mentorship',
      'pair',
      'grace@example.org',
      'ana@example.org',
      '--program',
      'train',
      '--start',
      '2026-09-01',
      '--goals',
      'LPC exam preparation',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('1\n');
    expect(r.stderr).toContain('Paired Grace Mensah (mentor) with Ana Okafor in TRAIN from 2026-09-01 — pairing #1');
    await ok(['mentorship', 'meet', '1', '--hours', '1', '--date', '2026-09-10']);
    await ok(['mentorship', 'meet', '1', '--duration', '0:45', '--date', '2026-10-01', '--note', 'career planning']);
    // Today is 2026-11-23: 53 days since the meeting of 2026-10-01.
    expect((await ok(['mentorship', 'list'])).stdout).toBe(
      `${HEADER}\n1,1,Grace Mensah,2,Ana Okafor,TRAIN,2026-09-01,,active,,2,1.75,2026-10-01,53,LPC exam preparation\n`,
    );
    const funder = parseCsv((await ok(['report', 'funder', '--funder', 'HOPE', '--period', '2026'])).stdout).at(-1);
    expect(funder).toMatchObject({ mentorships_active: '1', mentorship_meetings: '2', mentorship_hours: '1.75', mentees: '1' });
  });

  it('goals, a meeting note or an end reason over 2,000 characters: exit 3, nothing written', async () => {
    const { db, run, ok } = await world();
    await ok(['mentorship', 'pair', 'grace@example.org', 'ana@example.org', '--start', '2026-09-01']);
    const before = await dbHash(db);
    const long = 'g'.repeat(2001);
    for (const [args, msg] of [
      [['mentorship', 'pair', 'grace@example.org', 'dee@example.org', '--goals', long], 'goals is too long (2001 characters; at most 2000)'],
      [['mentorship', 'meet', '1', '--hours', '1', '--date', '2026-10-01', '--note', long], 'note is too long (2001 characters; at most 2000)'],
      [['mentorship', 'end', '1', '--outcome', 'other', '--reason', long], 'reason is too long (2001 characters; at most 2000)'],
    ] as [string[], string][]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stderr).toBe(`ngo: error: ${msg}\n`);
      expect(r.stdout).toBe('');
    }
    expect(await dbHash(db)).toBe(before);
  });

  it('self-mentoring exits 5 and writes nothing', async () => {
    const { db, run } = await world();
    const before = await dbHash(db);
    const r = await run(['mentorship', 'pair', 'grace@example.org', '1']);
    expect(r.code).toBe(5);
    expect(r.stderr).toBe('ngo: error: #1 Grace Mensah <grace@example.org> cannot mentor themself\n');
    expect(await dbHash(db)).toBe(before);
  });

  it('one open pairing per mentor and mentee (exit 5); once ended they can be paired again', async () => {
    const { db, run, ok } = await world();
    await ok(['mentorship', 'pair', '1', '2', '--start', '2026-01-10']);
    await ok(['mentorship', 'pause', '1']);
    const before = await dbHash(db);
    const dup = await run(['mentorship', 'pair', '1', '2']);
    expect(dup.code).toBe(5);
    expect(dup.stderr).toContain('Grace Mensah already mentors Ana Okafor: pairing #1 is paused');
    expect(await dbHash(db)).toBe(before);
    // The reverse direction is another pair.
    expect((await run(['mentorship', 'pair', '2', '1'])).code).toBe(0);
    await ok(['mentorship', 'end', '1', '--outcome', 'withdrawn', '--date', '2026-03-01']);
    const again = await ok(['mentorship', 'pair', '1', '2', '--start', '2026-06-01']);
    expect(again.stdout).toBe('3\n');
  });

  it('refuses archived people (5), unknown people (4), a future start (3), missing arguments without a terminal (2)', async () => {
    const { db, run, ok } = await world();
    await ok(['people', 'archive', '5', '--reason', 'left the program', '--yes']);
    const before = await dbHash(db);
    const cases: [string[], number, string][] = [
      [['1', '5'], 5, 'is archived'],
      [['1', 'zed@example.org'], 4, 'no person matches "zed@example.org"'],
      [['1', '2', '--start', '2026-12-01'], 3, 'in the future'],
      [['1', '2', '--program', 'NOPE'], 4, 'no program with code "NOPE"'],
      [[], 2, 'missing required options: MENTOR, MENTEE'],
    ];
    for (const [args, code, message] of cases) {
      const r = await run(['mentorship', 'pair', ...args]);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.stderr).toContain(message);
    }
    expect(await dbHash(db)).toBe(before);
  });

  it('on a terminal asks for mentor, mentee, program, start and goals, then confirms', async () => {
    const { ok, run } = await world();
    const seen: string[] = [];
    const r = await run(['mentorship', 'pair'], {
      tty: true,
      prompter: scriptedPrompter(['Grace', 'Dee', 'TRAIN', '2026-11-02', 'first year of practice', true], seen),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(seen.map((s) => s.split(':')[0])).toEqual(['search', 'search', 'select', 'input', 'input', 'confirm']);
    expect(seen.at(-1)).toContain('Pair Grace Mensah as mentor of Dee Ross in TRAIN from 2026-11-02 — save?');
    expect(parseCsv((await ok(['mentorship', 'list'])).stdout)[0]).toMatchObject({
      mentor_id: '1',
      mentee_id: '5',
      program_code: 'TRAIN',
      start_date: '2026-11-02',
      goals: 'first year of practice',
    });
  });
});

describe('mentorship lifecycle', () => {
  async function paired() {
    const w = await world();
    await w.ok(['mentorship', 'pair', '1', '2', '--start', '2026-03-01', '--program', 'TRAIN']);
    await w.ok(['mentorship', 'meet', '1', '--hours', '1', '--date', '2026-03-15']);
    return w;
  }

  it('ending a pairing then meeting on it exits 5 and writes nothing', async () => {
    const { db, run, ok } = await paired();
    const end = await ok(['mentorship', 'end', '1', '--outcome', 'completed', '--date', '2026-10-31', '--reason', 'licensed']);
    expect(end.stdout).toBe('1\n');
    expect(end.stderr).toContain('Ended pairing #1 (Grace Mensah mentoring Ana Okafor) on 2026-10-31: completed');
    const before = await dbHash(db);
    const r = await run(['mentorship', 'meet', '1', '--hours', '1', '--date', '2026-11-02']);
    expect(r.code).toBe(5);
    expect(r.stderr).toBe(
      'ngo: error: pairing #1 ended on 2026-10-31; no meeting can be recorded on it\nhint: to start again, pair the two anew: ngo mentorship pair MENTOR MENTEE\n',
    );
    for (const args of [
      ['end', '1', '--outcome', 'other'],
      ['pause', '1'],
      ['resume', '1'],
    ]) {
      expect((await run(['mentorship', ...args])).code, args.join(' ')).toBe(5);
    }
    expect(await dbHash(db)).toBe(before);
    expect(parseCsv((await ok(['mentorship', 'list', '--status', 'ended'])).stdout)[0]).toMatchObject({
      status: 'ended',
      outcome: 'completed',
      end_date: '2026-10-31',
      days_since_contact: '',
    });
    expect((await ok(['mentorship', 'list'])).stdout).toBe(`${HEADER}\n`);
  });

  it('pause stops meetings until resume; pause twice and resume an active pairing exit 5', async () => {
    const { db, run, ok } = await paired();
    expect((await ok(['mentorship', 'pause', '1'])).stdout).toBe('1\n');
    const before = await dbHash(db);
    const m = await run(['mentorship', 'meet', '1', '--hours', '1', '--date', '2026-04-01']);
    expect(m.code).toBe(5);
    expect(m.stderr).toContain('pairing #1 is paused; meetings are recorded on active pairings only');
    expect((await run(['mentorship', 'pause', '1'])).code).toBe(5);
    expect(await dbHash(db)).toBe(before);
    await ok(['mentorship', 'resume', '1']);
    expect((await run(['mentorship', 'resume', '1'])).code).toBe(5);
    const meet = await ok(['mentorship', 'meet', '1', '--minutes', '50', '--date', '2026-04-01', '--json']);
    expect(JSON.parse(meet.stdout)).toEqual({ id: 2, pairing_id: 1, date: '2026-04-01', minutes: 50, hours: 0.83, note: null });
    const audit = parseCsv((await ok(['audit', '--entity', 'mentorship', '--format', 'csv'])).stdout).map((a) => a['action']);
    expect(audit).toEqual(['create', 'pause', 'resume']);
  });

  it('dates: a meeting before the start and an end before the last meeting exit 3; an unknown pairing exits 4', async () => {
    const { db, run } = await paired();
    const before = await dbHash(db);
    const early = await run(['mentorship', 'meet', '1', '--hours', '1', '--date', '2026-02-28']);
    expect(early.code).toBe(3);
    expect(early.stderr).toContain('date 2026-02-28 is before pairing #1 started (2026-03-01)');
    const end = await run(['mentorship', 'end', '1', '--outcome', 'completed', '--date', '2026-03-10']);
    expect(end.code).toBe(3);
    expect(end.stderr).toContain("end date 2026-03-10 is before the pairing's last meeting (2026-03-15)");
    expect((await run(['mentorship', 'meet', '9', '--hours', '1'])).code).toBe(4);
    expect((await run(['mentorship', 'end', '1'])).stderr).toBe('ngo: error: missing required option: --outcome\n');
    expect((await run(['mentorship', 'end', '1', '--outcome', 'graduated'])).code).toBe(2);
    expect(await dbHash(db)).toBe(before);
  });
});

describe('mentorship list --stale', () => {
  it('--stale 30 finds exactly the active pairings quiet for more than 30 days (today 2026-11-23)', async () => {
    const { ok } = await world();
    await ok(['people', 'add', '--first', 'Eve', '--last', 'Stone', '--email', 'eve@example.org']);
    await ok(['people', 'add', '--first', 'Fay', '--last', 'Wu', '--email', 'fay@example.org']);
    const pair = (mentee: string, start: string) => ok(['mentorship', 'pair', '1', mentee, '--start', start]);
    const meet = (id: string, date: string) => ok(['mentorship', 'meet', id, '--hours', '1', '--date', date]);
    await pair('2', '2026-06-01'); // #1: met 22 days ago → fresh
    await meet('1', '2026-07-01');
    await meet('1', '2026-11-01');
    await pair('3', '2026-06-01'); // #2: met exactly 30 days ago → not more than 30
    await meet('2', '2026-10-24');
    await pair('4', '2026-06-01'); // #3: met 31 days ago → stale
    await meet('3', '2026-10-23');
    await pair('5', '2026-09-01'); // #4: never met, started 83 days ago → stale
    await pair('6', '2026-11-10'); // #5: never met, started 13 days ago → fresh
    await pair('7', '2026-01-01'); // #6: quiet but paused → not listed
    await ok(['mentorship', 'pause', '6']);
    await ok(['mentorship', 'pair', '2', '3', '--start', '2026-01-01']); // #7: quiet but ended → not listed
    await ok(['mentorship', 'end', '7', '--outcome', 'other', '--date', '2026-02-01']);

    const stale = parseCsv((await ok(['mentorship', 'list', '--stale', '30'])).stdout);
    expect(stale.map((r) => [r['id'], r['last_meeting'], r['days_since_contact']])).toEqual([
      ['3', '2026-10-23', '31'],
      ['4', '', '83'],
    ]);
    expect(parseCsv((await ok(['mentorship', 'list', '--stale', '90'])).stdout)).toEqual([]);
    expect(parseCsv((await ok(['mentorship', 'list'])).stdout).map((r) => r['id'])).toEqual(['6', '1', '2', '3', '4', '5']);
    expect(parseCsv((await ok(['mentorship', 'list', '--status', 'all', '--person', 'ben@example.org'])).stdout).map((r) => r['id'])).toEqual(['7', '2']);
  });

  it('rejects a bad --stale and --stale with another status', async () => {
    const { run } = await world();
    expect((await run(['mentorship', 'list', '--stale', 'soon'])).stderr).toContain('invalid --stale "soon"');
    const r = await run(['mentorship', 'list', '--stale', '30', '--status', 'ended']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--stale looks at active pairings only');
  });
});
