import { describe, expect, it } from 'vitest';
import { NOW, dbHash, mustSucceed, parseCsv, scriptedPrompter } from '../helpers.js';
import { HEADER, exec, lines, query, seeded } from './setup.js';

describe('hours log', () => {
  it('logs with --duration 1:30, --hours 0.25 and --minutes; prints the id on stdout and a summary on stderr', async () => {
    const { db, run } = await seeded();
    const a = await run(['hours', 'log', 'ana@example.org', '--program', 'TELE', '--duration', '1:30', '--date', '2026-11-20']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe('1\n');
    expect(a.stderr).toContain('✔ Logged 1.50 h for Ana Okafor (TELE) — entry #1');
    const b = await run(['hours', 'log', 'V-2', '--program', 'peer', '--hours', '0.25', '--date', '2026-11-21', '--activity', 'Peer Support']);
    expect(b.stdout).toBe('2\n');
    expect(b.stderr).toContain('Logged 0.25 h for Sam Lee (PEER) — entry #2');
    const c = await run(['hours', 'log', '3', '--program', 'SCHOOL', '--minutes', '50', '--pending']);
    expect(c.stderr).toContain('Logged 0.83 h (pending approval) for Mei Zhang (SCHOOL) — entry #3');
    const list = await run(['hours', 'list']);
    expect(list.stdout).toBe(
      [
        HEADER,
        '1,2026-11-20,1,Ana,Okafor,ana@example.org,TELE,direct-service,1.50,0.00,0.00,no,approved,',
        '2,2026-11-21,2,Sam,Lee,sam@example.org,PEER,peer-support,0.25,0.00,0.00,no,approved,',
        // Date defaults to today (the tests' clock: 2026-11-23).
        '3,2026-11-23,3,Mei,Zhang,mei@example.org,SCHOOL,direct-service,0.83,0.00,0.00,no,pending,',
        '',
      ].join('\n'),
    );
    expect((await query(db, 'SELECT minutes FROM hours ORDER BY id')).map((r) => r['minutes'])).toEqual([90, 15, 50]);
  });

  it('--km 10 is stored as 6.21 miles; expenses in cents; --reimbursed; a note', async () => {
    const { db, run } = await seeded();
    const r = await run([
      'hours',
      'log',
      'ana@example.org',
      '--program',
      'SCHOOL',
      '--hours',
      '2',
      '--date',
      '2026-11-02',
      '--activity',
      'outreach',
      '--km',
      '10',
      '--expenses',
      '12.5',
      '--reimbursed',
      '--note',
      '=SUM(A1)',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      id: 1,
      date: '2026-11-02',
      person_id: 1,
      first_name: 'Ana',
      last_name: 'Okafor',
      email: 'ana@example.org',
      program_code: 'SCHOOL',
      activity: 'outreach',
      hours: 2,
      miles: 6.21,
      expenses: 12.5,
      reimbursed: 'yes',
      status: 'approved',
      note: '=SUM(A1)',
    });
    expect(await query(db, 'SELECT miles, expenses, reimbursed, minutes FROM hours')).toEqual([{ miles: 621, expenses: 1250, reimbursed: 1, minutes: 120 }]);
    // CSV guards the formula-looking note; numeric columns are plain.
    expect(lines((await run(['hours', 'list'])).stdout)).toEqual([
      "1,2026-11-02,1,Ana,Okafor,ana@example.org,SCHOOL,outreach,2.00,6.21,12.50,yes,approved,'=SUM(A1)",
    ]);
    const m = await run(['hours', 'log', 'ana@example.org', '--program', 'SCHOOL', '--hours', '1', '--miles', '3.5', '--date', '2026-11-03']);
    expect(m.code).toBe(0);
    expect(await query(db, 'SELECT miles FROM hours WHERE id = 2')).toEqual([{ miles: 350 }]);
  });

  it('a 25 h entry, 0 h, bad numbers, a future date and an unknown activity are invalid (exit 3) and write nothing', async () => {
    const { db, run } = await seeded();
    await run(['hours', 'log', 'ana@example.org', '--program', 'TELE', '--hours', '1']);
    const before = await dbHash(db);
    for (const [args, msg] of [
      [['--hours', '25'], 'duration must be more than 0 and at most 24 hours (got 25.00 h)'],
      [['--duration', '24:01'], 'at most 24 hours'],
      [['--minutes', '0'], 'duration must be more than 0'],
      [['--hours', 'two'], 'invalid hours "two"'],
      [['--hours', '1', '--date', '2026-11-24'], 'date 2026-11-24 is in the future (today is 2026-11-23); add --allow-future'],
      [['--hours', '1', '--date', '2026-02-30'], '--date: invalid date "2026-02-30"'],
      [['--hours', '1', '--activity', 'dancing'], '--activity: invalid activity "dancing"'],
      [['--hours', '1', '--expenses', '-3'], '--expenses: invalid expenses "-3"'],
      [['--hours', '1', '--km', 'ten'], '--km: invalid km "ten"'],
      [['--hours', '1', '--note', 'x'.repeat(2001)], 'note is too long (2001 characters; at most 2000)'],
    ] as [string[], string][]) {
      const r = await run(['hours', 'log', 'ana@example.org', '--program', 'TELE', ...args]);
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stderr, args.join(' ')).toContain(msg);
      expect(r.stdout).toBe('');
    }
    expect(await dbHash(db)).toBe(before);
    const f = await run(['hours', 'log', 'ana@example.org', '--program', 'TELE', '--hours', '1', '--date', '2026-12-01', '--allow-future']);
    expect(f.code).toBe(0);
  });

  it('exactly 24 h is accepted; passing 24 h in one day warns (not an error)', async () => {
    const { run } = await seeded();
    const a = await run(['hours', 'log', 'sam@example.org', '--program', 'PEER', '--hours', '24', '--date', '2026-11-10']);
    expect(a.code).toBe(0);
    expect(a.stderr).not.toContain('warning');
    const b = await run(['hours', 'log', 'sam@example.org', '--program', 'TELE', '--minutes', '30', '--date', '2026-11-10']);
    expect(b.code).toBe(0);
    expect(b.stdout).toBe('2\n');
    expect(b.stderr).toContain('ngo: warning: Sam Lee now has 24.50 h on 2026-11-10, more than 24 h in one day');
  });

  it('mutually exclusive options are usage errors (exit 2)', async () => {
    const { run } = await seeded();
    const a = await run(['hours', 'log', 'ana@example.org', '--program', 'TELE', '--hours', '1', '--minutes', '60']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('give only one of --hours, --minutes, --duration');
    const b = await run(['hours', 'log', 'ana@example.org', '--program', 'TELE', '--hours', '1', '--miles', '1', '--km', '1']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('give --miles or --km, not both');
  });

  it('archived person or program is refused (exit 5); unknown ones are not found (exit 4)', async () => {
    const { db, run } = await seeded();
    await run(['people', 'archive', 'mei@example.org', '--reason', 'moved', '--yes']);
    await run(['programs', 'archive', 'SCHOOL', '--yes']);
    const before = await dbHash(db);
    const p = await run(['hours', 'log', 'mei@example.org', '--program', 'TELE', '--hours', '1']);
    expect(p.code).toBe(5);
    expect(p.stderr).toContain('#3 Mei Zhang <mei@example.org> (external id V-3) is archived; new entries are refused');
    const g = await run(['hours', 'log', 'ana@example.org', '--program', 'school', '--hours', '1']);
    expect(g.code).toBe(5);
    expect(g.stderr).toContain('program SCHOOL is archived; new entries are refused');
    expect((await run(['hours', 'log', 'zed@example.org', '--program', 'TELE', '--hours', '1'])).code).toBe(4);
    expect((await run(['hours', 'log', 'ana@example.org', '--program', 'TELX', '--hours', '1'])).stderr).toContain('did you mean TELE');
    expect(await dbHash(db)).toBe(before);
  });

  it('without a terminal, missing values exit 2 naming the options; on a terminal they are asked for', async () => {
    const { run } = await seeded();
    const r = await run(['hours', 'log']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing required options: PERSON, --program, --hours, --minutes or --duration');
    const seen: string[] = [];
    const t = await run(['hours', 'log'], {
      tty: true,
      prompter: scriptedPrompter(['sam', 'PEER', '1:45', '2026-11-19', 'peer-support', '', '', '', true], seen),
    });
    expect(t.code).toBe(0);
    expect(seen).toEqual([
      'search: Volunteer',
      'search: Program',
      'input: Duration (hours, e.g. 1.5, or H:MM, e.g. 1:30)',
      'input: Date of service (YYYY-MM-DD)',
      'select: Activity',
      'input: Miles driven for the service (optional)',
      'input: Out-of-pocket expenses, e.g. 12.50 (optional)',
      'input: Note (optional; never client-identifying details)',
      'confirm: Log 1.75 h of peer-support for Sam Lee (PEER) on 2026-11-19 — save?',
    ]);
    expect(lines((await run(['hours', 'list'])).stdout)).toEqual(['1,2026-11-19,2,Sam,Lee,sam@example.org,PEER,peer-support,1.75,0.00,0.00,no,approved,']);
    // Given values are not asked for.
    const seen2: string[] = [];
    const u = await run(['hours', 'log', 'ana@example.org', '--hours', '1'], {
      tty: true,
      prompter: scriptedPrompter(['TELE', '', 'direct-service', '', '', '', true], seen2),
    });
    expect(u.code).toBe(0);
    expect(seen2).toEqual([
      'search: Program',
      'input: Date of service (YYYY-MM-DD)',
      'select: Activity',
      'input: Miles driven for the service (optional)',
      'input: Out-of-pocket expenses, e.g. 12.50 (optional)',
      'input: Note (optional; never client-identifying details)',
      'confirm: Log 1.00 h of direct-service for Ana Okafor (TELE) on 2026-11-23 — save?',
    ]);
    // Declining the summary writes nothing.
    const before = (await run(['hours', 'list'])).stdout;
    const no = await run(['hours', 'log', 'ana@example.org', '--hours', '1'], {
      tty: true,
      prompter: scriptedPrompter(['TELE', '', 'direct-service', '', '', '', false]),
    });
    expect(no.code).toBe(2);
    expect(no.stderr).toContain('cancelled; nothing was changed');
    expect((await run(['hours', 'list'])).stdout).toBe(before);
    expect(parseCsv((await run(['hours', 'list', '--person', 'ana@example.org'])).stdout)[0]).toMatchObject({ date: '2026-11-23', hours: '1.00' });
  });
});

describe('hours list', () => {
  async function spread() {
    const s = await seeded();
    for (const [who, date, prog] of [
      ['ana@example.org', '2025-06-30', 'TELE'],
      ['ana@example.org', '2025-07-01', 'TELE'],
      ['sam@example.org', '2026-06-30', 'PEER'],
      ['sam@example.org', '2026-07-01', 'PEER'],
      ['mei@example.org', '2026-10-15', 'SCHOOL'],
      ['ana@example.org', '2026-10-31', 'PEER'],
      ['sam@example.org', '2026-11-01', 'TELE'],
      ['mei@example.org', '2026-11-23', 'TELE'],
    ]) {
      await mustSucceed(s.run)(['hours', 'log', who!, '--program', prog!, '--hours', '1', '--date', date!]);
    }
    return s;
  }
  const dates = (csv: string) => parseCsv(csv).map((r) => r['date']);

  it('filters by every period form: year, quarter, month, FY with fiscal_year_start, relative periods, ytd, --from/--to', async () => {
    const { run } = await spread();
    const at = async (...args: string[]) => {
      const r = await run(['hours', 'list', ...args]);
      expect(r.code, args.join(' ')).toBe(0);
      return dates(r.stdout);
    };
    expect(await at('--period', '2025')).toEqual(['2025-06-30', '2025-07-01']);
    expect(await at('--period', '2026-Q3')).toEqual(['2026-07-01']);
    expect(await at('--period', '2026-10')).toEqual(['2026-10-15', '2026-10-31']);
    // With the default fiscal year (January), FY2026 is the calendar year.
    expect(await at('--period', 'FY2026')).toEqual(['2026-06-30', '2026-07-01', '2026-10-15', '2026-10-31', '2026-11-01', '2026-11-23']);
    expect((await run(['config', 'set', 'fiscal_year_start', '7'])).code).toBe(0);
    // FY2026 = 2025-07-01 … 2026-06-30 when the fiscal year starts in July.
    expect(await at('--period', 'FY2026')).toEqual(['2025-07-01', '2026-06-30']);
    expect(await at('--period', 'fy2027')).toEqual(['2026-07-01', '2026-10-15', '2026-10-31', '2026-11-01', '2026-11-23']);
    // Today is 2026-11-23.
    expect(await at('--period', 'last-month')).toEqual(['2026-10-15', '2026-10-31']);
    expect(await at('--period', 'this-month')).toEqual(['2026-11-01', '2026-11-23']);
    expect(await at('--period', 'this-quarter')).toEqual(['2026-10-15', '2026-10-31', '2026-11-01', '2026-11-23']);
    expect(await at('--period', 'last-quarter')).toEqual(['2026-07-01']);
    expect(await at('--period', 'last-year')).toEqual(['2025-06-30', '2025-07-01']);
    expect(await at('--period', 'ytd')).toEqual(['2026-06-30', '2026-07-01', '2026-10-15', '2026-10-31', '2026-11-01', '2026-11-23']);
    expect(await at('--from', '2026-10-31', '--to', '2026-11-01')).toEqual(['2026-10-31', '2026-11-01']);
    expect(await at('--period', '2026-10', '--person', 'ana@example.org')).toEqual(['2026-10-31']);
    expect(await at('--program', 'tele', '--period', '2026')).toEqual(['2026-11-01', '2026-11-23']);
    const bad = await run(['hours', 'list', '--period', '2026-13']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('invalid period "2026-13"');
    expect((await run(['hours', 'list', '--period', '2026', '--from', '2026-01-01', '--to', '2026-02-01'])).code).toBe(2);
  });

  it('status filter: default hides void; void shows as status "void"; json uses numbers', async () => {
    const { run } = await spread();
    await run(['hours', 'log', 'ana@example.org', '--program', 'TELE', '--hours', '2', '--date', '2026-11-02', '--pending']);
    await run(['hours', 'void', '1', '--reason', 'test entry', '--yes']);
    await run(['hours', 'reject', '2', '--reason', 'wrong program']);
    const st = async (s?: string) => parseCsv((await run(['hours', 'list', ...(s ? ['--status', s] : [])])).stdout).map((r) => `${r['id']}:${r['status']}`);
    expect(await st()).toEqual(['2:rejected', '3:approved', '4:approved', '5:approved', '6:approved', '7:approved', '9:pending', '8:approved']);
    expect(await st('void')).toEqual(['1:void']);
    expect(await st('pending')).toEqual(['9:pending']);
    expect(await st('rejected')).toEqual(['2:rejected']);
    expect((await st('all'))[0]).toBe('1:void');
    const j = JSON.parse((await run(['hours', 'list', '--status', 'pending', '--json'])).stdout);
    expect(j).toEqual([
      {
        id: 9,
        date: '2026-11-02',
        person_id: 1,
        first_name: 'Ana',
        last_name: 'Okafor',
        email: 'ana@example.org',
        program_code: 'TELE',
        activity: 'direct-service',
        hours: 2,
        miles: 0,
        expenses: 0,
        reimbursed: 'no',
        status: 'pending',
        note: null,
      },
    ]);
    expect((await run(['hours', 'list', '--status', 'bogus'])).code).toBe(2);
  });
});

describe('hours review', () => {
  it('approve is all or nothing: a non-pending id exits 5 naming it and approves nothing', async () => {
    const { db, run } = await seeded();
    await run(['hours', 'log', 'ana@example.org', '--program', 'TELE', '--hours', '1', '--date', '2026-11-01', '--pending']);
    await run(['hours', 'log', 'sam@example.org', '--program', 'PEER', '--hours', '2', '--date', '2026-11-02']);
    await run(['hours', 'log', 'mei@example.org', '--program', 'SCHOOL', '--hours', '3', '--date', '2026-11-03', '--pending']);
    const before = await dbHash(db);
    const bad = await run(['hours', 'approve', '1', '2', '3']);
    expect(bad.code).toBe(5);
    expect(bad.stderr).toContain('entry #2 (2.00 h by Sam Lee, PEER, 2026-11-02) is approved, not pending; nothing was approved');
    expect(await dbHash(db)).toBe(before);
    const missing = await run(['hours', 'approve', '1', '99']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('no hours entry #99');
    expect((await run(['hours', 'approve'])).code).toBe(2);
    expect((await run(['hours', 'approve', 'abc'])).code).toBe(2);
    const ok = await run(['hours', 'approve', '1', '#3']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('1\n3\n');
    expect(ok.stderr).toContain('Approved 2 entries (4.00 h)');
    expect(parseCsv((await run(['hours', 'list'])).stdout).map((r) => r['status'])).toEqual(['approved', 'approved', 'approved']);
  });

  it('approve --all-pending within a period', async () => {
    const { run } = await seeded();
    await run(['hours', 'log', 'ana@example.org', '--program', 'TELE', '--hours', '1', '--date', '2026-10-30', '--pending']);
    await run(['hours', 'log', 'sam@example.org', '--program', 'PEER', '--hours', '2', '--date', '2026-11-02', '--pending']);
    await run(['hours', 'log', 'mei@example.org', '--program', 'SCHOOL', '--hours', '3', '--date', '2026-11-03', '--pending']);
    await run(['hours', 'log', 'mei@example.org', '--program', 'SCHOOL', '--hours', '3', '--date', '2026-11-04']);
    const r = await run(['hours', 'approve', '--all-pending', '--period', 'this-month']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('2\n3\n');
    expect(r.stderr).toContain('Approved 2 entries (5.00 h)');
    expect(parseCsv((await run(['hours', 'list', '--status', 'pending'])).stdout).map((x) => x['id'])).toEqual(['1']);
    const none = await run(['hours', 'approve', '--all-pending', '--period', 'this-month']);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('No pending entries to approve');
    const j = await run(['hours', 'approve', '1', '--json']);
    expect(JSON.parse(j.stdout)).toEqual([
      {
        id: 1,
        date: '2026-10-30',
        person_id: 1,
        first_name: 'Ana',
        last_name: 'Okafor',
        email: 'ana@example.org',
        program_code: 'TELE',
        activity: 'direct-service',
        hours: 1,
        miles: 0,
        expenses: 0,
        reimbursed: 'no',
        status: 'approved',
        note: null,
      },
    ]);
    expect((await run(['hours', 'approve', '1', '--all-pending'])).code).toBe(2);
    expect((await run(['hours', 'approve', '1', '--period', '2026'])).code).toBe(2);
  });

  it('approve, reject and void are in the audit log with before/after', async () => {
    const { run } = await seeded();
    await run(['hours', 'log', 'ana@example.org', '--program', 'TELE', '--hours', '1', '--date', '2026-11-01', '--pending']);
    await run(['hours', 'approve', '1']);
    await run(['hours', 'reject', '1', '--reason', 'duplicate of a paper timesheet']);
    const v = await run(['hours', 'void', '1', '--reason', 'entered by mistake', '--yes']);
    expect(v.code).toBe(0);
    expect(v.stdout).toBe('1\n');
    const audit = JSON.parse((await run(['audit', '--entity', 'hours', '--id', '1', '--json'])).stdout) as { action: string; actor: string; changes: string }[];
    expect(audit.map((a) => a.action)).toEqual(['create', 'approve', 'reject', 'void']);
    expect(audit.every((a) => a.actor === 'tester')).toBe(true);
    expect(JSON.parse(audit[0]!.changes)).toMatchObject({ person_id: [null, 1], minutes: [null, 60], status: [null, 'pending'], date: [null, '2026-11-01'] });
    expect(JSON.parse(audit[1]!.changes)).toEqual({ status: ['pending', 'approved'] });
    expect(JSON.parse(audit[2]!.changes)).toEqual({ status: ['approved', 'rejected'], reject_reason: [null, 'duplicate of a paper timesheet'] });
    expect(JSON.parse(audit[3]!.changes)).toEqual({ voided_at: [null, NOW.toISOString()], void_reason: [null, 'entered by mistake'] });
  });

  it('reject needs a reason; only pending/approved entries; void needs --yes without a terminal; double void is a conflict', async () => {
    const { db, run } = await seeded();
    await run(['hours', 'log', 'ana@example.org', '--program', 'TELE', '--hours', '1', '--date', '2026-11-01']);
    const before = await dbHash(db);
    const noReason = await run(['hours', 'reject', '1']);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('missing required option: --reason');
    const noYes = await run(['hours', 'void', '1', '--reason', 'x']);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toContain('add --yes to confirm');
    expect(await dbHash(db)).toBe(before);
    const asked = await run(['hours', 'void', '1'], { tty: true, prompter: scriptedPrompter(['typo', true]) });
    expect(asked.code).toBe(0);
    const again = await run(['hours', 'void', '1', '--reason', 'x', '--yes']);
    expect(again.code).toBe(5);
    expect(again.stderr).toContain('entry #1 is already void (typo)');
    expect((await run(['hours', 'reject', '1', '--reason', 'x'])).code).toBe(5);
    expect((await run(['hours', 'approve', '1'])).stderr).toContain('is void; nothing was approved');
    expect((await run(['hours', 'void', '42', '--reason', 'x', '--yes'])).code).toBe(4);
  });

  it('an entry made by a supervision session cannot be voided, rejected or re-timed alone (exit 5)', async () => {
    const { db, run } = await seeded();
    await run(['hours', 'log', 'ana@example.org', '--program', 'TELE', '--hours', '1', '--date', '2026-11-01', '--activity', 'supervision']);
    await exec(db, "INSERT INTO supervision_sessions(id, supervisor_id, date, minutes, format, created_at) VALUES (7, 1, '2026-11-01', 60, 'individual', 'x')");
    await exec(db, 'UPDATE hours SET supervision_id = 7 WHERE id = 1');
    const before = await dbHash(db);
    const v = await run(['hours', 'void', '1', '--reason', 'x', '--yes']);
    expect(v.code).toBe(5);
    expect(v.stderr).toContain('void the supervision session instead');
    expect((await run(['hours', 'reject', '1', '--reason', 'x'])).code).toBe(5);
    const e = await run(['hours', 'edit', '1', '--hours', '2']);
    expect(e.code).toBe(5);
    expect(e.stderr).toContain('its minutes follow the session');
    expect(await dbHash(db)).toBe(before);
    // Mileage of the trip to the session can be corrected here.
    expect((await run(['hours', 'edit', '1', '--miles', '4'])).code).toBe(0);
  });

  it('edit changes fields with an audited diff, re-validates, warns past 24 h a day, refuses void entries', async () => {
    const { db, run } = await seeded();
    await run(['hours', 'log', 'ana@example.org', '--program', 'TELE', '--hours', '1', '--date', '2026-11-01']);
    await run(['hours', 'log', 'ana@example.org', '--program', 'TELE', '--hours', '20', '--date', '2026-11-02']);
    const r = await run([
      'hours',
      'edit',
      '1',
      '--duration',
      '2:15',
      '--program',
      'PEER',
      '--activity',
      'peer-support',
      '--km',
      '10',
      '--expenses',
      '3.20',
      '--reimbursed',
      '--note',
      'bus',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('1\n');
    expect(r.stderr).toContain('Updated entry #1');
    expect(lines((await run(['hours', 'list'])).stdout)[0]).toBe('1,2026-11-01,1,Ana,Okafor,ana@example.org,PEER,peer-support,2.25,6.21,3.20,yes,approved,bus');
    const audit = JSON.parse((await run(['audit', '--entity', 'hours', '--id', '1', '--json'])).stdout) as { action: string; changes: string }[];
    expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
    expect(JSON.parse(audit[1]!.changes)).toEqual({
      minutes: [60, 135],
      program_id: [1, 2],
      activity: ['direct-service', 'peer-support'],
      miles: [0, 6.21],
      expenses: [0, 3.2],
      reimbursed: [0, 1],
      note: [null, 'bus'],
    });
    expect((await run(['hours', 'edit', '1', '--no-reimbursed'])).code).toBe(0);
    expect(parseCsv((await run(['hours', 'list'])).stdout)[0]!['reimbursed']).toBe('no');
    const w = await run(['hours', 'edit', '1', '--date', '2026-11-02', '--hours', '5']);
    expect(w.code).toBe(0);
    expect(w.stderr).toContain('Ana Okafor now has 25.00 h on 2026-11-02, more than 24 h in one day');
    await run(['programs', 'archive', 'SCHOOL', '--yes']);
    const before = await dbHash(db);
    expect((await run(['hours', 'edit', '1', '--hours', '25'])).code).toBe(3);
    expect((await run(['hours', 'edit', '1', '--date', '2027-01-01'])).code).toBe(3);
    expect((await run(['hours', 'edit', '1', '--note', 'y'.repeat(2001)])).code).toBe(3);
    expect((await run(['hours', 'edit', '1'])).code).toBe(2);
    expect((await run(['hours', 'edit', '1', '--program', 'SCHOOL'])).code).toBe(5);
    expect(await dbHash(db)).toBe(before);
    await run(['hours', 'void', '2', '--reason', 'x', '--yes']);
    const vd = await run(['hours', 'edit', '2', '--hours', '1']);
    expect(vd.code).toBe(5);
    expect(vd.stderr).toContain('entry #2 is void; it cannot be edited');
  });
});
