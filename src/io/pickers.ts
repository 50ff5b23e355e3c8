/**
 * What prompts ask with: searchable pick lists (people, programs, funders) and typed answers.
 *
 * Every typed answer is checked, as it is typed, by the same function that parses the flag it stands
 * for (one rule, not two copies): an invalid answer shows that function's one-line reason and the
 * prompt asks again, instead of ending the command after the user has answered everything.
 */
import type { App } from '../app.js';
import { NgoError } from '../errors.js';
import { personDirectory, type DirectoryEntry } from '../store/people.js';
import { listFunders, listPrograms } from '../store/orgs.js';
import { resolveFunder, resolvePerson, resolveProgram } from '../services/refs.js';
import { displayName } from '../domain/people.js';
import { parseDate } from '../domain/dates.js';
import { assertNotFuture } from '../domain/hours.js';
import { durationFromOptions } from '../domain/duration.js';
import type { Choice, Validate } from './prompt.js';
import { checkText, searchFold } from '../domain/text.js';

function filterChoices<T>(choices: Choice<T>[], term: string | undefined): Choice<T>[] {
  if (!term) return choices;
  const t = searchFold(term);
  return choices.filter((c) => searchFold(c.name).includes(t));
}

/**
 * The reason a parser refused an answer, as the prompt shows it (the error's own message), or the
 * error itself when it is not a refusal of the value (a fault: it ends the command as it would anyway).
 */
export async function reasonOf(check: () => unknown): Promise<true | string> {
  try {
    await check();
    return true;
  } catch (e) {
    if (e instanceof NgoError) return e.message;
    throw e;
  }
}

export interface AskOptions<T> {
  /** Enter on an empty answer gives undefined (the value is optional). */
  optional?: boolean;
  default?: string;
  /** A further check of the parsed value (e.g. an email already in use): throws the refusal. */
  check?: (v: T) => unknown;
}

/**
 * A typed answer parsed by `parse` — the parser of the flag it stands for — and re-asked until it
 * parses (and passes `check`). Empty answers are undefined when optional, refused ("required") when not.
 */
export async function askParsed<T>(app: App, message: string, parse: (s: string) => T, o: AskOptions<T> & { optional: true }): Promise<T | undefined>;
export async function askParsed<T>(app: App, message: string, parse: (s: string) => T, o?: AskOptions<T>): Promise<T>;
export async function askParsed<T>(app: App, message: string, parse: (s: string) => T, o: AskOptions<T> = {}): Promise<T | undefined> {
  const validate: Validate = (s) => {
    if (s.trim() === '') return o.optional ? true : 'required';
    return reasonOf(async () => {
      const v = parse(s);
      if (o.check) await o.check(v);
    });
  };
  const answer = await app.prompter.input({ message, default: o.default, validate });
  return answer.trim() === '' ? undefined : parse(answer);
}

/** How a pick list shows a person: enough to tell two "Ana Okafor"s apart (email, external id, roles, #id). */
export function personLabel(p: Pick<DirectoryEntry, 'first_name' | 'last_name' | 'email' | 'external_id' | 'roles'> & { id?: number }): string {
  const parts = [displayName(p)];
  if (p.email) parts.push(`<${p.email}>`);
  if (p.external_id) parts.push(`[${p.external_id}]`);
  if (p.roles) parts.push(`(${p.roles.split(',').join(', ')})`);
  if (p.id !== undefined) parts.push(`#${p.id}`);
  return parts.join(' ');
}

/** The pick list of people new records may name. */
export async function personChoices(app: App): Promise<Choice<string>[]> {
  return (await personDirectory(await app.db(), { activeOnly: true })).map((p) => ({ name: personLabel(p), value: `#${p.id}` }));
}

/** Ask for a person; returns a reference string (`#id`, which resolves to exactly that person). */
export async function pickPerson(app: App, message: string): Promise<string> {
  const choices = await personChoices(app);
  if (choices.length === 0) {
    const db = await app.db();
    return (await askParsed(app, `${message} (id, email or external id)`, (s) => s.trim(), { check: (s) => resolvePerson(db, s) }))!;
  }
  return app.prompter.search({ message, source: (term) => filterChoices(choices, term) });
}

type Org = { code: string; name: string };
const orgChoice = (o: Org): Choice<string> => ({ name: `${o.code} — ${o.name}`, value: o.code });

async function pickOrg(app: App, message: string, list: Org[], resolve: (s: string) => Promise<unknown>): Promise<string> {
  const choices = list.map(orgChoice);
  if (choices.length === 0) return (await askParsed(app, `${message} code`, (s) => s.trim(), { check: resolve }))!;
  return app.prompter.search({ message, source: (term) => filterChoices(choices, term) });
}

/** One of a list, or none: for references that are optional (a grant's funder, a session's program). */
async function pickOptionalOrg(app: App, message: string, list: Org[], none: string): Promise<string | undefined> {
  const NONE = '';
  const choices = [{ name: none, value: NONE }, ...list.map(orgChoice)];
  const picked = await app.prompter.select<string>({ message, choices, default: NONE });
  return picked === NONE ? undefined : picked;
}

export async function pickProgram(app: App, message = 'Program'): Promise<string> {
  const db = await app.db();
  return pickOrg(app, message, await listPrograms(db, 'active'), (s) => resolveProgram(db, s));
}

/** A program, or none: for records where the program is optional. */
export async function pickOptionalProgram(app: App, message = 'Program'): Promise<string | undefined> {
  return pickOptionalOrg(app, message, await listPrograms(await app.db(), 'active'), '(no program)');
}

export async function pickFunder(app: App, message = 'Funder'): Promise<string> {
  const db = await app.db();
  return pickOrg(app, message, await listFunders(db, 'active'), (s) => resolveFunder(db, s));
}

/** A funder, or none. */
export async function pickOptionalFunder(app: App, message = 'Funder'): Promise<string | undefined> {
  return pickOptionalOrg(app, message, await listFunders(await app.db(), 'active'), '(no funder)');
}

/**
 * A date prompt defaulting to today, validated as it is typed (a real date; not after today unless
 * `allowFuture`, the rule the command applies to the flag).
 */
export async function askDate(app: App, message = 'Date', o: { allowFuture?: boolean; default?: string } = {}): Promise<string> {
  return (await askParsed(
    app,
    `${message} (YYYY-MM-DD)`,
    (s) => {
      const d = parseDate(s.trim(), 'iso', 'date');
      if (o.allowFuture === false) assertNotFuture(d, app.today(), false);
      return d;
    },
    { default: o.default ?? app.today() },
  ))!;
}

/** A text answer, checked as it is typed: required when asked, at most 2,000 characters, no control characters. */
export async function askText(app: App, message: string, opts: { required?: boolean; default?: string; multiline?: boolean } = {}): Promise<string> {
  return app.prompter.input({
    message,
    default: opts.default,
    validate: (s) => {
      if (opts.required && s.trim() === '') return 'required';
      try {
        checkText(s, 'the answer', { multiline: opts.multiline });
        return true;
      } catch (e) {
        return (e as Error).message;
      }
    },
  });
}

/** A duration prompt: decimal hours (1.5) or H:MM (1:30), validated as it is typed; returns minutes. */
export async function askDuration(app: App, message = 'Duration (hours, e.g. 1.5, or H:MM, e.g. 1:30)'): Promise<number> {
  return (await askParsed(app, message, (s) => {
    const t = s.trim();
    return durationFromOptions(t.includes(':') ? { duration: t } : { hours: t })!;
  }))!;
}
