/**
 * Corrections (issue 19): every new edit/void writes its audit entry (the fields before/after, the
 * reason), and refuses what its rules forbid with exit 5 (or 3 for a bad value), the database
 * unchanged. On whichever store the run uses (NGO_TEST_STORE).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { dbHash, mustSucceed, parseCsv, query, tmpDb, withDb } from '../helpers.js';

let db: string;
let run: ReturnType<typeof withDb>;
let ok: ReturnType<typeof mustSucceed>;

async function lastAudit(entity: string, id: number): Promise<{ action: string; changes: Record<string, [unknown, unknown]> }> {
  const rows = await query<{ action: string; changes: string }>(
    db,
    'SELECT action, changes FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id DESC LIMIT 1',
    entity,
    id,
  );
  return { action: rows[0]!.action, changes: JSON.parse(rows[0]!.changes) };
}

/** A refused command: its exit code, one error line, and the database exactly as before. */
async function refused(args: string[], code: number, message: RegExp): Promise<string> {
  const before = await dbHash(db);
  const r = await run(args);
  expect(r.code, r.stderr).toBe(code);
  expect(r.stderr).toMatch(message);
  expect(r.stdout).toBe('');
  expect(await dbHash(db)).toBe(before);
  return r.stderr;
}

beforeEach(async () => {
  ({ db } = await tmpDb());
  run = withDb(db);
  ok = mustSucceed(run);
  for (const args of [
    ['programs', 'add', 'TELE', '--name', 'Tele-therapy'],
    ['programs', 'add', 'PEER', '--name', 'Peer support'],
    ['funders', 'add', 'HOPE', '--name', 'Hope'],
    ['people', 'add', '--first', 'Ana', '--last', 'Okafor', '--email', 'ana@example.org', '--license-number', 'L-1', '--license-expires', '2026-10-31'], // #1
    ['people', 'add', '--first', 'Bo', '--last', 'Brown', '--email', 'bo@example.org'], // #2
    ['people', 'add', '--first', 'Cy', '--last', 'Chen', '--email', 'cy@example.org'], // #3
  ])
    await ok(args);
});

