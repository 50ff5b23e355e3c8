/**
 * Prompts. Commands talk to this interface; the inquirer implementation is imported lazily so that
 * start-up does not pay for it, and tests inject scripted answers.
 */
import { InterruptedError } from '../errors.js';
import type { InStream, OutStream } from '../context.js';

export interface Choice<T> {
  name: string;
  value: T;
  description?: string;
}

export interface Prompter {
  input(o: { message: string; default?: string; validate?: (s: string) => true | string }): Promise<string>;
  select<T>(o: { message: string; choices: Choice<T>[]; default?: T }): Promise<T>;
  /** A pick list filtered by what the user types. */
  search<T>(o: { message: string; source: (term: string | undefined) => Choice<T>[] }): Promise<T>;
  confirm(o: { message: string; default?: boolean }): Promise<boolean>;
}

function isPromptExit(e: unknown): boolean {
  const name = (e as { name?: string })?.name;
  return name === 'ExitPromptError' || name === 'AbortPromptError';
}

async function guard<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (isPromptExit(e)) throw new InterruptedError();
    throw e;
  }
}

/** Prompts drawn on `output` (stderr, so that stdout stays data only). */
export function inquirerPrompter(input: InStream, output: OutStream): Prompter {
  const context = { input: input as NodeJS.ReadableStream, output: output as unknown as NodeJS.WritableStream, clearPromptOnDone: false };
  const load = () => import('@inquirer/prompts');
  return {
    async input(o) {
      const m = await load();
      return guard(m.input({ message: o.message, default: o.default, validate: o.validate }, context));
    },
    async select<T>(o: { message: string; choices: Choice<T>[]; default?: T }) {
      const m = await load();
      return guard(m.select<T>({ message: o.message, choices: o.choices, default: o.default, pageSize: 12 }, context));
    },
    async search<T>(o: { message: string; source: (term: string | undefined) => Choice<T>[] }) {
      const m = await load();
      return guard(m.search<T>({ message: o.message, source: async (term) => o.source(term), pageSize: 12 }, context));
    },
    async confirm(o) {
      const m = await load();
      return guard(m.confirm({ message: o.message, default: o.default }, context));
    },
  };
}
