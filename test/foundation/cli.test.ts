import { describe, expect, it } from 'vitest';
import { dbHash, ngo, scriptedPrompter, tmpDb, withDb } from '../helpers.js';

const ESC = /\u001b\[/;

describe('command framework', () => {
  it('prints the version and exits 0', async () => {
    const r = await ngo(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('unknown command: exit 2 with one ngo: error line', async () => {
    const r = await ngo(['peeple', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ngo: error: unknown command 'peeple'/);
    expect(r.stdout).toBe('');
  });

  it('unknown option: exit 2', async () => {
    const { db } = await tmpDb();
    const r = await ngo(['--db', db, 'people', 'list', '--colour']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("ngo: error: unknown option '--colour'");
  });

  it('every command has --help with an example', async () => {
    for (const args of [
      ['people', 'add'],
      ['people', 'import'],
      ['funders', 'fund'],
      ['programs', 'add'],
      ['db', 'backup'],
      ['audit'],
      ['config', 'set'],
      ['demo'],
      ['init'],
    ]) {
      const r = await ngo([...args, '--help']);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toMatch(/Examples:\n {2}\$ ngo /);
    }
  });

  it('missing required option without a TTY: exit 2 naming it, nothing written', async () => {
    const { db } = await tmpDb();
    const run = withDb(db);
    await run(['init']);
    const before = await dbHash(db);
    const r = await run(['people', 'add', '--last', 'Okafor']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ngo: error: missing required option: --first');
    expect(await dbHash(db)).toBe(before);
  });

  it('--no-input on a TTY still refuses to prompt', async () => {
    const { db } = await tmpDb();
    const r = await ngo(['--db', db, '--no-input', 'people', 'add'], { tty: true, prompter: scriptedPrompter([]) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--first');
  });

  it('prompts on a TTY for a missing value', async () => {
    const { db } = await tmpDb();
    const seen: string[] = [];
    // Every field no flag gave is asked (--last was given); Enter skips the optional ones.
    const answers = ['Ana', 'ana@example.org', ...Array<string>(16).fill(''), true];
    const r = await ngo(['--db', db, 'people', 'add', '--last', 'Okafor'], { tty: true, prompter: scriptedPrompter(answers, seen) });
    expect(r.code).toBe(0);
    expect(seen[0]).toBe('input: First name');
    expect(seen[1]).toBe('input: Email (optional)');
    expect(seen).not.toContain('input: Last name (optional)');
    expect(seen.at(-1)).toBe('confirm: Add Ana Okafor <ana@example.org> — save?');
    const show = await ngo(['--db', db, 'people', 'show', 'ANA@example.org', '--json']);
    expect(JSON.parse(show.stdout)[0]).toMatchObject({ first_name: 'Ana', last_name: 'Okafor', email: 'ana@example.org' });
  });

  it('write commands print the id alone on stdout and a summary on stderr', async () => {
    const { db } = await tmpDb();
    const r = await ngo(['--db', db, 'people', 'add', '--first', 'Ana']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('1\n');
    expect(r.stderr).toContain('Added Ana — person #1');
    const j = await ngo(['--db', db, 'people', 'add', '--first', 'Sam', '--json']);
    expect(JSON.parse(j.stdout)).toMatchObject({ id: 2, first_name: 'Sam', status: 'active' });
  });

  it('--quiet silences summaries', async () => {
    const { db } = await tmpDb();
    const r = await ngo(['--db', db, '--quiet', 'people', 'add', '--first', 'Ana']);
    expect(r.stdout).toBe('1\n');
    expect(r.stderr).toBe('');
  });

  it('piped list output is CSV, TTY output is a table, --json is JSON', async () => {
    const { db } = await tmpDb();
    const run = withDb(db);
    await run(['people', 'add', '--first', 'Ana', '--last', 'Okafor', '--rate', '85']);
    const csv = await run(['people', 'list']);
    expect(csv.stdout.split('\n')[0]).toBe(
      'id,external_id,first_name,last_name,email,phone,roles,credential,license_number,license_region,license_expires,hourly_rate,address_line1,address_line2,city,region,postal_code,country,joined_on,status,notes',
    );
    expect(csv.stdout.split('\n')[1]).toBe('1,,Ana,Okafor,,,,,,,,85.00,,,,,,,,active,');
    const table = await run(['people', 'list'], { tty: true, env: { NO_COLOR: '1' } });
    // On a terminal: the key columns, aligned, numbers right-aligned.
    expect(table.stdout).toBe(
      'id  first_name  last_name  email  external_id  roles  credential  city  status\n 1  Ana         Okafor                                                  active\n',
    );
    const json = await run(['people', 'list', '--json']);
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ id: 1, first_name: 'Ana', hourly_rate: 85 })]);
  });

  it('colour only on a TTY, never with NO_COLOR, TERM=dumb or --no-color', async () => {
    const { db } = await tmpDb();
    const tty = await ngo(['--db', db, 'people', 'add', '--first', 'Ana'], { tty: true });
    expect(tty.stderr).toMatch(ESC);
    for (const [args, env] of [
      [[], { NO_COLOR: '1' }],
      [[], { TERM: 'dumb' }],
      [['--no-color'], {}],
    ] as [string[], Record<string, string>][]) {
      const r = await ngo(['--db', db, ...args, 'people', 'add', '--first', 'Bo'], { tty: true, env });
      expect(r.code).toBe(0);
      expect(r.stderr + r.stdout).not.toMatch(ESC);
      const list = await ngo(['--db', db, ...args, 'people', 'list'], { tty: true, env });
      expect(list.stdout).not.toMatch(ESC);
      const err = await ngo(['--db', db, ...args, 'people', 'show', 'nobody@example.org'], { tty: true, env });
      expect(err.code).toBe(4);
      expect(err.stderr).not.toMatch(ESC);
    }
    const piped = await ngo(['--db', db, 'people', 'add', '--first', 'Cy']);
    expect(piped.stderr).not.toMatch(ESC);
  });

  it('errors are one clear line, with a hint; internal details only with --debug', async () => {
    const { db } = await tmpDb();
    await ngo(['--db', db, 'people', 'add', '--first', 'Ana', '--last', 'Okafor', '--email', 'ana@example.org']);
    const r = await ngo(['--db', db, 'people', 'show', 'ana@exampel.org']);
    expect(r.code).toBe(4);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe('ngo: error: no person matches "ana@exampel.org" (by id, email or external id)');
    expect(lines[1]).toContain('did you mean #1 Ana Okafor <ana@example.org>');
  });

  it('destructive actions need --yes without a TTY, and confirm on one', async () => {
    const { db } = await tmpDb();
    const run = withDb(db);
    await run(['people', 'add', '--first', 'Ana']);
    const before = await dbHash(db);
    const r = await run(['people', 'archive', '1', '--reason', 'moved']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--yes');
    expect(await dbHash(db)).toBe(before);
    const no = await run(['people', 'archive', '1', '--reason', 'moved'], { tty: true, prompter: scriptedPrompter([false]) });
    expect(no.code).toBe(2);
    expect(await dbHash(db)).toBe(before);
    const yes = await run(['people', 'archive', '1', '--reason', 'moved'], { tty: true, prompter: scriptedPrompter([true]) });
    expect(yes.code).toBe(0);
    expect(await dbHash(db)).not.toBe(before);
  });
});
