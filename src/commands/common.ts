/** Shared pieces of command definitions. */
import { Command, Option } from '../commander.js';
import type { App } from '../app.js';
import { ValidationError } from '../errors.js';
import { resolvePeriod, type Period } from '../domain/period.js';

/** Handed to each command module: builds the App for an action from the parsed global options. */
export interface CommandEnv {
  app(cmd: Command): App;
}

/**
 * Which of a command's values name files, so that one check (cli.ts, before the action runs) can
 * refuse an output that is the database, one of its side files or an input of the same command.
 * Options are found by name (OUTPUT_OPTIONS); positional file arguments are declared with fileArgument.
 */
export const OUTPUT_OPTIONS: Record<string, string> = { out: '--out', outDir: '--out-dir', rejects: '--rejects', letters: '--letters' };
const FILE_ARGUMENTS = new WeakMap<Command, { index: number; role: 'input' | 'output'; label: string }[]>();

/** Declare positional argument `index` of `cmd` as an input or an output file (`-` is stdin/stdout). */
export function fileArgument(cmd: Command, index: number, role: 'input' | 'output', label: string): Command {
  FILE_ARGUMENTS.set(cmd, [...(FILE_ARGUMENTS.get(cmd) ?? []), { index, role, label }]);
  return cmd;
}

export function fileArguments(cmd: Command): { index: number; role: 'input' | 'output'; label: string }[] {
  return FILE_ARGUMENTS.get(cmd) ?? [];
}

/**
 * Options whose values are free text that may hold line breaks (notes, topics, goals, descriptions);
 * every other option value is one line. Both refuse control characters (domain/text.ts).
 */
export const MULTILINE_OPTIONS = new Set(['note', 'notes', 'topic', 'goals', 'description', 'purpose']);
/** Options whose values are not stored text (a delimiter may be a tab; paths are checked as files). */
export const UNCHECKED_OPTIONS = new Set(['delimiter']);

export type Register = (program: Command, env: CommandEnv) => void;

/** --format table|csv|json, --json and --columns (src/output.ts printRows, printShow, reportText). */
export function withFormat(cmd: Command): Command {
  return cmd
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']))
    .option('--json', 'same as --format json')
    .option('--columns <a,b,c>', 'only these columns, in this order (their names: the CSV header; an unknown one lists them)');
}

/** --json only (write commands: print the record instead of its id). */
export function withJson(cmd: Command): Command {
  return cmd.option('--json', 'print the record as JSON instead of its id');
}

/** Report output options: --out, --format, --json, --bom. */
export function withReportOutput(cmd: Command): Command {
  return withFormat(cmd)
    .option('--out <file>', 'write to FILE instead of stdout ("-" = stdout)')
    .option('--bom', 'prepend a UTF-8 byte order mark (for Excel)');
}

/** Help text with examples, shown after the options. */
export function examples(cmd: Command, ...lines: string[]): Command {
  return cmd.addHelpText('after', '\nExamples:\n' + lines.map((l) => `  $ ${l}`).join('\n') + '\n');
}

/** The options every CSV import shares (SPEC "Imports"). */
export function withImportOptions(cmd: Command): Command {
  fileArgument(cmd, 0, 'input', 'the input');
  return cmd
    .argument('<file>', 'CSV file, or - for standard input')
    .option('--dry-run', 'validate and report what would happen; write nothing')
    .option('--skip-invalid', 'import the valid rows and skip the invalid ones')
    .option('--rejects <file>', 'write the invalid rows to FILE as CSV with line and error columns')
    .option('--map <Header=field>', 'map a column to a field (repeatable; "Header=-" ignores a column)', collect)
    .addOption(
      new Option(
        '--date-format <format>',
        'slash dates as mdy (M/D/YYYY) or dmy (D/M/YYYY); iso: YYYY-MM-DD only (default: the one reading that fits every row)',
      ).choices(['iso', 'mdy', 'dmy']),
    )
    .option('--delimiter <c>', 'field delimiter (default: detected among , ; tab)')
    .option('--encoding <name>', "the file's encoding: utf-8 (default), windows-1252, latin1, utf-16le (a UTF-16 byte order mark is read by itself)")
    .option('--decimal-comma', 'read 1,5 as 1.5 (default when the delimiter is ;)')
    .option('--no-decimal-comma', 'a ; file whose decimals are written 1.5')
    .option('--strict', 'unknown columns are an error');
}

/**
 * The CSV imports, loaded when one runs: they bring the streaming CSV reader, csv-parse and the
 * import engine, which no other command needs (start-up time).
 */
export async function importPeople(...args: Parameters<typeof import('../io/people-import.js').importPeople>) {
  return (await import('../io/people-import.js')).importPeople(...args);
}
export async function importHours(...args: Parameters<typeof import('../io/hours-import.js').importHours>) {
  return (await import('../io/hours-import.js')).importHours(...args);
}

/** Collect repeatable option values (e.g. --map "A=b" --map "C=d"). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** A flag value parsed by `fn`; its validation error names the flag. */
export function flag<T>(name: string, value: string | undefined, fn: (s: string) => T): T | undefined {
  if (value === undefined) return undefined;
  try {
    return fn(value);
  } catch (e) {
    if (e instanceof ValidationError && !e.message.includes(name)) throw new ValidationError(`${name}: ${e.message}`, e.hint);
    throw e;
  }
}

/** --hours / --minutes / --duration (one of them). */
export function withDuration(cmd: Command): Command {
  return cmd
    .option('--hours <h>', 'duration in decimal hours, e.g. 1.5 or 0.25')
    .option('--minutes <m>', 'duration in minutes, e.g. 90')
    .option('--duration <h:mm>', 'duration as H:MM, e.g. 1:30');
}

export interface PeriodOptions {
  period?: string;
  from?: string;
  to?: string;
}

/** --period P or --from D --to D (SPEC "Periods"). */
export function withPeriod(cmd: Command): Command {
  return cmd
    .option('--period <p>', 'e.g. 2026, 2026-Q3, 2026-10, FY2026, this-month, last-month, this-quarter, last-quarter, this-year, last-year, ytd')
    .option('--from <date>', 'from this date (inclusive), YYYY-MM-DD')
    .option('--to <date>', 'to this date (inclusive), YYYY-MM-DD (default with --from: today)');
}

/** The period the options name, if any (relative periods resolve against the injected clock). */
export async function periodOf(app: App, opts: PeriodOptions): Promise<Period | undefined> {
  return resolvePeriod({ period: opts.period, from: opts.from, to: opts.to }, { today: app.today(), fiscalYearStart: await app.fiscalYearStart() });
}
