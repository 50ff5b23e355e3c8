/**
 * Start-up shortcuts must not change behaviour. `ngo --version` is answered by bin/ngo.js alone.
 * Only the command module an invocation names is loaded (commands/index.ts): the table of modules
 * must match what they register, and a command loaded alone must be the same command as in the
 * full program.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Command } from '../../src/commander.js';
import { buildProgram, commandName } from '../../src/cli.js';
import { COMMAND_MODULES } from '../../src/commands/index.js';
import type { Context } from '../../src/context.js';
import { Capture, ngo } from '../helpers.js';

const ctx = { stdout: new Capture(), stderr: new Capture(), env: {} } as unknown as Context;

/** Every command's help in a subtree, by path. */
function helpTree(cmd: Command, prefix = ''): Record<string, string> {
  const name = `${prefix}${cmd.name()}`;
  const out: Record<string, string> = { [name]: cmd.helpInformation() };
  for (const sub of cmd.commands) Object.assign(out, helpTree(sub, `${name} `));
  return out;
}

describe('ngo --version fast path', () => {
  it('prints what commander prints, exit 0', async () => {
    const bin = fileURLToPath(new URL('../../bin/ngo.js', import.meta.url));
    const expected = await ngo(['--version']);
    for (const flag of ['--version', '-V']) {
      const r = spawnSync(process.execPath, [bin, flag], { encoding: 'utf8' });
      expect({ code: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual(expected);
    }
  });
});

describe('lazy command loading', () => {
  it('each command module registers exactly the top-level commands it is listed with, in help order', async () => {
    for (const m of COMMAND_MODULES) {
      const program = new Command('ngo');
      for (const register of await m.load()) register(program, { app: () => expect.fail('no action runs here') });
      expect(program.commands.map((c) => c.name())).toEqual(m.commands.map((c) => c.name));
    }
    const full = await buildProgram(ctx, () => {});
    expect(full.commands.map((c) => c.name())).toEqual(COMMAND_MODULES.flatMap((m) => m.commands.map((c) => c.name)));
  });

  it('a command loaded alone is the same command as in the full program', async () => {
    const full = await buildProgram(ctx, () => {});
    for (const c of full.commands) {
      const alone = await buildProgram(ctx, () => {}, [c.name()]);
      const own = alone.commands.find((x) => x.name() === c.name());
      expect(own, c.name()).toBeDefined();
      expect(helpTree(own!)).toEqual(helpTree(c));
    }
  });

  it('finds the command after the global options, and gives up on anything else', async () => {
    const program = await buildProgram(ctx, () => {}, ['init']);
    const cases: [string[], string | undefined][] = [
      [['hours', 'log', '--db', 'x'], 'hours'],
      [['--db', 'x.db', 'hours', 'log'], 'hours'],
      [['--db=x.db', '--actor', 'Ana', 'people', 'list'], 'people'],
      [['--db', 'hours', 'people'], 'people'],
      [['--no-input', '--no-color', '--quiet', '--debug', 'report', 'tax'], 'report'],
      [['help', 'hours'], 'help'],
      [['--help', 'hours'], undefined],
      [['-h', 'hours'], undefined],
      [['--colour', 'hours'], undefined],
      [['--quiet=yes', 'hours'], undefined],
      [['--', 'hours'], undefined],
      [['--db'], undefined],
      [['--version'], undefined],
      [[], undefined],
    ];
    for (const [argv, name] of cases) expect(commandName(program, argv), argv.join(' ')).toBe(name);
  });
});
