/**
 * Every command module, in help order, with the top-level commands each one registers.
 *
 * Modules are imported on demand (start-up time: each pulls in its domain, store and io modules):
 * an invocation of one top-level command loads only the module that registers it; the program's own
 * help, completion (generated from the whole tree) and anything not recognised load them all, so
 * what commander sees for those is the full program, exactly as if everything were imported.
 */
import type { Register } from './common.js';

interface CommandModule {
  /** The top-level commands (names, no aliases) that `load`'s register functions add. */
  names: readonly string[];
  load: () => Promise<Register[]>;
}

export const COMMAND_MODULES: readonly CommandModule[] = [
  { names: ['demo'], load: async () => [(await import('./demo.js')).registerDemo] },
  { names: ['init', 'config', 'db', 'audit', 'completion'], load: async () => [(await import('./admin.js')).registerAdmin] },
  { names: ['people'], load: async () => [(await import('./people.js')).registerPeople] },
  { names: ['programs'], load: async () => [(await import('./orgs.js')).registerPrograms] },
  { names: ['funders'], load: async () => [(await import('./orgs.js')).registerFunders] },
  { names: ['grants'], load: async () => [(await import('./grants.js')).registerGrants] },
  { names: ['rates'], load: async () => [(await import('./rates.js')).registerRates] },
  { names: ['report'], load: async () => [(await import('./report.js')).registerReport] },
  { names: ['hours'], load: async () => [(await import('./hours.js')).registerHours] },
  { names: ['supervision'], load: async () => [(await import('./supervision.js')).registerSupervision] },
  { names: ['mentorship'], load: async () => [(await import('./mentorship.js')).registerMentorship] },
];

/** Commands that need every other command registered: `completion` prints the whole tree. */
const NEEDS_ALL = new Set(['completion']);

/**
 * The register functions for an invocation of top-level command `name`: only its module's when
 * `name` is one of ours, else (no command, `help`, a typo, completion) all of them, in help order.
 */
export async function loadCommands(name?: string): Promise<Register[]> {
  const own = name === undefined || NEEDS_ALL.has(name) ? undefined : COMMAND_MODULES.find((m) => m.names.includes(name));
  const modules = own ? [own] : COMMAND_MODULES;
  return (await Promise.all(modules.map((m) => m.load()))).flat();
}
