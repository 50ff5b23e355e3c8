import { describe, expect, it } from 'vitest';
import { dbHash, tmpDb, withDb } from '../helpers.js';

async function seeded() {
  const { db } = await tmpDb();
  const run = withDb(db);
  await run([
    'people',
    'add',
    '--first',
    'Ana',
    '--last',
    'Okafor',
    '--email',
    'Ana@Example.org',
    '--external-id',
    'V-1',
    '--roles',
    'volunteer,mentor',
    '--rate',
    '85',
    '--postal-code',
    '02134',
    '--license-expires',
    '2027-06-30',
  ]);
  await run(['people', 'add', '--first', 'Sam', '--last', 'Lee', '--email', 'sam@example.org', '--external-id', 'S-9', '--roles', 'supervisor']);
  return { db, run };
}

describe('people', () => {
  it('adds with every field and shows it by id, email (any case) or external id', async () => {
    const { run } = await seeded();
    for (const ref of ['1', 'ana@example.ORG', 'V-1']) {
      const r = await run(['people', 'show', ref, '--json']);
      expect(r.code, ref).toBe(0);
      expect(JSON.parse(r.stdout)[0]).toMatchObject({
        id: 1,
        first_name: 'Ana',
        email: 'ana@example.org',
        roles: 'volunteer,mentor',
        hourly_rate: 85,
        postal_code: '02134',
        license_expires: '2027-06-30',
      });
    }
  });

  it("a numeric reference that is one person's id and another's external id is ambiguous (exit 5) and names both", async () => {
    const { run } = await seeded();
    await run(['people', 'edit', 'sam@example.org', '--external-id', '1']);
    const r = await run(['people', 'show', '1']);
    // id 1 is Ana; external id "1" is Sam.
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('person "1" is ambiguous: #1 Ana Okafor <ana@example.org>');
    expect(r.stderr).toContain('#2 Sam Lee <sam@example.org>');
  });

  it('rejects bad values with exit 3 and writes nothing', async () => {
    const { db, run } = await seeded();
    const before = await dbHash(db);
    for (const [args, msg] of [
      [['--email', 'not-an-email'], 'invalid email "not-an-email"'],
      [['--joined', '2026-02-30'], 'invalid joined_on "2026-02-30"'],
      [['--rate', '12.345'], '12.345'],
      [['--roles', 'volunteer,wizard'], 'unknown role "wizard"'],
    ] as [string[], string][]) {
      const r = await run(['people', 'add', '--first', 'X', ...args]);
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stderr).toContain(msg);
    }
    expect(await dbHash(db)).toBe(before);
  });

  it('duplicate email or external id is a conflict (exit 5), nothing written', async () => {
    const { db, run } = await seeded();
    const before = await dbHash(db);
    const r = await run(['people', 'add', '--first', 'Other', '--email', 'ANA@example.org']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('email ana@example.org already belongs to #1 Ana Okafor');
    expect((await run(['people', 'edit', 'sam@example.org', '--external-id', 'V-1'])).code).toBe(5);
    expect(await dbHash(db)).toBe(before);
  });

  it('edit changes and clears fields, audited with before/after', async () => {
    const { run } = await seeded();
    const r = await run(['people', 'edit', 'V-1', '--phone', '555-0100', '--postal-code', '']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('1\n');
    const p = JSON.parse((await run(['people', 'show', 'V-1', '--json'])).stdout)[0];
    expect(p).toMatchObject({ phone: '555-0100', postal_code: null });
    const audit = JSON.parse((await run(['audit', '--entity', 'person', '--id', '1', '--json'])).stdout) as {
      action: string;
      changes: string;
      actor: string;
    }[];
    expect(audit.at(-1)!.action).toBe('update');
    expect(JSON.parse(audit.at(-1)!.changes)).toEqual({ phone: [null, '555-0100'], postal_code: ['02134', null] });
  });

  it('archive and restore, with list filters', async () => {
    const { run } = await seeded();
    expect((await run(['people', 'archive', 'sam@example.org', '--reason', 'moved away', '--yes'])).code).toBe(0);
    const active = JSON.parse((await run(['people', 'list', '--json'])).stdout) as { first_name: string }[];
    expect(active.map((p) => p.first_name)).toEqual(['Ana']);
    const all = JSON.parse((await run(['people', 'list', '--status', 'all', '--json'])).stdout) as { first_name: string; status: string }[];
    expect(all.map((p) => [p.first_name, p.status])).toEqual([
      ['Sam', 'inactive'],
      ['Ana', 'active'],
    ]);
    expect((await run(['people', 'archive', 'sam@example.org', '--reason', 'again', '--yes'])).code).toBe(5);
    expect((await run(['people', 'restore', 'sam@example.org', '--yes'])).code).toBe(0);
    expect(JSON.parse((await run(['people', 'list', '--role', 'supervisor', '--json'])).stdout)).toHaveLength(1);
    expect(JSON.parse((await run(['people', 'list', '--search', 'okaf', '--json'])).stdout)).toHaveLength(1);
    expect(JSON.parse((await run(['people', 'list', '--search', '100%', '--json'])).stdout)).toHaveLength(0); // % and _ are text
    const audit = JSON.parse((await run(['audit', '--entity', 'person', '--id', '2', '--json'])).stdout) as { action: string }[];
    expect(audit.map((a) => a.action)).toEqual(['create', 'archive', 'restore']);
  });

  it('--search ignores case and accents in any script, matches "last, first", and finds a phone by its digits (attack on the PostgreSQL store, F15)', async () => {
    const { db } = await tmpDb();
    const run = withDb(db);
    const add = async (...args: string[]) => expect((await run(['people', 'add', ...args])).code).toBe(0);
    await add('--first', 'Lucía', '--last', 'Hernández', '--email', 'lucia@example.org', '--phone', '(617) 555-0100');
    await add('--first', 'Zoë', '--last', 'Ærø', '--email', 'zoe@example.org');
    await add('--first', 'Lucas', '--last', 'Smith', '--email', 'lucas@example.org', '--phone', '+1 212 555 0199');
    const found = async (q: string) =>
      (JSON.parse((await run(['people', 'list', '--search', q, '--json'])).stdout) as { first_name: string }[]).map((p) => p.first_name);
    for (const q of ['lucia', 'LUCÍA', 'Lucía', 'HERNÁNDEZ', 'hernandez', 'lucia hernandez', 'Hernández, Lucía', 'LUCIA@EXAMPLE'])
      expect(await found(q), q).toEqual(['Lucía']);
    expect(await found('ZOË')).toEqual(['Zoë']);
    expect(await found('ærø')).toEqual(['Zoë']);
    expect(await found('617 555')).toEqual(['Lucía']);
    expect(await found('555-01')).toEqual(['Lucía', 'Lucas']);
    expect(await found('212')).toEqual(['Lucas']);
    expect(await found('55')).toEqual([]); // two digits: too few to mean a phone
    expect(await found('luc')).toEqual(['Lucía', 'Lucas']);
  });

  it('forget erases personal fields, keeps the record, and scrubs the audit log', async () => {
    const { run } = await seeded();
    await run(['people', 'edit', 'V-1', '--address-line1', '1 Elm St', '--city', 'Boston']);
    expect((await run(['people', 'forget', 'V-1'])).code).toBe(2);
    const r = await run(['people', 'forget', 'V-1', '--yes']);
    expect(r.code).toBe(0);
    const p = JSON.parse((await run(['people', 'show', '1', '--json'])).stdout)[0];
    expect(p).toMatchObject({
      first_name: 'Erased person #1',
      last_name: null,
      email: null,
      external_id: null,
      address_line1: null,
      city: null,
      postal_code: null,
      roles: 'volunteer,mentor',
      hourly_rate: 85,
    });
    const audit = (await run(['audit', '--entity', 'person', '--id', '1'])).stdout;
    for (const secret of ['Okafor', 'ana@example.org', 'Elm St', 'Boston', '02134', 'V-1']) expect(audit).not.toContain(secret);
  });
});

describe('programs and funders', () => {
  it('add, list, edit, archive; duplicate codes are conflicts; codes are case-insensitive', async () => {
    const { db } = await tmpDb();
    const run = withDb(db);
    expect((await run(['programs', 'add', 'tele', '--name', 'Tele-therapy'])).stdout).toBe('1\n');
    const dup = await run(['programs', 'add', 'TELE', '--name', 'Again']);
    expect(dup.code).toBe(5);
    expect((await run(['programs', 'edit', 'Tele', '--description', 'video counselling'])).code).toBe(0);
    expect((await run(['programs', 'list'])).stdout).toBe('id,code,name,description,status,archived_reason\n1,TELE,Tele-therapy,video counselling,active,\n');
    expect((await run(['funders', 'add', 'HOPE', '--name', 'Hope Foundation'])).code).toBe(0);
    expect((await run(['funders', 'add', 'CITY', '--name', 'City', '--type', 'government'])).code).toBe(0);
    expect((await run(['funders', 'add', 'X', '--name', 'X', '--type', 'alien'])).code).toBe(2);
    expect((await run(['funders', 'list'])).stdout).toBe(
      'id,code,name,type,status,archived_reason\n2,CITY,City,government,active,\n1,HOPE,Hope Foundation,foundation,active,\n',
    );
    const nf = await run(['programs', 'edit', 'TELEE', '--name', 'x']);
    expect(nf.code).toBe(4);
    expect(nf.stderr).toContain('did you mean TELE?');
  });

  it('funding agreements: dates validated, overlaps refused, archived funders refused', async () => {
    const { db } = await tmpDb();
    const run = withDb(db);
    await run(['programs', 'add', 'TELE', '--name', 'Tele-therapy']);
    await run(['funders', 'add', 'HOPE', '--name', 'Hope Foundation']);
    const f = await run([
      'funders',
      'fund',
      'hope',
      '--program',
      'tele',
      '--from',
      '2026-01-01',
      '--to',
      '2026-06-30',
      '--amount',
      '50000',
      '--reference',
      'HF-1',
    ]);
    expect(f.code).toBe(0);
    expect(f.stdout).toBe('1\n');
    const before = await dbHash(db);
    expect((await run(['funders', 'fund', 'HOPE', '--program', 'TELE', '--from', '2026-06-01'])).code).toBe(5);
    expect((await run(['funders', 'fund', 'HOPE', '--program', 'TELE', '--from', '2026-09-01', '--to', '2026-08-01'])).code).toBe(3);
    expect((await run(['funders', 'fund', 'HOPE', '--program', 'TELE', '--from', '2026-02-30'])).code).toBe(3);
    expect((await run(['funders', 'fund', 'HOPE', '--program', 'NOPE', '--from', '2026-09-01'])).code).toBe(4);
    expect((await run(['funders', 'fund', 'HOPE', '--program', 'TELE'])).code).toBe(2);
    expect(await dbHash(db)).toBe(before);
    expect((await run(['funders', 'fund', 'HOPE', '--program', 'TELE', '--from', '2026-07-01'])).code).toBe(0);
    expect((await run(['funders', 'funding', 'HOPE'])).stdout).toBe(
      'id,funder_code,funder_name,program_code,program_name,start_date,end_date,amount,reference\n' +
        '1,HOPE,Hope Foundation,TELE,Tele-therapy,2026-01-01,2026-06-30,50000.00,HF-1\n' +
        '2,HOPE,Hope Foundation,TELE,Tele-therapy,2026-07-01,,,\n',
    );
    await run(['funders', 'archive', 'HOPE', '--yes']);
    await run(['programs', 'add', 'PEER', '--name', 'Peer support']);
    const archived = await run(['funders', 'fund', 'HOPE', '--program', 'PEER', '--from', '2027-01-01']);
    expect(archived.code).toBe(5);
    expect(archived.stderr).toContain('funder HOPE is archived');
  });
});