describe('mentorship meetings: list, edit-meeting, void-meeting', () => {
  beforeEach(async () => {
    await ok(['mentorship', 'pair', '1', '2', '--start', '2026-09-01']); // pairing #1
    await ok(['mentorship', 'meet', '1', '--hours', '1', '--date', '2026-09-10', '--note', 'first']); // meeting #1
    await ok(['mentorship', 'meet', '1', '--minutes', '45', '--date', '2026-10-01']); // meeting #2
  });

  it('meetings lists them (exact CSV); edit-meeting corrects one, audited with the reason', async () => {
    const l = await run(['mentorship', 'meetings', '1']);
    expect(l.code, l.stderr).toBe(0);
    expect(l.stdout).toBe(
      'id,pairing_id,date,mentor_id,mentor,mentee_id,mentee,program_code,minutes,hours,note,status,void_reason\n' +
        '1,1,2026-09-10,1,Ana Okafor,2,Bo Brown,,60,1.00,first,active,\n' +
        '2,1,2026-10-01,1,Ana Okafor,2,Bo Brown,,45,0.75,,active,\n',
    );
    const r = await run(['mentorship', 'edit-meeting', '2', '--duration', '1:30', '--date', '2026-10-02', '--reason', 'typed the wrong day']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('2\n');
    expect(r.stderr).toContain('Updated meeting #2 of pairing #1 (2026-10-02, 1.50 h)');
    expect(await lastAudit('meeting', 2)).toEqual({
      action: 'update',
      changes: { minutes: [45, 90], date: ['2026-10-01', '2026-10-02'], reason: [null, 'typed the wrong day'] },
    });
    const p = parseCsv((await run(['mentorship', 'list'])).stdout)[0]!;
    expect([p['meetings'], p['hours'], p['last_meeting']]).toEqual(['2', '2.50', '2026-10-02']);
  });

  it('people forget erases the reason a correction gave for their records (it is free text about them, as notes are)', async () => {
    await ok(['mentorship', 'edit-meeting', '1', '--hours', '2', '--reason', 'Bo asked to fix it after his divorce hearing']);
    await ok(['people', 'forget', '2', '--yes']);
    expect((await lastAudit('meeting', 1)).changes['reason']).toEqual([null, '[erased]']);
  });

  it('void-meeting voids it (audited), it stops counting, and shows with its reason', async () => {
    const r = await run(['mentorship', 'void-meeting', '2', '--reason', 'recorded twice', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    const a = await lastAudit('meeting', 2);
    expect(a.action).toBe('void');
    expect(a.changes['void_reason']).toEqual([null, 'recorded twice']);
    expect(a.changes['voided_at']![0]).toBeNull();
    const p = parseCsv((await run(['mentorship', 'list'])).stdout)[0]!;
    expect([p['meetings'], p['hours'], p['last_meeting'], p['days_since_contact']]).toEqual(['1', '1.00', '2026-09-10', '74']);
    const v = parseCsv((await run(['mentorship', 'meetings', '--status', 'void'])).stdout);
    expect(v.map((x) => [x['id'], x['status'], x['void_reason']])).toEqual([['2', 'void', 'recorded twice']]);
  });

  it('refuses: a void meeting edited or voided again (5), a date outside the pairing (3), nothing to change (2), a void without a reason and no terminal (2)', async () => {
    await ok(['mentorship', 'void-meeting', '2', '--reason', 'dup', '--yes']);
    await refused(['mentorship', 'edit-meeting', '2', '--hours', '2'], 5, /^ngo: error: meeting #2 is void \(dup\); it cannot be edited\n/);
    await refused(['mentorship', 'void-meeting', '2', '--reason', 'again', '--yes'], 5, /^ngo: error: meeting #2 is already void \(dup\)\n/);
    await refused(['mentorship', 'edit-meeting', '1', '--date', '2026-08-31'], 3, /^ngo: error: date 2026-08-31 is before pairing #1 started \(2026-09-01\)\n/);
    await ok(['mentorship', 'end', '1', '--date', '2026-10-15', '--outcome', 'completed']);
    await refused(['mentorship', 'edit-meeting', '1', '--date', '2026-10-16'], 3, /^ngo: error: date 2026-10-16 is after pairing #1 ended \(2026-10-15\)\n/);
    await refused(['mentorship', 'edit-meeting', '1'], 2, /nothing to change/);
    await refused(['mentorship', 'void-meeting', '1', '--yes'], 2, /--reason/);
    await refused(['mentorship', 'void-meeting', '9', '--reason', 'x', '--yes'], 4, /no mentorship meeting #9/);
  });
});

describe('supervision edit', () => {
  beforeEach(async () => {
    await ok(['supervision', 'add', '--supervisor', '1', '--supervisee', '2', '--hours', '1', '--date', '2026-10-20', '--program', 'TELE', '--log-hours']); // session #1, hours #1
    await ok(['supervision', 'add', '--supervisor', '1', '--supervisee', '2,3', '--hours', '1', '--date', '2026-10-21']); // session #2
  });

  it('corrects a session, audited with the reason; its --log-hours entry follows (audited too)', async () => {
    const r = await run([
      'supervision',
      'edit',
      '1',
      '--duration',
      '1:30',
      '--date',
      '2026-10-22',
      '--modality',
      'video',
      '--program',
      'PEER',
      '--reason',
      'wrong day',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('1\n');
    expect(r.stderr).toContain('Updated supervision session #1 (2026-10-22, 1.50 h); hours entry #1 follows it');
    expect(await lastAudit('supervision', 1)).toEqual({
      action: 'update',
      changes: { minutes: [60, 90], date: ['2026-10-20', '2026-10-22'], modality: ['in-person', 'video'], program_id: [1, 2], reason: [null, 'wrong day'] },
    });
    expect(await lastAudit('hours', 1)).toEqual({
      action: 'update',
      changes: { date: ['2026-10-20', '2026-10-22'], minutes: [60, 90], program_id: [1, 2], reason: [null, 'follows supervision session #1'] },
    });
    const h = parseCsv((await run(['hours', 'list'])).stdout)[0]!;
    expect([h['date'], h['hours'], h['program_code'], h['activity']]).toEqual(['2026-10-22', '1.50', 'PEER', 'supervision']);
  });

  it('refuses: a void session (5), a format that does not fit (3), a date past the recorded licence (5) unless --allow-unlicensed, no program for a --log-hours session (5)', async () => {
    await refused(['supervision', 'edit', '2', '--format', 'individual'], 3, /an individual session has exactly 1 supervisee; this one lists 2/);
    await refused(
      ['supervision', 'edit', '2', '--date', '2026-11-01'],
      5,
      /^ngo: error: the supervisor's licence L-1 expired on 2026-10-31 \(the licence recorded with session #2\): on 2026-11-01 the session would not count toward licensure\nhint: add --allow-unlicensed/,
    );
    await refused(['supervision', 'edit', '1', '--program', ''], 5, /logged the supervisor's hours \(entry #1\), which need a program/);
    const u = await run(['supervision', 'edit', '2', '--date', '2026-11-01', '--allow-unlicensed']);
    expect(u.code, u.stderr).toBe(0);
    expect(u.stderr).toContain('session #2 now never counts toward licensure');
    expect((await lastAudit('supervision', 2)).changes).toEqual({ date: ['2026-10-21', '2026-11-01'], licensed: [1, 0] });
    await ok(['supervision', 'void', '2', '--reason', 'duplicate', '--yes']);
    await refused(['supervision', 'edit', '2', '--topic', 'x'], 5, /^ngo: error: supervision session #2 is void \(duplicate\); it cannot be edited\n/);
  });

  it('a void session shows its reason in the table of --status void', async () => {
    await ok(['supervision', 'void', '2', '--reason', 'entered twice', '--yes']);
    const t = await run(['supervision', 'list', '--status', 'void'], { tty: true, columns: 160 });
    expect(t.stdout).toMatch(/void_reason/);
    expect(t.stdout).toMatch(/entered twice/);
  });
});

describe('funding agreements: edit-funding, end-funding; the overlap error names the way out', () => {
  beforeEach(async () => {
    await ok(['funders', 'fund', 'HOPE', '--program', 'TELE', '--from', '2026-01-01', '--amount', '5000', '--reference', 'HF-1']); // #1, open-ended
  });

  it('an overlapping agreement is refused with a hint naming end-funding; following it works; both audited', async () => {
    const e = await refused(
      ['funders', 'fund', 'HOPE', '--program', 'TELE', '--from', '2027-01-01', '--to', '2027-12-31'],
      5,
      /already funds TELE from 2026-01-01 to open-ended \(agreement #1\)/,
    );
    expect(e).toContain('hint: if agreement #1 ends when this one starts, end it first: ngo funders end-funding 1 --date 2026-12-31');
    const r = await run(['funders', 'end-funding', '1', '--date', '2026-12-31', '--reason', 'renewed for 2027']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('1\n');
    expect(await lastAudit('funding', 1)).toEqual({ action: 'end', changes: { end_date: [null, '2026-12-31'], reason: [null, 'renewed for 2027'] } });
    await ok(['funders', 'fund', 'HOPE', '--program', 'TELE', '--from', '2027-01-01', '--to', '2027-12-31']); // #2
    const f = (await run(['funders', 'funding', 'HOPE'])).stdout;
    expect(f).toBe(
      'id,funder_code,funder_name,program_code,program_name,start_date,end_date,amount,reference\n' +
        '1,HOPE,Hope,TELE,Tele-therapy,2026-01-01,2026-12-31,5000.00,HF-1\n' +
        '2,HOPE,Hope,TELE,Tele-therapy,2027-01-01,2027-12-31,,\n',
    );
    const ed = await run(['funders', 'edit-funding', '2', '--amount', '7000', '--reference', 'HF-2', '--reason', 'signed']);
    expect(ed.code, ed.stderr).toBe(0);
    expect(await lastAudit('funding', 2)).toEqual({
      action: 'update',
      changes: { amount: [null, 700000], reference: [null, 'HF-2'], reason: [null, 'signed'] },
    });
  });

  it('refuses: an edit into an overlap (5, with the way out), an end already reached (5), an end before the start (3), ends before starts (3)', async () => {
    await ok(['funders', 'end-funding', '1', '--date', '2026-06-30']);
    await ok(['funders', 'fund', 'HOPE', '--program', 'TELE', '--from', '2026-07-01']); // #2
    const e = await refused(
      ['funders', 'edit-funding', '1', '--to', '2026-07-01'],
      5,
      /^ngo: error: agreement #1 would overlap agreement #2 of HOPE \/ TELE \(2026-07-01 to open-ended\)/,
    );
    expect(e).toContain('hint: correct agreement #2');
    await refused(
      ['funders', 'end-funding', '1', '--date', '2026-12-31'],
      5,
      /^ngo: error: agreement #1 already ends on 2026-06-30\nhint: to move its end to 2026-12-31, correct it: ngo funders edit-funding 1 --to 2026-12-31/,
    );
    await refused(['funders', 'end-funding', '1', '--date', '2026-06-30'], 5, /^ngo: error: agreement #1 already ends on 2026-06-30\n/);
    await ok(['funders', 'end-funding', '1', '--date', '2026-06-29']); // earlier than it ended: allowed
    await refused(['funders', 'end-funding', '2', '--date', '2026-06-01'], 3, /end date 2026-06-01 is before agreement #2 starts \(2026-07-01\)/);
    await refused(['funders', 'edit-funding', '2', '--to', '2026-06-01'], 3, /would end \(2026-06-01\) before it starts \(2026-07-01\)/);
    await refused(['funders', 'edit-funding', '9', '--amount', '1'], 4, /no funding agreement #9/);
  });
});

describe('grants edit', () => {
  beforeEach(async () => {
    await ok(['grants', 'award', '2', '--amount', '1000', '--purpose', 'exam fees', '--date', '2026-09-01']); // #1
    await ok(['grants', 'disburse', '1', '--amount', '600', '--date', '2026-09-10']);
    await ok(['grants', 'disburse', '1', '--amount', '400', '--scheduled', '--date', '2026-12-01']);
  });

  it('corrects a grant, audited with the reason; the status follows the amount', async () => {
    await ok(['grants', 'pay', '2', '--date', '2026-11-20']); // now completed by payment
    const r = await run([
      'grants',
      'edit',
      '1',
      '--amount',
      '1200',
      '--purpose',
      'exam fees and prep',
      '--funder',
      'HOPE',
      '--program',
      'TELE',
      '--service-hours',
      '10',
      '--reason',
      'course fee rose',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('1\n');
    expect(await lastAudit('grant', 1)).toEqual({
      action: 'update',
      changes: {
        amount: [100000, 120000],
        purpose: ['exam fees', 'exam fees and prep'],
        funder_id: [null, 1],
        program_id: [null, 1],
        service_minutes: [null, 600],
        status: ['completed', 'active'],
        reason: [null, 'course fee rose'],
      },
    });
    const g = parseCsv((await run(['grants', 'list'])).stdout)[0]!;
    expect([g['amount'], g['paid'], g['remaining'], g['status'], g['funder_code'], g['program_code']]).toEqual([
      '1200.00',
      '1000.00',
      '200.00',
      'active',
      'HOPE',
      'TELE',
    ]);
  });

  it('refuses: an amount below paid + scheduled (5), an award date after its first disbursement (3), a closed grant (5)', async () => {
    await refused(
      ['grants', 'edit', '1', '--amount', '999.99'],
      5,
      /an award of 999\.99 would be less than the 1000\.00 already paid \(600\.00\) and scheduled \(400\.00\) on grant #1/,
    );
    // Exactly what is paid and scheduled is within the rule (as disbursing exactly the award is).
    await ok(['grants', 'edit', '1', '--amount', '1000']);
    await refused(['grants', 'edit', '1', '--date', '2026-09-11'], 3, /award date 2026-09-11 is after the grant's first disbursement on 2026-09-10/);
    await ok(['grants', 'close', '1', '--status', 'cancelled', '--reason', 'withdrew', '--yes']);
    await refused(['grants', 'edit', '1', '--purpose', 'x'], 5, /^ngo: error: grant #1 was closed as cancelled on 2026-11-23; it cannot be edited\n/);
  });
});

describe('hours reopen, and reasons in lists', () => {
  beforeEach(async () => {
    await ok(['hours', 'log', '2', '--program', 'TELE', '--hours', '1', '--date', '2026-11-02', '--pending']); // #1
    await ok(['hours', 'log', '2', '--program', 'TELE', '--hours', '2', '--date', '2026-11-03']); // #2
  });

  it('a rejected entry is reopened as pending, audited; it can be approved then', async () => {
    await ok(['hours', 'reject', '1', '--reason', 'no timesheet']);
    const t = await run(['hours', 'list', '--status', 'rejected'], { tty: true, columns: 200 });
    expect(t.stdout).toMatch(/reason/);
    expect(t.stdout).toMatch(/no timesheet/);
    const r = await run(['hours', 'reopen', '1', '--reason', 'timesheet arrived']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('1\n');
    expect(r.stderr).toContain('Reopened entry #1 (1.00 h by Bo Brown, TELE, 2026-11-02): pending approval again');
    expect(await lastAudit('hours', 1)).toEqual({
      action: 'reopen',
      changes: { status: ['rejected', 'pending'], reject_reason: ['no timesheet', null], reason: [null, 'timesheet arrived'] },
    });
    await ok(['hours', 'approve', '1']);
  });

  it('refuses to reopen an entry that is not rejected, or void (5)', async () => {
    await refused(
      ['hours', 'reopen', '2'],
      5,
      /^ngo: error: entry #2 \(2\.00 h by Bo Brown, TELE, 2026-11-03\) is approved, not rejected; only a rejected entry can be reopened\n/,
    );
    await refused(['hours', 'reopen', '1'], 5, /is pending, not rejected/);
    await ok(['hours', 'reject', '1', '--reason', 'x']);
    await ok(['hours', 'void', '1', '--reason', 'duplicate', '--yes']);
    await refused(['hours', 'reopen', '1'], 5, /is void; it cannot be reopened/);
    const t = await run(['hours', 'list', '--status', 'void'], { tty: true, columns: 200 });
    expect(t.stdout).toMatch(/duplicate/);
  });
});
