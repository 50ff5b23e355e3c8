/**
 * The audit log stores values as the database does: money in cents, miles in hundredths. Shown as
 * stored, `"expenses":[0,1234567891]` read as an amount 100 times too large (fourth attack, finding 3).
 * `ngo audit` shows these fields in their units, with exactly two places, `"expenses":[0,12345678.91]`.
 * Which fields are in hundredths is data: the field names, whatever the entity.
 */
import { formatCents } from './money.js';
import { formatHours } from './duration.js';

export const HUNDREDTHS_FIELDS: ReadonlySet<string> = new Set([
  'amount', // grants, disbursements, funding agreements: cents
  'expenses', // hours: cents
  'hourly_rate', // people: cents an hour
  'miles', // hours: hundredths of a mile
  'volunteer-hour', // rates set: cents an hour
  'mileage', // rates set: cents a mile
  'hours_served', // tax letters: hundredths of an hour
  'mileage_rate', // tax letters: cents a mile
  'mileage_amount', // tax letters: cents
  'total_deductible', // tax letters: cents
  'largest_single_contribution', // tax letters: cents
]);

const NAMES_HUNDREDTHS = new RegExp(`"(${[...HUNDREDTHS_FIELDS].join('|')})"`);

/** A stored `changes` text as its object of fields, or null when it is not a JSON object. */
function changesObject(changes: string): Record<string, unknown> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(changes);
  } catch {
    return null;
  }
  return parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) ? null : (parsed as Record<string, unknown>);
}

/** A stored `changes` JSON text with the hundredths fields written in units; any other text as it is. */
export function changesInUnits(changes: string | null): string | null {
  // A number too long to pass through JSON.parse exactly: the text is shown as stored.
  if (changes === null || !NAMES_HUNDREDTHS.test(changes) || /\d{16,}/.test(changes)) return changes;
  const parsed = changesObject(changes);
  if (parsed === null) return changes;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    const inUnits =
      HUNDREDTHS_FIELDS.has(key) && Array.isArray(value)
        ? `[${value.map((v) => (typeof v === 'number' && Number.isSafeInteger(v) ? formatCents(v) : JSON.stringify(v))).join(',')}]`
        : JSON.stringify(value);
    parts.push(`${JSON.stringify(key)}:${inUnits}`);
  }
  return `{${parts.join(',')}}`;
}

/** The names an audit line shows for the ids it holds (people's names, program and funder codes). */
export interface AuditNames {
  person(id: number): string | undefined;
  program(id: number): string | undefined;
  funder(id: number): string | undefined;
}

/** Fields holding a person's id, a program's or a funder's, and how `ngo audit` names them on a terminal. */
const PERSON_FIELDS: Record<string, string> = {
  person_id: 'person',
  grantee_id: 'grantee',
  supervisor_id: 'supervisor',
  mentor_id: 'mentor',
  mentee_id: 'mentee',
};
/** Fields in minutes, shown as hours (2 places) under this name. */
const MINUTES_FIELDS: Record<string, string> = { minutes: 'hours', service_minutes: 'service_hours' };
/** Fields stored as 0/1. */
const YES_NO_FIELDS: ReadonlySet<string> = new Set(['reimbursed', 'licensed']);

/**
 * A stored `changes` JSON text as a person reads it on a terminal: `field: value` for a record made,
 * `field: before → after` for a change, joined by `; `. Amounts and miles with two places
 * (12.50, not 1250), minutes as hours, 0/1 as no/yes, people by name and programs and funders by
 * code, each with its id kept (`person: Ana Okafor (#12)`). CSV and JSON keep the stored form
 * (changesInUnits). Text that is not such an object, or holds a number too long for JSON.parse,
 * is returned in units as it is.
 */
export function describeChanges(changes: string | null, names: AuditNames): string | null {
  if (changes === null || /\d{16,}/.test(changes)) return changesInUnits(changes);
  const parsed = changesObject(changes);
  if (parsed === null) return changes;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    const pair = Array.isArray(value) && value.length === 2 ? value : undefined;
    let label = key;
    let show = (v: unknown): string => (v === null || v === undefined || v === '' ? '(empty)' : typeof v === 'string' ? v : JSON.stringify(v));
    const id = (v: unknown, name: (n: number) => string | undefined) =>
      typeof v === 'number' && Number.isSafeInteger(v) ? `${name(v) ?? '?'} (#${v})` : show(v);
    if (PERSON_FIELDS[key]) {
      label = PERSON_FIELDS[key];
      const plain = show;
      show = (v) => (v === null ? plain(v) : id(v, (n) => names.person(n)));
    } else if (key === 'supervisee_ids') {
      label = 'supervisees';
      const plain = show;
      show = (v) =>
        typeof v === 'string' && /^\d+(,\d+)*$/.test(v)
          ? v
              .split(',')
              .map((n) => `${names.person(Number(n)) ?? '?'} (#${n})`)
              .join(', ')
          : plain(v);
    } else if (key === 'program_id' || key === 'funder_id') {
      label = key === 'program_id' ? 'program' : 'funder';
      const plain = show;
      const name = key === 'program_id' ? (n: number) => names.program(n) : (n: number) => names.funder(n);
      show = (v) => (v === null ? plain(v) : id(v, name));
    } else if (HUNDREDTHS_FIELDS.has(key)) {
      const plain = show;
      show = (v) => (typeof v === 'number' && Number.isSafeInteger(v) ? formatCents(v) : plain(v));
    } else if (MINUTES_FIELDS[key]) {
      label = MINUTES_FIELDS[key];
      const plain = show;
      show = (v) => (typeof v === 'number' && Number.isSafeInteger(v) ? formatHours(v) : plain(v));
    } else if (YES_NO_FIELDS.has(key)) {
      const plain = show;
      show = (v) => (v === 1 ? 'yes' : v === 0 ? 'no' : plain(v));
    } else if (key.endsWith('_id') && typeof pair?.[1] === 'number') {
      const plain = show;
      show = (v) => (typeof v === 'number' ? `#${v}` : plain(v));
    }
    if (!pair) parts.push(`${label}: ${show(value)}`);
    else if (pair[0] === null) parts.push(`${label}: ${show(pair[1])}`);
    else parts.push(`${label}: ${show(pair[0])} → ${show(pair[1])}`);
  }
  return parts.join('; ');
}
