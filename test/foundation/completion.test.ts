/**
 * `ngo completion bash|zsh`: the script is loaded into a real bash and asked to complete, the way a
 * shell does on TAB (COMP_WORDS / COMP_CWORD, then COMPREPLY).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ngo, tmpDb } from '../helpers.js';

const HAVE_BASH = spawnSync('bash', ['-c', 'true']).status === 0;

/** What bash offers for the words typed so far (the last one being completed). */
async function complete(script: string, words: string[]): Promise<string[]> {
  const { dir } = await tmpDb();
  const file = path.join(dir, 'ngo.bash');
  fs.writeFileSync(file, script);
  const arr = words.map((w) => `'${w.replace(/'/g, "'\\''")}'`).join(' ');
  const r = spawnSync(
    'bash',
    ['--norc', '--noprofile', '-c', `source '${file}'; COMP_WORDS=(${arr}); COMP_CWORD=${words.length - 1}; _ngo_complete; printf '%s\\n' "\${COMPREPLY[@]}"`],
    {
      cwd: dir,
      encoding: 'utf8',
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
    expect(await complete(s, ['ngo', 'supervision', 'p'])).toEqual(['progress']);
    expect(await complete(s, ['ngo', 'report', ''])).toEqual(expect.arrayContaining(['funder', 'tax', 'hours', 'supervision', 'grants']));
    expect(await complete(s, ['ngo', 'hours', 'log', 'ana@example.org', '--k'])).toEqual(['--km']);
    expect((await complete(s, ['ngo', 'report', 'funder', '--o'])).sort()).toEqual(['--out', '--out-dir']);
    // Global options after any command; flags before the noun do not confuse it.
    expect((await complete(s, ['ngo', 'people', 'list', '--no-'])).sort()).toEqual(['--no-color', '--no-input']);
    expect(await complete(s, ['ngo', '--db', '--quiet', 'grants', 'a'])).toEqual(['award']);
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
