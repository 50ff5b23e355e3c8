/**
 * `ngo completion bash|zsh`: the script is loaded into a real bash and asked to complete, the way a
 * shell does on TAB (COMP_WORDS / COMP_CWORD, then COMPREPLY).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mustSucceed, ngo, tmpDb, withDb } from '../helpers.js';

const HAVE_BASH = spawnSync('bash', ['-c', 'true']).status === 0;

const ROOT = path.resolve(__dirname, '../..');
const BUILT = fs.existsSync(path.join(ROOT, 'dist', 'ngo.js'));

/** A folder with an `ngo` that runs this worktree's build: the command the script asks at TAB time. */
function shimDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngo-shim-'));
  fs.writeFileSync(path.join(dir, 'ngo'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, 'bin', 'ngo.js')}" "$@"\n`, { mode: 0o755 });
  return dir;
}

/** What bash offers for the words typed so far (the last one being completed). */
async function complete(script: string, words: string[], env: Record<string, string> = {}): Promise<string[]> {
  const { dir } = await tmpDb({ create: false });
  const file = path.join(dir, 'ngo.bash');
  fs.writeFileSync(file, script);
  fs.mkdirSync(path.join(dir, 'reports'));
  const arr = words.map((w) => `'${w.replace(/'/g, "'\\''")}'`).join(' ');
  const r = spawnSync(
    'bash',
    ['--norc', '--noprofile', '-c', `source '${file}'; COMP_WORDS=(${arr}); COMP_CWORD=${words.length - 1}; _ngo_complete; printf '%s\\n' "\${COMPREPLY[@]}"`],
    {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NGO_DB: '', ...env },
    },
  );
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').filter((l) => l !== '');
}

