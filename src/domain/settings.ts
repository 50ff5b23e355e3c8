/** Settings kept in the database, with defaults and validation (`ngo config`). */
import { ValidationError, UsageError } from '../errors.js';
import { checkText } from './text.js';

export const SETTING_DEFAULTS = {
  'org.name': '',
  currency: 'USD',
  fiscal_year_start: '1',
  'csv.bom': 'false',
  // What the acknowledgment letters (`report tax --letters`) state: none has a default.
  'org.legal_name': '',
  'org.ein': '',
  'org.address': '',
  'org.signer_name': '',
  'org.signer_title': '',
} as const;

/** The settings a letter needs, in the order a refusal names them. */
export const LETTER_SETTINGS = ['org.legal_name', 'org.ein', 'org.address', 'org.signer_name', 'org.signer_title'] as const;

/** At most this many lines in org.address (a letterhead, not a document). */
export const MAX_ADDRESS_LINES = 6;

/**
 * An EIN (Employer Identification Number): nine digits, written NN-NNNNNNN. Taken with or without the
 * dash (and with spaces around it); stored in the written form.
 */
export function normalizeEin(value: string): string {
  const m = /^(\d{2})\s*-?\s*(\d{7})$/.exec(value.trim());
  if (!m) throw new ValidationError(`invalid org.ein "${value}" (expected nine digits written NN-NNNNNNN, e.g. 12-3456789)`);
  return `${m[1]}-${m[2]}`;
}

/**
 * The organisation's postal address: lines separated by a line break, or by the two characters `\n`
 * as a shell passes them (`ngo config set org.address '12 Harbor St\nPortland, ME 04101'`); stored with
 * line breaks, each line trimmed, empty lines dropped.
 */
export function normalizeAddress(value: string): string {
  const lines = value
    .replace(/\r\n?/g, '\n')
    .replace(/\\n/g, '\n')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  for (const l of lines) checkText(l, 'org.address');
  if (lines.length > MAX_ADDRESS_LINES) throw new ValidationError(`org.address has ${lines.length} lines (at most ${MAX_ADDRESS_LINES})`);
  return lines.join('\n');
}

export type SettingKey = keyof typeof SETTING_DEFAULTS;

/** The ISO 4217 codes this Node.js knows (Intl); USD and EUR at least, should it know none. */
const ISO_4217 = new Set<string>(['USD', 'EUR', ...(typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('currency') : [])]);

export function isSettingKey(k: string): k is SettingKey {
  return Object.prototype.hasOwnProperty.call(SETTING_DEFAULTS, k);
}

/** Validate and normalise a value for a setting. */
export function normalizeSetting(key: string, value: string): string {
  if (!isSettingKey(key)) {
    throw new UsageError(`unknown setting "${key}" (known: ${Object.keys(SETTING_DEFAULTS).join(', ')})`);
  }
  const v = value.trim();
  switch (key) {
    case 'org.name':
      return v;
    case 'org.legal_name':
    case 'org.signer_name':
    case 'org.signer_title':
      return checkText(v, key);
    case 'org.ein':
      return v === '' ? '' : normalizeEin(v);
    case 'org.address':
      return normalizeAddress(value);
    case 'currency': {
      const c = v.toUpperCase();
      if (!/^[A-Z]{3}$/.test(c) || !ISO_4217.has(c)) throw new ValidationError(`invalid currency "${value}" (expected an ISO 4217 code such as USD)`);
      return c;
    }
    case 'fiscal_year_start': {
      if (!/^\d{1,2}$/.test(v) || Number(v) < 1 || Number(v) > 12) {
        throw new ValidationError(`invalid fiscal_year_start "${value}" (expected a month number 1-12)`);
      }
      return String(Number(v));
    }
    case 'csv.bom': {
      const l = v.toLowerCase();
      if (['true', 'yes', '1', 'on'].includes(l)) return 'true';
      if (['false', 'no', '0', 'off'].includes(l)) return 'false';
      throw new ValidationError(`invalid csv.bom "${value}" (expected true or false)`);
    }
  }
}
