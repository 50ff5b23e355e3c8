/**
 * Builds the program and runs one invocation against an injected Context. Returns the exit code;
 * never calls process.exit, so tests run commands in-process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from './commander.js';
import { App, type GlobalOptions } from './app.js';
import type { Context, OutStream } from './context.js';
import { ExitCode, IoError, NgoError, UsageError } from './errors.js';
import { ioFromSqlite, isSqliteFault, resolveDbPath } from './store/db.js';
import { terminalSafe } from './domain/text.js';
import { FileGuard, describeFsError } from './io/files.js';
import { prepareColours } from './io/colour.js';
import { prepareDisplayWidth } from './io/width.js';
import { setInterruptNote, setSavedNote, withSavedNote } from './io/signals.js';
import { helpGroupOf, loadCommands } from './commands/index.js';
import { MULTILINE_OPTIONS, OUTPUT_OPTIONS, UNCHECKED_OPTIONS, fileArguments } from './commands/common.js';
import { refuseControl } from './domain/text.js';

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
      // Commander's own errors quote what was typed: escaped like every other line.
      outputError: (s, write) =>
        write(
          `ngo: ${s.startsWith('error:') ? s : `error: ${s}`}`
            .split('\n')
            .map((l) => terminalSafe(l))
            .join('\n'),
        ),
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
  let current: App | undefined;
  const env = {
    /** The App of this invocation (one per run: the hook below and the action share it). */
    app(cmd: Command): App {
      if (current) return current;
      const g = cmd.optsWithGlobals() as GlobalOptions;
      current = new App(ctx, {
        db: g.db,
        actor: g.actor,
        input: g.input !== false,
        color: g.color !== false,
        quiet: g.quiet,
        debug: g.debug,
      });
      onApp(current);
      return current;
    },
  };
  // Before any action: every option value and argument is checked for control characters, and every
  // output file named on the command line against the database and the command's inputs (exit 3 / 2,
  // before anything is read or written).
  program.hook('preAction', (_self, action) => checkValues(env.app(action), action));
  for (const register of await loadCommands(argv && commandName(program, argv))) register(program, env);
  for (const c of program.commands) {
    const group = helpGroupOf(c.name());
    if (group) c.helpGroup(group);
  }
  return program;
}