describe.skipIf(!HAVE_BASH)('ngo completion', () => {
  it('bash: nouns, verbs of a noun, options of a verb, global options', async () => {
    const r = await ngo(['completion', 'bash']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# bash completion for ngo\n/);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('complete -F _ngo_complete ngo');
    expect(spawnSync('bash', ['-n'], { input: r.stdout }).status).toBe(0); // valid syntax
    const s = r.stdout;
    expect(await complete(s, ['ngo', 'h'])).toEqual(['hours']);
    expect(await complete(s, ['ngo', 'm'])).toEqual(['mentorship']);
    expect(await complete(s, ['ngo', 'hours', ''])).toEqual(['log', 'list', 'approve', 'reject', 'edit', 'void', 'import', 'reopen']);
    expect(await complete(s, ['ngo', 'supervision', 'p'])).toEqual(['progress', 'plan']);
    expect(await complete(s, ['ngo', 'report', ''])).toEqual(expect.arrayContaining(['funder', 'tax', 'hours', 'supervision', 'grants']));
    expect(await complete(s, ['ngo', 'hours', 'log', 'ana@example.org', '--k'])).toEqual(['--km']);
    expect((await complete(s, ['ngo', 'report', 'funder', '--o'])).sort()).toEqual(['--out', '--out-dir']);
    // Global options after any command; flags before the noun do not confuse it.
    expect((await complete(s, ['ngo', 'people', 'list', '--no-'])).sort()).toEqual(['--no-color', '--no-input']);
    expect(await complete(s, ['ngo', '--db', '--quiet', 'grants', 'a'])).toEqual(['award']);
  });

  it('values, not file names: --format, --activity, --period, choices; free text offers nothing; paths offer files', async () => {
    const s = (await ngo(['completion', 'bash'])).stdout;
    expect(await complete(s, ['ngo', 'report', 'funder', '--format', ''])).toEqual(['table', 'csv', 'json']);
    // The same flag name, another command: its own values.
    expect(await complete(s, ['ngo', 'supervision', 'add', '--format', ''])).toEqual(['individual', 'triadic', 'group']);
    expect(await complete(s, ['ngo', 'hours', 'list', '--activity', 'pe'])).toEqual(['peer-support']);
    expect(await complete(s, ['ngo', 'hours', 'log', '--activity', ''])).toEqual([
      'direct-service',
      'supervision',
      'training',
      'peer-support',
      'outreach',
      'admin',
      'other',
    ]);
    expect(await complete(s, ['ngo', 'report', 'hours', '--period', 'last'])).toEqual(['last-month', 'last-quarter', 'last-year']);
    expect(await complete(s, ['ngo', 'report', 'hours', '--by', ''])).toEqual(['person', 'program', 'activity', 'month']);
    expect(await complete(s, ['ngo', 'people', 'import', 'x.csv', '--date-format', ''])).toEqual(['iso', 'mdy', 'dmy']);
    expect(await complete(s, ['ngo', 'people', 'list', '--role', 'sup'])).toEqual(['supervisor', 'supervisee']);
    // --opt=value, as bash splits it at "=".
    expect(await complete(s, ['ngo', 'hours', 'list', '--format', '=', 'c'])).toEqual(['csv']);
    expect(await complete(s, ['ngo', 'completion', ''])).toEqual(['bash', 'zsh']);
    // Free text and numbers: nothing (the folder holds ngo.bash and reports/, which must not be offered).
    for (const words of [
      ['ngo', 'hours', 'log', 'ana', '--note', ''],
      ['ngo', 'grants', 'award', '--amount', ''],
      ['ngo', 'hours', 'log', '--date', ''],
      ['ngo', 'people', 'add', '--email', ''],
      ['ngo', 'programs', 'add', ''],
    ])
      expect(await complete(s, words), words.join(' ')).toEqual([]);
    // Paths: files for --out, --db, import FILE, backup FILE; folders for --out-dir.
    expect((await complete(s, ['ngo', 'report', 'funder', '--out', ''])).sort()).toEqual(['ngo.bash', 'reports']);
    expect(await complete(s, ['ngo', 'people', 'import', 'n'])).toEqual(['ngo.bash']);
    expect(await complete(s, ['ngo', 'db', 'backup', 'n'])).toEqual(['ngo.bash']);
    expect(await complete(s, ['ngo', '--db', 'n'])).toEqual(['ngo.bash']);
    expect(await complete(s, ['ngo', 'report', 'funder', '--out-dir', ''])).toEqual(['reports']);
    // A value option's value is not taken for the verb or a positional.
    expect(await complete(s, ['ngo', '--actor', 'sam', 'hours', 'l'])).toEqual(['log', 'list']);
  });

  it.skipIf(!BUILT)('program and funder codes and people from the database (--db on the line, or NGO_DB); nothing without one', async () => {
    const { db } = await tmpDb();
    const ok = mustSucceed(withDb(db));
    await ok(['programs', 'add', 'TELE', '--name', 'Tele-therapy']);
    await ok(['programs', 'add', 'TRAIN', '--name', 'Training']);
    await ok(['programs', 'add', 'PEER', '--name', 'Peer support']);
    await ok(['funders', 'add', 'HOPE', '--name', 'Hope']);
    await ok(['people', 'add', '--first', 'Ana', '--last', 'Okafor', '--email', 'ana@example.org']);
    await ok(['people', 'add', '--first', 'Ana', '--last', 'Okafor', '--external-id', 'V-7']);
    // Neither value is safe to insert into a command line unquoted: the id stands for the person.
    await ok(['people', 'add', '--first', 'Amy', '--external-id', 'a b;rm']);
    const s = (await ngo(['completion', 'bash'])).stdout;
    const env = { PATH: `${shimDir()}:${process.env['PATH']}` };
    const on = (words: string[]) => complete(s, ['ngo', '--db', db, ...words], env);
    expect(await on(['hours', 'log', 'x', '--program', 'T'])).toEqual(['TELE', 'TRAIN']);
    expect(await on(['hours', 'log', 'x', '--program', 'te'])).toEqual(['TELE']);
    expect(await on(['programs', 'edit', ''])).toEqual(['PEER', 'TELE', 'TRAIN']);
    expect(await on(['funders', 'fund', ''])).toEqual(['HOPE']);
    expect(await on(['funders', 'fund', 'HOPE', '--program', 'P'])).toEqual(['PEER']);
    expect(await on(['grants', 'award', 'x', '--funder', ''])).toEqual(['HOPE']);
    expect(await on(['hours', 'log', ''])).toEqual(['ana@example.org', 'V-7', '3']);
    expect(await on(['supervision', 'add', '--supervisee', 'a'])).toEqual(['ana@example.org']);
    expect(await on(['mentorship', 'pair', 'ana@example.org', 'V'])).toEqual(['V-7']);
    expect(await on(['people', 'show', 'v'])).toEqual(['V-7']);
    // --db ~/… as typed (the shell expands it only when the command runs).
    if (!/^postgres/.test(db))
      expect(await complete(s, ['ngo', '--db', `~/${path.basename(db)}`, 'funders', 'fund', ''], { ...env, HOME: path.dirname(db) })).toEqual(['HOPE']);
    // The database from NGO_DB, as the command itself would use it.
    expect(await complete(s, ['ngo', 'report', 'funder', '--funder', ''], { ...env, NGO_DB: db })).toEqual(['HOPE']);
    // No database: nothing, quietly, and none is created.
    const missing = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ngo-none-')), 'none.db');
    expect(await complete(s, ['ngo', '--db', missing, 'hours', 'log', 'x', '--program', ''], env)).toEqual([]);
    expect(fs.existsSync(missing)).toBe(false);
    const r = await ngo(['--db', missing, '__complete', 'programs']);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await ngo(['--db', db, '__complete', 'nonsense'])).stdout).toBe('');
  });

  it('zsh: the same table through bashcompinit', async () => {
    const r = await ngo(['completion', 'zsh']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^#compdef ngo\n/);
    expect(r.stdout).toContain('bashcompinit');
    // Apart from the zsh preamble, it is the bash script.
    const bash = (await ngo(['completion', 'bash'])).stdout;
    expect(r.stdout).toContain(bash.split('\n').slice(1).join('\n'));
  });

  it('another shell is a usage error (exit 2)', async () => {
    const r = await ngo(['completion', 'fish']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ngo: error: unsupported shell "fish" (expected bash or zsh)\n');
    expect(r.stdout).toBe('');
  });
});
