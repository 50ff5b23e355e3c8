/**
 * `ngo status` (Contract v2 / New commands): the items of a hand-made fixture, exact CSV, with the
 * command for each, at the fixed "now" of the tests (2026-11-23), on whichever store the run uses.
 * Boundaries: a tranche exactly 30 days ahead shows and one 31 days ahead does not; a pairing quiet
 * exactly 30 days does not (stale is more than 30, as `mentorship list --stale 30`); a licence
 * expiring in exactly 60 days shows and one in 61 does not.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  collectStatus,
  dbCheckSource,
  disbursementsSource,
  licencesSource,
  sortStatus,
  shellArg,
  stalePairingsSource,
  type StatusItem,
} from '../../src/reports/status.js';
import { testConn, mustSucceed, parseCsv, tmpDb, withDb } from '../helpers.js';

const HEADER = 'area,severity,subject,detail,due_date,command';

let db: string;
let run: ReturnType<typeof withDb>;

beforeAll(async () => {
  ({ db } = await tmpDb());
  run = withDb(db);
  const ok = mustSucceed(run);
  for (const args of [
    ['programs', 'add', 'TELE', '--name', 'Tele-therapy'],
    [
      'people',
      'add',
      '--first',
      'Ana',
      '--last',
      'Okafor',
      '--email',
      'ana@example.org',
      '--credential',
      'LCSW',
      '--license-number',
      'L-1',
      '--license-region',
      'MA',
      '--license-expires',
      '2027-01-22',
    ], // #1: in exactly 60 days
    ['people', 'add', '--first', 'Bo', '--last', 'Brown', '--email', 'bo@example.org'], // #2
    ['people', 'add', '--first', 'Cy', '--last', 'Chen', '--email', 'cy@example.org', '--license-number', 'L-3', '--license-expires', '2027-01-23'], // #3: 61 days
    ['people', 'add', '--first', 'Di', '--email', 'di@example.org', '--license-number', 'L-4', '--license-expires', '2026-01-01'], // #4: expired, but archived below
    ['people', 'archive', '4', '--reason', 'left', '--yes'],
    ['hours', 'log', '2', '--program', 'TELE', '--hours', '1.5', '--date', '2026-11-02', '--pending'], // entry #1: pending
    ['hours', 'log', '2', '--program', 'TELE', '--hours', '2', '--date', '2026-11-03'], // entry #2: approved, not listed
    ['hours', 'log', '3', '--program', 'TELE', '--hours', '1', '--date', '2026-10-03', '--pending'], // entry #3: pending, then voided
    ['hours', 'void', '3', '--reason', 'duplicate', '--yes'],
    ['grants', 'award', '2', '--amount', '1000', '--purpose', 'exam fees', '--date', '2026-09-01'], // grant #1
    ['grants', 'disburse', '1', '--amount', '400', '--scheduled', '--date', '2026-11-01'], // #1: overdue
    ['grants', 'disburse', '1', '--amount', '100', '--scheduled', '--date', '2026-12-23'], // #2: in exactly 30 days
    ['grants', 'disburse', '1', '--amount', '100', '--scheduled', '--date', '2026-12-24'], // #3: in 31 days
    ['grants', 'disburse', '1', '--amount', '50', '--date', '2026-10-01'], // #4: paid, never listed
    ['mentorship', 'pair', '1', '2', '--start', '2026-09-01'], // pairing #1
    ['mentorship', 'meet', '1', '--hours', '1', '--date', '2026-10-01'], // 53 days ago
    ['mentorship', 'pair', '1', '3', '--start', '2026-10-24'], // pairing #2: 30 days, never met: not stale yet
    ['mentorship', 'pair', '3', '2', '--start', '2026-01-01'], // pairing #3: quiet for long, but paused
    ['mentorship', 'pause', '3'],
  ])
    await ok(args);
}, 60_000);

describe('ngo status', () => {
  it('lists one pending entry, one overdue tranche (and one due), one stale pairing and one expiring licence, each with its command: exact CSV, exit 0', async () => {
    const r = await run(['status']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      [
        HEADER,
        'hours,due,1 entry pending approval,"1.50 h, the oldest dated 2026-11-02",2026-11-02,ngo hours list --status pending',
        'disbursements,overdue,grant #1 Bo Brown — exam fees,"400.00 USD, disbursement #1, 22 days overdue",2026-11-01,ngo grants pay 1',
        'disbursements,due,grant #1 Bo Brown — exam fees,"100.00 USD, disbursement #2, due in 30 days",2026-12-23,ngo grants pay 2',
        'mentorship,overdue,pairing #1 Ana Okafor mentoring Bo Brown,no meeting for 53 days (last 2026-10-01),2026-10-31,ngo mentorship meet 1',
        "licences,due,Ana Okafor,LCSW L-1 (MA) expires in 60 days,2027-01-22,ngo people edit '#1' --license-expires YYYY-MM-DD",
      ].join('\n') + '\n',
    );
    expect(r.stderr).toBe('5 items need attention (2 overdue)\n');
  });

  it('each command runs as printed and deals with its item', async () => {
    const pending = await run(['hours', 'list', '--status', 'pending']);
    expect(parseCsv(pending.stdout).map((x) => x['id'])).toEqual(['1']);
    expect((await run(['grants', 'pay', '1'])).code).toBe(0);
    // The licence command, its date filled in.
    expect((await run(['people', 'edit', '#1', '--license-expires', '2029-01-31'])).code).toBe(0);
    const meet = await run(['mentorship', 'meet', '1', '--hours', '1']);
    expect(meet.code, meet.stderr).toBe(0);
    expect((await run(['hours', 'approve', '1'])).code).toBe(0);
    const r = await run(['status']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      HEADER + '\n' + 'disbursements,due,grant #1 Bo Brown — exam fees,"100.00 USD, disbursement #2, due in 30 days",2026-12-23,ngo grants pay 2\n',
    );
  });

  it('json has the CSV columns; table on a terminal; nothing to do says so', async () => {
    const j = await run(['status', '--json']);
    expect(JSON.parse(j.stdout)).toEqual([
      {
        area: 'disbursements',
        severity: 'due',
        subject: 'grant #1 Bo Brown — exam fees',
        detail: '100.00 USD, disbursement #2, due in 30 days',
        due_date: '2026-12-23',
        command: 'ngo grants pay 2',
      },
    ]);
    const t = await run(['status'], { tty: true, columns: 200 });
    expect(t.code).toBe(0);
    expect(t.stdout).toContain('ngo grants pay 2');
    expect(t.stdout).toContain('2026-12-23');
    const { db: empty } = await tmpDb();
    const e = await withDb(empty)(['status']);
    expect(e.code).toBe(0);
    expect(e.stdout).toBe(HEADER + '\n');
    expect(e.stderr).toContain('Nothing needs attention');
  });
});

describe('ngo status: awards over their funding agreement, db check items', () => {
  it('an award over its agreement and a day over 24 h show (overdue, info), with their commands; exit 0', async () => {
    const { db: d } = await tmpDb();
    const r0 = withDb(d);
    const ok = mustSucceed(r0);
    for (const args of [
      ['programs', 'add', 'TELE', '--name', 'Tele-therapy'],
      ['funders', 'add', 'HOPE', '--name', 'Hope'],
      ['funders', 'fund', 'HOPE', '--program', 'TELE', '--from', '2026-01-01', '--to', '2026-12-31', '--amount', '500'],
      ['people', 'add', '--first', 'Bo', '--email', 'bo@example.org'],
      ['grants', 'award', '1', '--amount', '300', '--purpose', 'a', '--funder', 'HOPE', '--program', 'TELE', '--date', '2026-03-01'],
      ['grants', 'award', '1', '--amount', '200.01', '--purpose', 'b', '--funder', 'HOPE', '--program', 'TELE', '--date', '2026-04-01'],
      ['hours', 'log', '1', '--program', 'TELE', '--hours', '13', '--date', '2026-05-01'],
      ['hours', 'log', '1', '--program', 'TELE', '--hours', '12', '--date', '2026-05-01'],
    ])
      await ok(args);
    const r = await r0(['status']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      [
        HEADER,
        'grants,overdue,HOPE / TELE funding agreement #1 (2026-01-01..2026-12-31),"awards 500.01 (2 grants), more than its 500.00; review them, or amend it: ngo funders edit-funding 1 --amount 500.01",,ngo grants list --funder HOPE',
        'database,info,db check: hours_per_day,person #1 on 2026-05-01: 25.00 h,,ngo db check',
      ].join('\n') + '\n',
    );
  });
});

describe('the sources and the order', () => {
  it('sortStatus: areas in Contract v2 order (unknown areas last), overdue before due before info, undated last', () => {
    const item = (area: string, severity: StatusItem['severity'], due_date: string, subject = 's'): StatusItem => ({
      area,
      severity,
      subject,
      detail: '',
      due_date,
      command: '',
    });
    const sorted = sortStatus([
      item('zzz-new', 'overdue', ''),
      item('database', 'overdue', ''),
      item('licences', 'due', '2026-01-02'),
      item('licences', 'overdue', ''),
      item('licences', 'overdue', '2026-01-05'),
      item('hours', 'info', ''),
      item('requirements', 'due', '2026-01-01'),
    ]);
    expect(sorted.map((i) => `${i.area}/${i.severity}/${i.due_date}`)).toEqual([
      'hours/info/',
      'requirements/due/2026-01-01',
      'licences/overdue/2026-01-05',
      'licences/overdue/',
      'licences/due/2026-01-02',
      'database/overdue/',
      'zzz-new/overdue/',
    ]);
  });

  it('shellArg quotes what a shell would read otherwise', () => {
    expect(shellArg('HOPE')).toBe('HOPE');
    expect(shellArg('#3')).toBe("'#3'");
    expect(shellArg("o'brien")).toBe("'o'\\''brien'");
  });

  it('a source on its own, and a registry with another feature’s source added', async () => {
    const conn = await testConn(db);
    try {
      const stale = await stalePairingsSource(conn, { today: '2026-11-23' });
      expect(stale).toEqual([]); // met today in the test above
      const later = await stalePairingsSource(conn, { today: '2027-01-01' });
      expect(later.map((i) => i.subject)).toEqual(['pairing #2 Ana Okafor mentoring Cy Chen', 'pairing #1 Ana Okafor mentoring Bo Brown']);
      // A licence is valid on its expiry day: due that day, overdue from the next.
      const onDay = await licencesSource(conn, { today: '2027-01-22' });
      // Ana's was renewed to 2029 in the test above; Cy's (2027-01-23) is within 60 days by then.
      expect(onDay.map((i) => [i.subject, i.severity, i.detail])).toEqual([['Cy Chen', 'due', 'L-3 expires in 1 day']]);
      const cy = await licencesSource(conn, { today: '2027-01-23' });
      expect(cy.map((i) => [i.subject, i.severity, i.detail, i.due_date])).toEqual([['Cy Chen', 'due', 'L-3 expires today', '2027-01-23']]);
      const cy2 = await licencesSource(conn, { today: '2027-01-25' });
      expect(cy2.map((i) => [i.severity, i.detail])).toEqual([['overdue', 'L-3 expired 2 days ago']]);
      const tranche = await disbursementsSource(conn, { today: '2026-12-23' });
      expect(tranche.map((i) => [i.severity, i.detail])).toEqual([
        ['due', '100.00 USD, disbursement #2, due today'],
        ['due', '100.00 USD, disbursement #3, due in 1 day'],
      ]);
      const late = await disbursementsSource(conn, { today: '2026-12-24' });
      expect(late.map((i) => [i.severity, i.detail])).toEqual([
        ['overdue', '100.00 USD, disbursement #2, 1 day overdue'],
        ['due', '100.00 USD, disbursement #3, due today'],
      ]);
      const extra = async (): Promise<StatusItem[]> => [
        { area: 'letters', severity: 'due', subject: 'x', detail: 'y', due_date: '', command: 'ngo report tax' },
      ];
      const all = await collectStatus(conn, { today: '2026-11-23' }, [extra, dbCheckSource]);
      expect(all.map((i) => i.area)).toEqual(['letters']);
    } finally {
      await conn.close();
    }
  });
});
