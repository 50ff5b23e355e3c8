/**
 * Prompts on a terminal (issue 19): every write command asks what it needs, an invalid answer is asked
 * again with the parser's one-line reason, pick lists tell two people of the same name apart, and
 * without a terminal nothing is asked (exit 2 naming the missing flags, database unchanged).
 */
import { describe, expect, it } from 'vitest';
import { dbHash, mustSucceed, parseCsv, scriptedPrompter, tmpDb, withDb } from '../helpers.js';

async function world() {
  const { db } = await tmpDb();
  const run = withDb(db);
  const ok = mustSucceed(run);
  return { db, run, ok };
}

const tty = (answers: Parameters<typeof scriptedPrompter>[0], seen: string[] = [], lists: string[][] = []) => ({
  tty: true,
  prompter: scriptedPrompter(answers, seen, lists),
});

describe('people add on a terminal', () => {
  it('asks every field, re-asks an invalid email, a taken email, unknown roles, a bad date and a zero rate, and stores the answers', async () => {
    const { run, ok } = await world();
    await ok(['people', 'add', '--first', 'Sam', '--last', 'Lee', '--email', 'sam@example.org']);
    const seen: string[] = [];
    const answers = [
      'Ana', // first
      'Okafor', // last
      'ana@', // email: invalid
      'SAM@example.org', // email: taken (case-insensitive)
      'Ana@Example.org', // email
      'V-01001', // external id
      '+1 555 0100', // phone
      'volunteer,wizard', // roles: unknown
      'volunteer, mentor', // roles
      'LCSW', // credential
      '123456', // licence number
      'NY', // licence region
      '2027-02-30', // licence expires: not a date
      '2027-06-30',
      '0', // rate: zero
      '85.5',
      '1 Main St', // address line 1
      '', // address line 2
      'Albany', // city
      'NY', // region
      '02134', // postal code (leading zero kept)
      '', // country
      '', // joined
      '', // notes
      true, // save?
    ];
    const r = await run(['people', 'add'], tty(answers, seen));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('2\n');
    expect(seen.filter((s) => s.startsWith('input: ')).map((s) => s.replace(/ \(optional\)$/, ''))).toEqual([
      'input: First name',
      'input: Last name',
      'input: Email',
      'input: Email',
      'input: Email',
      'input: External id (ID in another system)',
      'input: Phone',
      'input: Roles, comma-separated (volunteer, supervisor, supervisee, mentor, mentee, grantee, staff)',
      'input: Roles, comma-separated (volunteer, supervisor, supervisee, mentor, mentee, grantee, staff)',
      'input: Credential (e.g. LCSW)',
      'input: Licence number',
      'input: Licensing state/region (e.g. NY)',
      'input: Licence expires (YYYY-MM-DD)',
      'input: Licence expires (YYYY-MM-DD)',
      'input: Hourly rate for skilled services, e.g. 85.00 (empty: a general volunteer)',
      'input: Hourly rate for skilled services, e.g. 85.00 (empty: a general volunteer)',
      'input: Address line 1',
      'input: Address line 2',
      'input: City',
      'input: State/region',
      'input: Postal code',
      'input: Country',
      'input: Date joined (YYYY-MM-DD)',
      'input: Notes',
    ]);
    // The reasons are the flags' own (people add --email ana@ says the same).
    const refused = seen.filter((s) => s.startsWith('refused: '));
    expect(refused).toEqual([
      'refused: --email: invalid email "ana@"',
      'refused: email sam@example.org already belongs to #1 Sam Lee <sam@example.org>',
      expect.stringMatching(/^refused: --roles: unknown role "wizard"/),
      expect.stringMatching(/^refused: --license-expires: .*2027-02-30/),
      expect.stringMatching(/^refused: --rate: invalid hourly_rate "0"/),
    ]);
    const flagRefusal = await run(['people', 'add', '--first', 'X', '--email', 'ana@']);
    expect(flagRefusal.code).toBe(3);
    expect(flagRefusal.stderr).toBe(`ngo: error: ${refused[0]!.slice('refused: '.length)}\n`);
    expect(seen.at(-1)).toBe('confirm: Add Ana Okafor <ana@example.org> [V-01001] (volunteer, mentor) — save?');
    const p = JSON.parse((await ok(['people', 'show', '2', '--json'])).stdout)[0];
    expect(p).toMatchObject({
      first_name: 'Ana',
      last_name: 'Okafor',
      email: 'ana@example.org',
      external_id: 'V-01001',
      phone: '+1 555 0100',
      roles: 'volunteer,mentor',
      credential: 'LCSW',
      license_number: '123456',
      license_region: 'NY',
      license_expires: '2027-06-30',
      hourly_rate: 85.5,
      address_line1: '1 Main St',
      address_line2: null,
      city: 'Albany',
      postal_code: '02134',
      country: null,
    });
  });

  it('fields given as flags are not asked; an invalid flag fails before any prompt (exit 3)', async () => {
    const { db, run } = await world();
    const seen: string[] = [];
    const r = await run(['people', 'add', '--email', 'ana@example.org', '--roles', 'volunteer'], tty(['Ana', ...Array<string>(16).fill(''), true], seen));
    expect(r.code, r.stderr).toBe(0);
    expect(seen.some((s) => s.startsWith('input: Email') || s.startsWith('input: Roles'))).toBe(false);
    const before = await dbHash(db);
    const bad = await run(['people', 'add', '--email', 'nope'], { ...tty([]), stderrTty: false });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toBe('ngo: error: --email: invalid email "nope"\n');
    expect(await dbHash(db)).toBe(before);
  });

  it('without a terminal (cron, a pipe) nothing is asked: exit 2 naming --first, nothing written', async () => {
    const { db, run } = await world();
    const before = await dbHash(db);
    const r = await run(['people', 'add', '--email', 'ana@example.org'], { stdin: 'Ana\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ngo: error: missing required option: --first\n');
    expect(r.stdout).toBe('');
    expect(await dbHash(db)).toBe(before);
  });
});

describe('pick lists tell people apart', () => {
  async function twins() {
    const w = await world();
    await w.ok(['people', 'add', '--first', 'Ana', '--last', 'Okafor', '--roles', 'volunteer']);
    await w.ok(['people', 'add', '--first', 'Ana', '--last', 'Okafor', '--email', 'ana.o@example.org', '--external-id', 'V-7', '--roles', 'mentor']);
    await w.ok(['people', 'add', '--first', 'Ana', '--last', 'Okafor']);
    await w.ok(['programs', 'add', 'TELE', '--name', 'Tele-therapy']);
    return w;
  }

  it('three "Ana Okafor"s show three different lines; choosing the second logs the hours for the second', async () => {
    const { ok, run } = await twins();
    const lists: string[][] = [];
    const answers = [{ term: 'okafor', index: 1 }, 'TELE', '1', '2026-11-20', 'direct-service', '', '', '', true];
    const r = await run(['hours', 'log'], tty(answers, [], lists));
    expect(r.code, r.stderr).toBe(0);
    expect(lists[0]).toEqual(['Ana Okafor (volunteer) #1', 'Ana Okafor <ana.o@example.org> [V-7] (mentor) #2', 'Ana Okafor #3']);
    expect(new Set(lists[0]).size).toBe(3);
    expect(parseCsv((await ok(['hours', 'list'])).stdout)).toEqual([expect.objectContaining({ person_id: '2', email: 'ana.o@example.org' })]);
    // The third (no email, no external id, no roles) is told apart by its #id, and the pick is that person.
    const third = await run(['grants', 'award', '--amount', '100', '--purpose', 'books'], tty([{ term: '#3', index: 0 }, '', '', '', '', true]));
    expect(third.code, third.stderr).toBe(0);
    expect(parseCsv((await ok(['grants', 'list'])).stdout)[0]).toMatchObject({ grantee_id: '3' });
  });

  it('the list can be searched by email or external id', async () => {
    const { run } = await twins();
    const lists: string[][] = [];
    const r = await run(['mentorship', 'pair'], tty(['V-7', { term: 'volunteer', index: 0 }, '', '', '', true], [], lists));
    expect(r.code, r.stderr).toBe(0);
    expect(lists).toEqual([['Ana Okafor <ana.o@example.org> [V-7] (mentor) #2'], ['Ana Okafor (volunteer) #1']]);
  });
});

describe('supervision add on a terminal', () => {
  async function clinic() {
    const w = await world();
    await w.ok(['people', 'add', '--first', 'Grace', '--last', 'Mensah', '--roles', 'supervisor', '--license-number', 'L1', '--license-expires', '2030-01-01']);
    await w.ok(['people', 'add', '--first', 'Ana', '--last', 'Okafor', '--roles', 'supervisee']);
    await w.ok(['programs', 'add', 'TRAIN', '--name', 'Training']);
    await w.ok(['funders', 'add', 'HOPE', '--name', 'Hope Foundation']);
    await w.ok(['funders', 'fund', 'HOPE', '--program', 'TRAIN', '--from', '2026-01-01']);
    return w;
  }

  it('one supervisee: no format question (individual); the program is asked, so the session reaches the funder report', async () => {
    const { ok, run } = await clinic();
    const seen: string[] = [];
    const answers = ['Grace', 'Ana', false, '1', '2026-11-30', '2026-11-20', 'video', 'TRAIN', true, '', true];
    const r = await run(['supervision', 'add'], tty(answers, seen));
    expect(r.code, r.stderr).toBe(0);
    expect(seen.some((s) => s.startsWith('select: Format'))).toBe(false);
    // A date after today is refused with the flag's reason, then asked again.
    expect(seen).toContain('refused: date 2026-11-30 is in the future (today is 2026-11-23); add --allow-future if that is intended');
    expect(seen).toContain('select: Program (counts in that program’s funder reports)');
    expect(seen).toContain('confirm: Also log the supervisor’s time as volunteer hours in TRAIN?');
    const s = parseCsv((await ok(['supervision', 'list'])).stdout)[0];
    expect(s).toMatchObject({ format: 'individual', program_code: 'TRAIN', modality: 'video', hours_entry_id: '1' });
    const report = parseCsv((await ok(['report', 'funder', '--funder', 'HOPE', '--period', '2026-11'])).stdout);
    expect(report.find((x) => x['program_code'] === 'TRAIN')).toMatchObject({ supervision_sessions: '1' });
  });

  it('a supervisor without a valid licence is a question on a terminal: no writes nothing (exit 5), yes records it never counting', async () => {
    const { db, ok, run } = await clinic();
    await ok(['people', 'add', '--first', 'Lou', '--last', 'Unlicensed', '--roles', 'supervisor']);
    const answers = (save: boolean) => ['Lou', 'Ana', false, '1', '2026-11-20', 'in-person', '', '', save, true];
    const before = await dbHash(db);
    const seen: string[] = [];
    const no = await run(['supervision', 'add'], tty(answers(false).slice(0, -1), seen));
    expect(no.code).toBe(5);
    expect(seen.at(-1)).toMatch(/^confirm: #3 Lou Unlicensed .*record the session anyway\? It will never count toward licensure$/);
    expect(await dbHash(db)).toBe(before);
    const yes = await run(['supervision', 'add'], tty(answers(true)));
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.stderr).toContain('never counts toward licensure');
  });

  it('without a terminal, missing values exit 2 and nothing is asked', async () => {
    const { db, run } = await clinic();
    const before = await dbHash(db);
    const r = await run(['supervision', 'add', '--supervisor', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ngo: error: missing required options: --supervisee, --hours, --minutes or --duration\n');
    expect(await dbHash(db)).toBe(before);
  });
});

describe('grants award and other write commands on a terminal', () => {
  it('grants award asks funder and program (it then counts under the funding agreement) and re-asks a bad amount', async () => {
    const { ok, run } = await world();
    await ok(['people', 'add', '--first', 'Mei', '--last', 'Zhang', '--email', 'mei@example.org']);
    await ok(['programs', 'add', 'TRAIN', '--name', 'Training']);
    await ok(['funders', 'add', 'HOPE', '--name', 'Hope Foundation']);
    const seen: string[] = [];
    const answers = ['mei', '-5', '1500.00', 'LCSW exam', 'HOPE', 'TRAIN', '2026-11-01', '0', '40', true];
    const r = await run(['grants', 'award'], tty(answers, seen));
    expect(r.code, r.stderr).toBe(0);
    expect(seen.filter((s) => s.startsWith('refused: '))).toEqual([
      expect.stringMatching(/^refused: .*--amount/),
      expect.stringMatching(/^refused: invalid --service-hours "0"/),
    ]);
    expect(parseCsv((await ok(['grants', 'list'])).stdout)[0]).toMatchObject({
      grantee: 'Mei Zhang',
      funder_code: 'HOPE',
      program_code: 'TRAIN',
      amount: '1500.00',
      awarded_on: '2026-11-01',
      service_commitment_hours: '40.00',
    });
  });

  it("hours log asks miles and expenses with the flags' rules, and whether they were paid back", async () => {
    const { ok, run } = await world();
    await ok(['people', 'add', '--first', 'Ana', '--email', 'ana@example.org']);
    await ok(['programs', 'add', 'TELE', '--name', 'Tele']);
    const seen: string[] = [];
    const answers = ['ana', 'TELE', '2', '', 'outreach', '12.345', '12.3', 'ten', '4.50', false, 'evening', true];
    const r = await run(['hours', 'log'], tty(answers, seen));
    expect(r.code, r.stderr).toBe(0);
    expect(seen.filter((x) => x.startsWith('refused: '))).toHaveLength(2);
    expect(seen).toContain('confirm: Did the NGO pay them back (then they are not deductible)?');
    expect(parseCsv((await ok(['hours', 'list'])).stdout)[0]).toMatchObject({
      date: '2026-11-23',
      activity: 'outreach',
      hours: '2.00',
      miles: '12.30',
      expenses: '4.50',
      reimbursed: 'no',
      note: 'evening',
    });
  });

  it('grants award without a terminal: exit 2 naming GRANTEE, --amount and --purpose', async () => {
    const { db, run } = await world();
    const before = await dbHash(db);
    const r = await run(['grants', 'award']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ngo: error: missing required options: GRANTEE, --amount, --purpose\n');
    expect(await dbHash(db)).toBe(before);
  });

  it('programs add re-asks an invalid or taken code; funders fund asks the end, amount and reference', async () => {
    const { ok, run } = await world();
    await ok(['programs', 'add', 'TELE', '--name', 'Tele-therapy']);
    const seen: string[] = [];
    const r = await run(['programs', 'add'], tty(['peer support', 'tele', 'peer', 'Peer support', 'evening groups'], seen));
    expect(r.code, r.stderr).toBe(0);
    expect(seen.filter((s) => s.startsWith('refused: '))).toEqual([
      'refused: invalid program code "peer support" (letters, digits, - and _; at most 32 characters)',
      'refused: program TELE already exists (Tele-therapy)',
    ]);
    expect(parseCsv((await ok(['programs', 'list'])).stdout).find((x) => x['code'] === 'PEER')).toMatchObject({
      code: 'PEER',
      name: 'Peer support',
      description: 'evening groups',
    });
    await ok(['funders', 'add', 'HOPE', '--name', 'Hope']);
    const f = await run(['funders', 'fund'], tty(['HOPE', 'PEER', '2026-01-01', '2025-12-31', '2026-12-31', '0', '50000', 'HF-17']));
    expect(f.code, f.stderr).toBe(0);
    expect(parseCsv((await ok(['funders', 'funding'])).stdout)[0]).toMatchObject({
      funder_code: 'HOPE',
      program_code: 'PEER',
      start_date: '2026-01-01',
      end_date: '2026-12-31',
      amount: '50000.00',
      reference: 'HF-17',
    });
  });

  it('people archive asks the reason on a terminal and needs --reason without one', async () => {
    const { db, ok, run } = await world();
    await ok(['people', 'add', '--first', 'Ana']);
    const before = await dbHash(db);
    const r = await run(['people', 'archive', '1', '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ngo: error: missing required option: --reason\n');
    expect(await dbHash(db)).toBe(before);
    const t = await run(['people', 'archive', '1'], tty(['', 'moved away', true]));
    expect(t.code, t.stderr).toBe(0);
    expect(JSON.parse((await ok(['people', 'show', '1', '--json'])).stdout)[0]).toMatchObject({ status: 'inactive' });
  });
});
