/**
 * Shell completion (`ngo completion bash|zsh`), generated from the command tree so that it never drifts
 * from the commands: nouns, verbs, options, and the values of options and positional arguments.
 *
 * Where a value comes from is decided, for every option and argument, by (in order) the value table
 * below (`noun/verb:name`, then `noun:name`, then `name`), then commander's own choices (--format,
 * --status, …), else nothing: free text (a note, an amount, a date) is never completed with file names.
 * A new command gets its completion from its definitions; a new kind of value is a row in a table.
 *
 * Values that live in the database (people, program and funder codes) are asked of `ngo __complete
 * SOURCE -- PREFIX` at TAB time, against the database the command line names (--db) or NGO_DB. It
 * reads only (a file opened read-only, never created or migrated; a server with a short connect
 * timeout) and says nothing on failure: no database, no answer.
 */
import type { Command, Option } from '../commander.js';
import type { App } from '../app.js';
import { ACTIVITIES } from '../domain/hours.js';
import { ROLES } from '../domain/people.js';
import { RELATIVE_PERIODS } from '../domain/period.js';
import { SETTING_DEFAULTS } from '../domain/settings.js';
import { connect } from '../store/db.js';
import { LATEST_SCHEMA_VERSION } from '../store/schema.js';
import { PgConn } from '../store/pg-conn.js';
import type { Conn } from '../store/conn.js';
import { SqliteConn } from '../store/sqlite-conn.js';

/** Where the values of an option or argument come from. */
export type ValueSource =
  | { kind: 'words'; words: readonly string[] }
  /** Looked up in the database at TAB time (`ngo __complete NAME`). */
  | { kind: 'db'; name: DbSource }
  | { kind: 'files' }
  | { kind: 'dirs' }
  /** Free text: nothing is offered. */
  | { kind: 'none' };

const words = (w: readonly string[]): ValueSource => ({ kind: 'words', words: w });
const PEOPLE: ValueSource = { kind: 'db', name: 'people' };
const PROGRAMS: ValueSource = { kind: 'db', name: 'programs' };
const FUNDERS: ValueSource = { kind: 'db', name: 'funders' };
const FILES: ValueSource = { kind: 'files' };
const DIRS: ValueSource = { kind: 'dirs' };
const NONE: ValueSource = { kind: 'none' };

/**
 * Options by commander attribute name (camelCase), optionally qualified by `noun:` or `noun/verb:`.
 * Options with choices need no row.
 */
export const OPTION_VALUES: Record<string, ValueSource> = {
  db: FILES,
  out: FILES,
  rejects: FILES,
  outDir: DIRS,
  letters: DIRS,
  activity: words(ACTIVITIES),
  period: words(RELATIVE_PERIODS),
  program: PROGRAMS,
  funder: FUNDERS,
  person: PEOPLE,
  supervisor: PEOPLE,
  supervisee: PEOPLE,
  mentor: PEOPLE,
  mentee: PEOPLE,
  grantee: PEOPLE,
  role: words(ROLES),
  roles: words(ROLES),
};

/** Positional arguments by name, optionally qualified like OPTION_VALUES. */
export const ARGUMENT_VALUES: Record<string, ValueSource> = {
  file: FILES,
  person: PEOPLE,
  grantee: PEOPLE,
  mentor: PEOPLE,
  mentee: PEOPLE,
  'people:ref': PEOPLE,
  funder: FUNDERS,
  'programs:code': PROGRAMS,
  'funders:code': FUNDERS,
  // A new code is the user's to invent.
  'programs/add:code': NONE,
  'funders/add:code': NONE,
  shell: words(['bash', 'zsh']),
  'config:key': words(Object.keys(SETTING_DEFAULTS)),
  'rates/set:kind': words(['volunteer-hour', 'mileage']),
};

/** The source of `name` in `table` for the command at `path` (noun or noun/verb). */
function lookup(table: Record<string, ValueSource>, path: string, name: string): ValueSource | undefined {
  const noun = path.split('/')[0]!;
  return table[`${path}:${name}`] ?? table[`${noun}:${name}`] ?? table[name];
}

export function optionSource(path: string, o: Option): ValueSource {
  const own = lookup(OPTION_VALUES, path, o.attributeName());
  if (own) return own;
  if (o.argChoices && o.argChoices.length > 0) return words(o.argChoices);
  return NONE;
}

