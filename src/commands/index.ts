/**
 * Every command module, in help order, with the top-level commands each one registers.
 *
 * Modules are imported on demand (start-up time: each pulls in its domain, store and io modules):
 * an invocation of one top-level command loads only the module that registers it; the program's own
 * help, completion (generated from the whole tree) and anything not recognised load them all, so
 * what commander sees for those is the full program, exactly as if everything were imported.
 */
import type { Register } from './common.js';

/** The areas `ngo --help` lists the commands under, in order. */
export const HELP_GROUPS = {
  start: 'Getting started:',
  directory: 'People, programs and funders:',
  activity: 'Volunteer activity:',
  reports: 'Reports:',
  database: 'The database:',
} as const;

interface CommandModule {
  /** The top-level commands (names, no aliases) that `load`'s register functions add, in order, each with its help area. */
  commands: readonly { name: string; group: keyof typeof HELP_GROUPS }[];
  load: () => Promise<Register[]>;
}

/** The one registry of commands: what loads them, and where help lists them. */
export const COMMAND_MODULES: readonly CommandModule[] = [
  { commands: [{ name: 'demo', group: 'start' }], load: async () => [(await import('./demo.js')).registerDemo] },
  {
    commands: [
      { name: 'init', group: 'start' },
      { name: 'config', group: 'start' },
      { name: 'db', group: 'database' },
      { name: 'audit', group: 'database' },
      { name: 'completion', group: 'start' },
      // Hidden: what the completion script asks at TAB time.
      { name: '__complete', group: 'start' },
    ],
    load: async () => [(await import('./admin.js')).registerAdmin],
  },
  { commands: [{ name: 'status', group: 'start' }], load: async () => [(await import('./status.js')).registerStatus] },
  { commands: [{ name: 'people', group: 'directory' }], load: async () => [(await import('./people.js')).registerPeople] },
  { commands: [{ name: 'programs', group: 'directory' }], load: async () => [(await import('./orgs.js')).registerPrograms] },
  { commands: [{ name: 'funders', group: 'directory' }], load: async () => [(await import('./orgs.js')).registerFunders] },
  { commands: [{ name: 'grants', group: 'activity' }], load: async () => [(await import('./grants.js')).registerGrants] },
  { commands: [{ name: 'rates', group: 'reports' }], load: async () => [(await import('./rates.js')).registerRates] },
  { commands: [{ name: 'report', group: 'reports' }], load: async () => [(await import('./report.js')).registerReport] },
  { commands: [{ name: 'hours', group: 'activity' }], load: async () => [(await import('./hours.js')).registerHours] },
  { commands: [{ name: 'supervision', group: 'activity' }], load: async () => [(await import('./supervision.js')).registerSupervision] },
  { commands: [{ name: 'mentorship', group: 'activity' }], load: async () => [(await import('./mentorship.js')).registerMentorship] },
];

/** The help area of a top-level command. */
export function helpGroupOf(name: string): string | undefined {
  for (const m of COMMAND_MODULES) for (const c of m.commands) if (c.name === name) return HELP_GROUPS[c.group];
  return undefined;
}

/** Commands that need every other command registered: `completion` prints the whole tree. */
const NEEDS_ALL = new Set(['completion']);

/**
 * The register functions for an invocation of top-level command `name`: only its module's when
 * `name` is one of ours, else (no command, `help`, a typo, completion) all of them, in help order.
 */
export async function loadCommands(name?: string): Promise<Register[]> {
  const own = name === undefined || NEEDS_ALL.has(name) ? undefined : COMMAND_MODULES.find((m) => m.commands.some((c) => c.name === name));
  const modules = own ? [own] : COMMAND_MODULES;
  return (await Promise.all(modules.map((m) => m.load()))).flat();
}
