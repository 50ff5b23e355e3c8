/** Record ids as users write them. Pure. */
import { UsageError } from '../errors.js';

/**
 * A record id: `12` or `#12` (SPEC: `#N` always means the record with numeric id N). Anything else is
 * a usage error naming the kind of record and where to find the ids.
 */
export function parseRecordId(s: string, what: string, see?: string): number {
  const m = /^#?(\d{1,15})$/.exec(s.trim());
  if (!m || Number(m[1]) === 0) throw new UsageError(`invalid ${what} id "${s}" (expected a number, e.g. 12${see ? `; see ${see}` : ''})`);
  return Number(m[1]);
}