export function argumentSource(path: string, name: string): ValueSource {
  return lookup(ARGUMENT_VALUES, path, name) ?? NONE;
}

// ---- the script --------------------------------------------------------------------------------

const takesValue = (o: Option) => o.required || o.optional;
const visible = (c: Command) => !(c as unknown as { _hidden?: boolean })._hidden;
const names = (c: Command) => c.options.map((o) => o.long).filter((x): x is string => Boolean(x));

/** One `case` arm setting `src` (and `words`) for a pattern of "PATH OPTION" or "PATH #N". */
function arm(pattern: string, s: ValueSource): string | undefined {
  if (s.kind === 'none') return undefined;
  const body = s.kind === 'words' ? `src=words; words="${s.words.join(' ')}"` : s.kind === 'db' ? `src=db; words="${s.name}"` : `src=${s.kind}`;
  return `    ${pattern}) ${body};;`;
}

export function completionScript(program: Command, shell: 'bash' | 'zsh'): string {
  const top = program.commands.filter(visible);
  const specs: string[] = [];
  const values: string[] = [];
  const add = (path: string, c: Command) => {
    const subs = c.commands.filter(visible).map((s) => s.name());
    const vopts = c.options.filter(takesValue).map((o) => o.long);
    specs.push(`    ${path}) subs="${subs.join(' ')}"; opts="${names(c).join(' ')}"; vopts=" ${vopts.join(' ')} ";;`);
    for (const o of c.options.filter(takesValue)) {
      const a = arm(`"${path} ${o.long}"`, optionSource(path, o));
      if (a) values.push(a);
    }
    c.registeredArguments.forEach((a, i) => {
      const x = arm(a.variadic ? `"${path} #"*` : `"${path} #${i}"`, argumentSource(path, a.name()));
      if (x) values.push(x);
    });
  };
  for (const c of top) {
    add(c.name(), c);
    for (const s of c.commands.filter(visible)) add(`${c.name()}/${s.name()}`, s);
  }
  const globals = names(program).concat(['--help']);
  const globalValues = program.options
    .filter(takesValue)
    .map((o) => arm(`*" ${o.long}"`, optionSource('', o)))
    .filter((x): x is string => x !== undefined);
  const gvopts = program.options.filter(takesValue).map((o) => o.long);
  const body = `_ngo_spec() {
  subs=""; opts=""; vopts=" "
  case "$1" in
    "") subs="${top.map((c) => c.name()).join(' ')}";;
${specs.join('\n')}
  esac
}
_ngo_values() {
  src=""; words=""
  case "$1 $2" in
${values.join('\n')}
${globalValues.join('\n')}
  esac
}
_ngo_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  local noun="" verb="" key="" w i npos=0 want="" db="" subs opts vopts src words
  local gvopts=" ${gvopts.join(' ')} "
  _ngo_spec ""
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    if [[ -n "$want" ]]; then
      # bash splits --opt=value at "=": the "=" is not the value.
      [[ "$w" == "=" ]] && continue
      [[ "$want" == "--db" ]] && db="$w"
      want=""; continue
    fi
    if [[ "$w" == -* ]]; then
      [[ "$w" == --db=* ]] && db="\${w#--db=}"
      [[ "$w" != *=* && ( "$vopts" == *" $w "* || "$gvopts" == *" $w "* ) ]] && want="$w"
      continue
    fi
    if [[ -z "$noun" ]]; then noun="$w"; key="$w"; _ngo_spec "$key"
    elif [[ -z "$verb" && -n "$subs" ]]; then verb="$w"; key="$noun/$w"; _ngo_spec "$key"
    else npos=$((npos + 1)); fi
  done
  COMPREPLY=()
  if [[ -n "$want" ]]; then
    [[ "$cur" == "=" ]] && cur=""
    _ngo_values "$key" "$want"
  elif [[ "$cur" == --*=* ]]; then
    w="\${cur%%=*}"; cur="\${cur#*=}"
    _ngo_values "$key" "$w"
  elif [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts ${globals.join(' ')}" -- "$cur") )
    return 0
  elif [[ -n "$subs" && -z "$verb" ]]; then
    COMPREPLY=( $(compgen -W "$subs" -- "$cur") )
    return 0
  else
    _ngo_values "$key" "#$npos"
  fi
  case "$src" in
    words) COMPREPLY=( $(compgen -W "$words" -- "$cur") );;
    files) compopt -o filenames 2>/dev/null; COMPREPLY=( $(compgen -f -- "$cur") );;
    dirs) compopt -o filenames 2>/dev/null; COMPREPLY=( $(compgen -d -- "$cur") );;
    db)
      local line
      local -a dbarg=()
      # The line as typed: a ~ the shell would expand when it runs the command.
      [[ "$db" == "~/"* ]] && db="$HOME/\${db#"~/"}"
      [[ -n "$db" ]] && dbarg=(--db "$db")
      while IFS= read -r line; do [[ -n "$line" ]] && COMPREPLY+=( "$line" ); done < <(ngo "\${dbarg[@]}" --no-input __complete "$words" -- "$cur" 2>/dev/null </dev/null)
      ;;
  esac
  return 0
}
`;
  if (shell === 'bash') return `# bash completion for ngo\n${body}complete -F _ngo_complete ngo\n`;
  return `#compdef ngo\n# zsh completion for ngo (uses bash completion emulation)\nautoload -U +X bashcompinit && bashcompinit\n${body}complete -F _ngo_complete ngo\n`;
}

