/**
 * Builds the program and runs one invocation against an injected Context. Returns the exit code;
 * never calls process.exit, so tests run commands in-process.
 */
import fs from 'node:fs';
import { Command, CommanderError } from './commander.js';
import { App, type GlobalOptions } from './app.js';
import type { Context } from './context.js';
import { ExitCode, NgoError } from './errors.js';
import { prepareColours } from './io/colour.js';
import { loadCommands } from './commands/index.js';

/** `ngo --help` lists the commands by area. */
const HELP_GROUPS: Record<string, string> = {
  demo: 'Getting started:',
  init: 'Getting started:',
  config: 'Getting started:',
  completion: 'Getting started:',
  people: 'People, programs and funders:',
  programs: 'People, programs and funders:',
  funders: 'People, programs and funders:',
  hours: 'Volunteer activity:',
  supervision: 'Volunteer activity:',
  mentorship: 'Volunteer activity:',
  grants: 'Volunteer activity:',
  report: 'Reports:',
  rates: 'Reports:',
  db: 'The database:',
  audit: 'The database:',
};

let cachedVersion: string | undefined;
export function version(): string {
  if (!cachedVersion) {
    const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    cachedVersion = pkg.version;
  }
  return cachedVersion;
}

/**
 * The program for one invocation. With `argv`, only the command module of the top-level command it
 * names is loaded (see commands/index.ts); without, every command is registered.
 */
export async function buildProgram(ctx: Context, onApp: (app: App) => void, argv?: readonly string[]): Promise<Command> {
  const program = new Command('ngo');
  program
    .description('Volunteer hours, supervision, mentorship, grants and funder/tax reports for NGOs, in one SQLite file.')
    .version(version(), '-V, --version', 'print the version')
    .option('--db <path>', 'database file (default: $NGO_DB, else the per-user data directory)')
    .option('--actor <name>', 'who is making the change, for the audit log (default: $NGO_ACTOR, else the OS user)')
    .option('--no-input', 'never prompt; missing values are an error (exit 2)')
    .option('--no-color', 'no colour in output')
    .option('--quiet', 'no summaries or progress on stderr')
    .option('--debug', 'show stack traces of internal errors')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
      outputError: (s, write) => write(`ngo: ${s.startsWith('error:') ? s : `error: ${s}`}`),
    });
  program.addHelpText(
    'after',
    `
Exit codes: 0 ok, 1 internal error, 2 usage, 3 invalid data, 4 not found, 5 conflict, 6 file/database I/O, 130 interrupted.

Examples:
  $ ngo demo --db /tmp/demo.db          try it on sample data
  $ ngo people add --first Ana --last Okafor --email ana@example.org --roles volunteer
  $ ngo people import roster.csv --dry-run
  $ ngo report funder --funder HOPE --period last-month --out hope.csv
`,
  );
  const env = {
    app(cmd: Command): App {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const app = new App(ctx, {
        db: g.db,
        actor: g.actor,
        input: g.input !== false,
        color: g.color !== false,
        quiet: g.quiet,
        debug: g.debug,
      });
      onApp(app);
      return app;
    },
  };
  for (const register of await loadCommands(argv && commandName(program, argv))) register(program, env);
  for (const c of program.commands) {
    const group = HELP_GROUPS[c.name()];
    if (group) c.helpGroup(group);
  }
  return program;
}

/**
 * The top-level command `argv` names, read as commander reads it: after the program's own options
 * (skipping the value of those that take one). Undefined when there is none, or when anything else
 * (help, an unknown option, `--`) comes first: then everything is loaded and commander decides.
 */
export function commandName(program: Command, argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-')) return arg;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const option = program.options.find((o) => o.long === flag || o.short === flag);
    if (!option || option.optional || (flag !== arg && !option.required)) return undefined;
    if (option.required && flag === arg) i++;
  }
  return undefined;
}

/** Run one invocation. `argv` excludes the node binary and script path. */
export async function run(argv: string[], ctx: Context): Promise<number> {
  const apps: App[] = [];
  const program = await buildProgram(ctx, (a) => apps.push(a), argv);
  await prepareColours(ctx);
  const debug = argv.includes('--debug');
  const noColor = argv.includes('--no-color');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.OK;
  } catch (e) {
    return reportError(e, ctx, { debug, color: !noColor });
  } finally {
    for (const a of apps) {
      try {
        a.close();
      } catch {
        /* closing after a failure must not hide the failure */
      }
    }
  }
}

function reportError(e: unknown, ctx: Context, opts: { debug: boolean; color: boolean }): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return ExitCode.OK;
    // Commander already printed its message.
    return ExitCode.USAGE;
  }
  const noColorEnv = ctx.env['NO_COLOR'];
  const color = opts.color && ctx.stderr.isTTY === true && !(noColorEnv !== undefined && noColorEnv !== '') && ctx.env['TERM'] !== 'dumb';
  const red = (s: string) => (color ? `\u001b[31m${s}\u001b[39m` : s);
  const dim = (s: string) => (color ? `\u001b[2m${s}\u001b[22m` : s);
  if (e instanceof NgoError) {
    ctx.stderr.write(red(`ngo: error: ${e.message}`) + '\n');
    if (e.hint) ctx.stderr.write(dim(`hint: ${e.hint}`) + '\n');
    if (opts.debug && e.stack) ctx.stderr.write(e.stack + '\n');
    return e.exitCode;
  }
  const err = e as Error;
  ctx.stderr.write(red(`ngo: error: internal error: ${err?.message ?? String(e)}`) + '\n');
  if (opts.debug && err?.stack) ctx.stderr.write(err.stack + '\n');
  else ctx.stderr.write(dim('hint: run again with --debug for details, and report it if it persists') + '\n');
  return ExitCode.INTERNAL;
}
