/**
 * Prompts. Commands talk to this interface; the inquirer implementation is imported lazily so that
 * start-up does not pay for it, and tests inject scripted answers.
 */
import { InterruptedError } from '../errors.js';
import type { InStream, OutStream } from '../context.js';
import { terminalSafe } from '../domain/text.js';

export interface Choice<T> {
  name: string;
  value: T;
  description?: string;
}

/**
 * Checks an answer as it is typed: true, or the one-line reason it is refused (the prompt then shows the
 * reason and asks again). May look into the database (an email already in use), hence a promise.
 */
export type Validate = (s: string) => true | string | Promise<true | string>;

export interface Prompter {
  input(o: { message: string; default?: string; validate?: Validate }): Promise<string>;
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

/** What a prompt shows of stored text (names in pick lists, a person in a confirmation): escaped. */
const safe = (s: string) => terminalSafe(s);
const safeChoices = <T>(cs: Choice<T>[]): Choice<T>[] =>
  cs.map((c) => ({ ...c, name: safe(c.name), description: c.description === undefined ? undefined : safe(c.description) }));
const safeValidate = (v?: Validate) =>
  v
    ? async (s: string) => {
        const r = await v(s);
        return r === true ? true : safe(r);
      }
    : undefined;

/**
 * Prompts drawn on `output` (stderr, so that stdout stays data only). Every message, default, choice
 * and validation message is escaped for the terminal, as every other output is: a name stored with an
 * escape code cannot clear the screen or rewrite a confirmation question.
 */
export function inquirerPrompter(input: InStream, output: OutStream): Prompter {
  const context = { input: input as NodeJS.ReadableStream, output: output as unknown as NodeJS.WritableStream, clearPromptOnDone: false };
  const load = () => import('@inquirer/prompts');
  return {
    async input(o) {
      const m = await load();
      const shown = o.default === undefined ? undefined : safe(o.default);
      const answer = await guard(m.input({ message: safe(o.message), default: shown, validate: safeValidate(o.validate) }, context));
      // The default as it is stored, not as it was shown.
      return shown !== undefined && answer === shown ? o.default! : answer;
    },
    async select<T>(o: { message: string; choices: Choice<T>[]; default?: T }) {
      const m = await load();
      return guard(m.select<T>({ message: safe(o.message), choices: safeChoices(o.choices), default: o.default, pageSize: 12 }, context));
    },
    async search<T>(o: { message: string; source: (term: string | undefined) => Choice<T>[] }) {
      const m = await load();
      return guard(m.search<T>({ message: safe(o.message), source: async (term) => safeChoices(o.source(term)), pageSize: 12 }, context));
    },
    async confirm(o) {
      const m = await load();
      return guard(m.confirm({ message: safe(o.message), default: o.default }, context));
    },
  };
}