// ---- values from the database --------------------------------------------------------------------

/** A value a shell may insert as it is: no quoting needed, nothing a shell would read specially. */
const SHELL_SAFE = /^[A-Za-z0-9._@+-]+$/;

/** The lookups `ngo __complete` answers. */
export const DB_SOURCES = {
  /** How one types a person: the email, else the external id, else the id. */
  async people(db: Conn): Promise<string[]> {
    const rows = await db.all<{ id: number; email: string | null; external_id: string | null }>(
      'SELECT id, email, external_id FROM people WHERE erased_at IS NULL ORDER BY id',
    );
    return rows.map((p) => [p.email, p.external_id].find((x) => x !== null && SHELL_SAFE.test(x)) ?? String(p.id));
  },
  async programs(db: Conn): Promise<string[]> {
    return (await db.all<{ code: string }>('SELECT code FROM programs ORDER BY code')).map((r) => r.code);
  },
  async funders(db: Conn): Promise<string[]> {
    return (await db.all<{ code: string }>('SELECT code FROM funders ORDER BY code')).map((r) => r.code);
  },
} as const;
export type DbSource = keyof typeof DB_SOURCES;

/** Seconds a TAB waits for a database server before it offers nothing. */
const SERVER_TIMEOUT_S = 2;

/** The database, for reading only, or undefined when there is none to read (no file, another schema version). */
async function readOnlyConn(app: App): Promise<(Conn & { done(): Promise<void> }) | undefined> {
  if (app.onServer) {
    const url = new URL(app.dbTarget);
    if (!url.searchParams.has('connect_timeout')) url.searchParams.set('connect_timeout', String(SERVER_TIMEOUT_S));
    const c = await PgConn.connect(url.toString(), { applicationName: 'ngo completion' });
    return Object.assign(c, { done: () => c.close() });
  }
  const raw = connect(app.dbPath, { readonly: true, fileMustExist: true, timeout: 1000 });
  if ((raw.pragma('user_version', { simple: true }) as number) !== LATEST_SCHEMA_VERSION) {
    raw.close();
    return undefined;
  }
  return Object.assign(new SqliteConn(raw), {
    done: async () => {
      raw.close();
    },
  });
}

/** The values of `source` that start with `prefix` (case-insensitively), one a line; nothing on any failure. */
export async function completeValues(app: App, source: string, prefix: string): Promise<string> {
  if (!Object.hasOwn(DB_SOURCES, source)) return '';
  let conn: Awaited<ReturnType<typeof readOnlyConn>> = undefined;
  try {
    conn = await readOnlyConn(app);
    if (!conn) return '';
    const all = await DB_SOURCES[source as DbSource](conn);
    const p = prefix.toLowerCase();
    return all
      .filter((v) => SHELL_SAFE.test(v) && v.toLowerCase().startsWith(p))
      .map((v) => `${v}\n`)
      .join('');
  } catch {
    return '';
  } finally {
    await conn?.done().catch(() => undefined);
  }
}
