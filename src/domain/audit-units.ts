/**
 * The audit log stores values as the database does: money in cents, miles in hundredths. Shown as
 * stored, `"expenses":[0,1234567891]` read as an amount 100 times too large (fourth attack, finding 3).
 * `ngo audit` shows these fields in their units, with exactly two places, `"expenses":[0,12345678.91]`.
 * Which fields are in hundredths is data: the field names, whatever the entity.
 */
import { formatCents } from './money.js';

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

/** A stored `changes` JSON text with the hundredths fields written in units; any other text as it is. */
export function changesInUnits(changes: string | null): string | null {
  // A number too long to pass through JSON.parse exactly: the text is shown as stored.
  if (changes === null || !NAMES_HUNDREDTHS.test(changes) || /\d{16,}/.test(changes)) return changes;
  let parsed: unknown;
  try {
    parsed = JSON.parse(changes);
  } catch {
    return changes;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return changes;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    const inUnits =
      HUNDREDTHS_FIELDS.has(key) && Array.isArray(value)
        ? `[${value.map((v) => (typeof v === 'number' && Number.isSafeInteger(v) ? formatCents(v) : JSON.stringify(v))).join(',')}]`
        : JSON.stringify(value);
    parts.push(`${JSON.stringify(key)}:${inUnits}`);
  }
  return `{${parts.join(',')}}`;
}