function checkValues(app: App, cmd: Command): void {
  const opts = cmd.opts() as Record<string, unknown>;
  for (const o of cmd.options) {
    const key = o.attributeName();
    const v = opts[key];
    const values = typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    if (UNCHECKED_OPTIONS.has(key)) continue;
    // A CRLF is a line break like LF where line breaks are allowed (the value is normalised when stored).
    for (const x of values) refuseControl(MULTILINE_OPTIONS.has(key) ? x.replace(/\r\n/g, '\n') : x, o.long ?? key, { multiline: MULTILINE_OPTIONS.has(key) });
  }
  const args = cmd.args;
  for (const a of args) if (typeof a === 'string') refuseControl(a, 'an argument');
  const g = cmd.optsWithGlobals() as GlobalOptions;
  if (g.actor !== undefined) refuseControl(g.actor, '--actor');
  const declared = fileArguments(cmd);
  const isFile = (x: unknown): x is string => typeof x === 'string' && x !== '' && x !== '-';
  for (const [key, label] of Object.entries(OUTPUT_OPTIONS)) {
    const v = opts[key];
    // `--out "$UNSET"` must not quietly become standard output (a report of home addresses in a cron mail).
    if (typeof v === 'string' && v.trim() === '')
      throw new UsageError(`${label} is empty`, `give a file name, or leave ${label} out${key === 'out' ? ' to write to standard output' : ''}`);
    if (key !== 'outDir' && key !== 'letters' && typeof v === 'string' && (v.endsWith('/') || v.endsWith(path.sep))) {
      throw new UsageError(`${label} ${v} names a folder; give a file name`);
    }
  }
  // Positional file arguments that are empty (`db backup ""`), and `--rejects -` (no standard output for it).
  for (const d of declared) {
    const a = args[d.index];
    if (typeof a === 'string' && a.trim() === '') throw new UsageError(`${d.label} is empty`, 'give a file name');
  }
  if (opts['rejects'] === '-') throw new UsageError('--rejects needs a file name (standard output carries the summary)');
  for (const d of declared) if (d.role === 'input' && isFile(args[d.index])) app.protectInput(args[d.index]!);
  // `ngo report tax >> "$NGO_DB"`, `ngo people import in.csv --json 1<>in.csv`: standard output that is
  // the database or an input of the command.
  // Standard error first: when it is an input (`2>>in.csv`), not even the error may be written to it.
  if (app.ctx.stderrFd !== undefined && app.files.clashFd(app.ctx.stderrFd)) {
    app.ctx.stderr = SILENT;
    throw new UsageError('standard error is a file this command reads; refusing to write over it');
  }
  if (app.ctx.stdoutFd !== undefined) {
    const c = app.files.clashFd(app.ctx.stdoutFd);
    if (c) {
      const m = stdoutClash(c);
      throw new UsageError(m.message, m.hint);
    }
  }
  // A positional output (db backup FILE) never replaces a file: an existing one is its own exit 6.
  for (const d of declared)
    if (d.role === 'output' && isFile(args[d.index])) app.files.check(app.target(args[d.index]!, d.label).path, d.label, args[d.index], false);
  for (const [key, label] of Object.entries(OUTPUT_OPTIONS)) {
    const v = opts[key];
    if (isFile(v)) app.files.check(app.target(v, label).path, label, v);
  }
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

/**
 * `ngo --help >> "$NGO_DB"`: output that commander writes before any action (help, errors) must not go
 * into the database either. Checked against the database the arguments name, before anything runs.
 */
function streamsOntoDatabase(argv: readonly string[], ctx: Context): { stream: 'stdout' | 'stderr'; message: string; hint?: string } | null {
  const fds = [ctx.stdoutFd, ctx.stderrFd].filter((fd): fd is number => {
    try {
      return fd !== undefined && fs.fstatSync(fd).isFile(); // a terminal or a pipe: nothing to compare
    } catch {
      return false;
    }
  });
  if (fds.length === 0) return null;
  const i = argv.findIndex((a) => a === '--db' || a.startsWith('--db='));
  const flag = i < 0 ? undefined : argv[i]!.startsWith('--db=') ? argv[i]!.slice(5) : argv[i + 1];
  let db: string;
  try {
    db = resolveDbPath(flag, ctx.env, ctx.dataDir);
  } catch {
    return null; // the command will say what is wrong with the path
  }
  const guard = new FileGuard();
  guard.protectDatabase(db);
  if (ctx.stderrFd !== undefined && guard.clashFd(ctx.stderrFd)) return { stream: 'stderr', message: '' };
  const c = ctx.stdoutFd === undefined ? undefined : guard.clashFd(ctx.stdoutFd);
  return c ? { stream: 'stdout', ...stdoutClash(c) } : null;
}

/**
 * The refusal of standard output that is the database. With `>` the shell has already emptied the
 * file before ngo starts, which ngo cannot prevent: then the message says so and points to a backup,
 * rather than letting the user think the database is safe (fifth attack, finding 4).
 */
function stdoutClash(c: { what: string; real: string }): { message: string; hint: string } {
  const base = `standard output is ${c.what}${c.what.startsWith('the database') ? ` (${c.real})` : ''}`;
  let emptied = false;
  try {
    emptied = c.what.startsWith('the database') && fs.statSync(c.real).size === 0;
  } catch {
    /* gone: nothing to say */
  }
  if (emptied && c.what === 'the database') {
    return {
      message: `${base}, and the shell emptied it when it opened it for ">" (before ngo started); nothing was written to it`,
      hint: 'restore the latest backup: ngo db restore BACKUP --yes (then redirect the output to another file)',
    };
  }
  return { message: `${base}; refusing to write over it`, hint: 'redirect the output to another file' };
}

/** Where nothing may be written: standard error that is the database or an input of the command. */
const SILENT: OutStream = { write: () => true, isTTY: false };

/** Run one invocation. `argv` excludes the node binary and script path. */
export async function run(argv: string[], ctx: Context): Promise<number> {
  const intoDb = streamsOntoDatabase(argv, ctx);
  // `2<>"$NGO_DB"`: the error cannot be told where it would land in the database; exit 2 in silence.
  if (intoDb?.stream === 'stderr') return ExitCode.USAGE;
  if (intoDb) {
    ctx.stderr.write(`ngo: error: ${terminalSafe(intoDb.message)}\nhint: ${terminalSafe(intoDb.hint ?? '')}\n`);
    return ExitCode.USAGE;
  }
  setSavedNote(null); // process-wide: a run in the same process (the tests) starts with nothing saved
  setInterruptNote(null);
  const apps: App[] = [];
  const program = await buildProgram(ctx, (a) => apps.push(a), argv);
  await prepareColours(ctx);
  if (ctx.stdout.isTTY || argv.some((a) => a === 'table' || a === '--format=table')) await prepareDisplayWidth();
  const debug = argv.includes('--debug');
  const noColor = argv.includes('--no-color');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.OK;
  } catch (e) {
    let dbFile: string | undefined;
    try {
      dbFile = apps[0]?.dbPath;
    } catch {
      /* --db '' */
    }
    return reportError(e, ctx, { debug, color: !noColor, dbFile });
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

/** Errors of the file system that reach the top (a write that failed midway): exit 6, never 1. */
const FS_FAULTS = new Set([
  'ENOSPC',
  'EDQUOT',
  'EIO',
  'EROFS',
  'EACCES',
  'EPERM',
  'ENOENT',
  'ENOTDIR',
  'EISDIR',
  'EMFILE',
  'ENFILE',
  'EFBIG',
  'EBADF',
  'ENXIO',
  'ESTALE',
  'EEXIST',
  'ENAMETOOLONG',
  'ELOOP',
  'EXDEV',
  'EBUSY',
  'ETXTBSY',
  'EINVAL',
]);

/**
 * The one way a failure reaches the user: `ngo: error: …` on one line (escaped for the terminal),
 * an optional `hint: …`, and the documented exit code. SQLite's faults (damaged, read-only, full,
 * I/O) and the file system's become exit 6 here whichever command met them.
 */
function reportError(e: unknown, ctx: Context, opts: { debug: boolean; color: boolean; dbFile?: string }): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return ExitCode.OK;
    // Commander already printed its message.
    return ExitCode.USAGE;
  }
  const noColorEnv = ctx.env['NO_COLOR'];
  const color = opts.color && ctx.stderr.isTTY === true && !(noColorEnv !== undefined && noColorEnv !== '') && ctx.env['TERM'] !== 'dumb';
  const red = (s: string) => (color ? `\u001b[31m${s}\u001b[39m` : s);
  const dim = (s: string) => (color ? `\u001b[2m${s}\u001b[22m` : s);
  let err = e;
  if (!(err instanceof NgoError)) {
    if (isSqliteFault(err)) err = ioFromSqlite(err, opts.dbFile ?? 'the database');
    else {
      const x = err as NodeJS.ErrnoException;
      if (x && typeof x.code === 'string' && typeof x.syscall === 'string' && FS_FAULTS.has(x.code)) {
        err = new IoError(`cannot ${x.syscall}${x.path ? ` ${x.path}` : ''}: ${describeFsError(x)}`);
      }
    }
  }
  if (err instanceof NgoError) {
    // Standard output failing after a commit: the message says what was saved (a retry would repeat it).
    const message = err instanceof IoError && err.message.startsWith('cannot write standard output') ? withSavedNote(err.message) : err.message;
    ctx.stderr.write(red(`ngo: error: ${terminalSafe(message)}`) + '\n');
    if (err.hint) ctx.stderr.write(dim(`hint: ${terminalSafe(err.hint)}`) + '\n');
    if (opts.debug && err.stack) ctx.stderr.write(err.stack + '\n');
    return err.exitCode;
  }
  const x = err as Error;
  ctx.stderr.write(red(`ngo: error: internal error: ${terminalSafe(x?.message ?? String(err))}`) + '\n');
  if (opts.debug && x?.stack) ctx.stderr.write(x.stack + '\n');
  else ctx.stderr.write(dim('hint: run again with --debug for details, and report it if it persists') + '\n');
  return ExitCode.INTERNAL;
}
