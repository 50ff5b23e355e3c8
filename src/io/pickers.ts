/** Searchable pick lists for prompts: people, programs, funders. */
import type { App } from '../app.js';
import { personDirectory } from '../store/people.js';
import { listFunders, listPrograms } from '../store/orgs.js';
import { displayName } from '../domain/people.js';
import { isValidIsoDate } from '../domain/dates.js';
import { durationFromOptions } from '../domain/duration.js';
import type { Choice } from './prompt.js';
import { checkText, searchFold } from '../domain/text.js';

function filterChoices<T>(choices: Choice<T>[], term: string | undefined): Choice<T>[] {
  if (!term) return choices;
  const t = searchFold(term);
  return choices.filter((c) => searchFold(c.name).includes(t));
}

/** Ask for a person; returns a reference string (the numeric id). */
export async function pickPerson(app: App, message: string): Promise<string> {
  const choices = (await personDirectory(await app.db(), { activeOnly: true })).map((p) => ({
    name: `${displayName(p)}${p.email ? ` <${p.email}>` : ''}${p.external_id ? ` [${p.external_id}]` : ''}`,
    value: String(p.id),
  }));
  if (choices.length === 0) return app.prompter.input({ message: `${message} (id, email or external id)` });
  return app.prompter.search({ message, source: (term) => filterChoices(choices, term) });
}

export async function pickProgram(app: App, message = 'Program'): Promise<string> {
  const choices = (await listPrograms(await app.db(), 'active')).map((p) => ({ name: `${p.code} — ${p.name}`, value: p.code }));
  if (choices.length === 0) return app.prompter.input({ message: `${message} code` });
  return app.prompter.search({ message, source: (term) => filterChoices(choices, term) });
}

/** A program, or none: for records where the program is optional. */
export async function pickOptionalProgram(app: App, message = 'Program'): Promise<string | undefined> {
  const none = '';
  const choices = [
    { name: '(no program)', value: none },
    ...(await listPrograms(await app.db(), 'active')).map((p) => ({ name: `${p.code} — ${p.name}`, value: p.code })),
  ];
  const picked = await app.prompter.select<string>({ message, choices, default: none });
  return picked === none ? undefined : picked;
}

export async function pickFunder(app: App, message = 'Funder'): Promise<string> {
  const choices = (await listFunders(await app.db(), 'active')).map((f) => ({ name: `${f.code} — ${f.name}`, value: f.code }));
  if (choices.length === 0) return app.prompter.input({ message: `${message} code` });
  return app.prompter.search({ message, source: (term) => filterChoices(choices, term) });
}

/** A date prompt defaulting to today, validated as it is typed. */
export async function askDate(app: App, message = 'Date'): Promise<string> {
  return app.prompter.input({
    message: `${message} (YYYY-MM-DD)`,
    default: app.today(),
    validate: (s) => (isValidIsoDate(s.trim()) ? true : 'enter a real date as YYYY-MM-DD'),
  });
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
  const toMinutes = (s: string): number | undefined => {
    const t = s.trim();
    return durationFromOptions(t.includes(':') ? { duration: t } : { hours: t });
  };
  const answer = await app.prompter.input({
    message,
    validate: (s) => {
      try {
        return toMinutes(s) === undefined ? 'required' : true;
      } catch (e) {
        return (e as Error).message;
      }
    },
  });
  return toMinutes(answer)!;
}
