/**
 * People: the roster fields, their parsing and validation. Used by `people add/edit` and the roster import.
 */
import { ValidationError } from '../errors.js';
import { parseDate } from './dates.js';
import { parseMoney } from './money.js';
import { checkText, isPlausibleEmail, normalizeEmail, searchFold } from './text.js';

export const ROLES = ['volunteer', 'supervisor', 'supervisee', 'mentor', 'mentee', 'grantee', 'staff'] as const;
export type Role = (typeof ROLES)[number];

/** Roster fields in contract order (SPEC "Imports"; also the `people export` columns). */
export const ROSTER_FIELDS = [
  'external_id',
  'first_name',
  'last_name',
  'email',
  'phone',
  'roles',
  'credential',
  'license_number',
  'license_region',
  'license_expires',
  'hourly_rate',
  'address_line1',
  'address_line2',
  'city',
  'region',
  'postal_code',
  'country',
  'joined_on',
  'status',
  'notes',
] as const;
export type RosterField = (typeof ROSTER_FIELDS)[number];

/** A person's stored values (hourly_rate in cents). */
export interface PersonValues {
  external_id: string | null;
  first_name: string;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  roles: string | null;
  credential: string | null;
  license_number: string | null;
  license_region: string | null;
  license_expires: string | null;
  hourly_rate: number | null;
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  region: string | null;
  postal_code: string | null;
  country: string | null;
  joined_on: string | null;
  status: 'active' | 'inactive';
  notes: string | null;
}

export interface Person extends PersonValues {
  id: number;
  archived_reason: string | null;
  erased_at: string | null;
  created_at: string;
  updated_at: string;
}

export function parseRoles(s: string): string {
  const roles = s
    .split(/[,;|/]/)
    .map((r) => r.trim().toLowerCase())
    .filter((r) => r.length > 0);
  for (const r of roles) {
    if (!(ROLES as readonly string[]).includes(r)) {
      throw new ValidationError(`unknown role "${r}" (roles: ${ROLES.join(', ')})`);
    }
  }
  return Array.from(new Set(roles)).join(',');
}

export function parseStatus(s: string): 'active' | 'inactive' {
  const v = s.trim().toLowerCase();
  if (v === 'active' || v === 'inactive') return v;
  if (v === 'archived') return 'inactive';
  throw new ValidationError(`invalid status "${s}" (expected active or inactive)`);
}

/**
 * Parse one roster field from its text form. Returns the stored value; '' is never passed here
 * (empty cells mean "leave alone" on import, and "clear" only via `people edit --field ""`).
 */
export function parseField(field: RosterField, raw: string): string | number {
  const v = raw.trim();
  switch (field) {
    case 'email': {
      const e = normalizeEmail(v);
      if (!isPlausibleEmail(e)) throw new ValidationError(`invalid email "${v}"`);
      return e;
    }
    case 'roles':
      return parseRoles(v);
    case 'license_expires':
      return parseDate(v, 'iso', 'license_expires');
    case 'joined_on':
      return parseDate(v, 'iso', 'joined_on');
    case 'hourly_rate': {
      const cents = parseMoney(v, 'hourly_rate');
      if (cents === 0) throw new ValidationError(`invalid hourly_rate "${v}" (must be more than 0; leave it empty for a general volunteer)`);
      return cents;
    }
    case 'status':
      return parseStatus(v);
    case 'first_name':
    case 'last_name':
      // Names are kept as typed (accents and all), trimmed.
      return checkText(v, field);
    case 'notes':
      // The one multi-line roster field: line breaks kept as \n (a spreadsheet's CRLF included).
      return checkText(v.replace(/\r\n?/g, '\n'), field, { multiline: true });
    default:
      // Identifiers and postal codes keep leading zeros: always text.
      return checkText(v, field);
  }
}

/** Display name: "First Last". */
export function displayName(p: { first_name: string; last_name: string | null }): string {
  return p.last_name ? `${p.first_name} ${p.last_name}` : p.first_name;
}

export function emptyPerson(): PersonValues {
  return {
    external_id: null,
    first_name: '',
    last_name: null,
    email: null,
    phone: null,
    roles: null,
    credential: null,
    license_number: null,
    license_region: null,
    license_expires: null,
    hourly_rate: null,
    address_line1: null,
    address_line2: null,
    city: null,
    region: null,
    postal_code: null,
    country: null,
    joined_on: null,
    status: 'active',
    notes: null,
  };
}

/**
 * `people list --search TEXT`: the text in the name ("first last" or "last, first"), email or external
 * id, ignoring case and accents (searchFold); or, when it holds at least 3 digits and nothing but
 * digits, spaces and phone punctuation, in the phone's digits (`617 555` finds `(617) 555-0100`).
 */
export function personMatches(p: Pick<Person, 'first_name' | 'last_name' | 'email' | 'external_id' | 'phone'>, text: string): boolean {
  const q = searchFold(text);
  if (q === '') return true;
  const fields = [p.first_name, p.last_name, p.email, p.external_id, `${p.first_name} ${p.last_name ?? ''}`, `${p.last_name ?? ''}, ${p.first_name}`];
  if (fields.some((f) => f !== null && searchFold(f).includes(q))) return true;
  const digits = text.replace(/\D/g, '');
  return /^[\d\s()+.\-/]+$/.test(text.trim()) && digits.length >= 3 && p.phone !== null && p.phone.replace(/\D/g, '').includes(digits);
}

/**
 * The key a whole name is matched by (imports: Contract v2 "a full name that matches exactly one
 * person"): case, accents and spacing ignored. "Last, First" is read as first then last.
 */
export function fullNameKey(first: string, last: string | null | undefined): string {
  return searchFold(last ? `${first} ${last}` : first);
}

/** The key of a name cell: "First Last" as written, or "Last, First" turned round (a suffix such as ", Jr." stays with the last name). */
export function nameCellKey(cell: string, split: (s: string) => { first: string; last: string }): string {
  if (!cell.includes(',')) return searchFold(cell);
  const { first, last } = split(cell);
  return fullNameKey(first, last);
}
