/** Settings kept in the database, with defaults and validation (`ngo config`). */
import { ValidationError, UsageError } from '../errors.js';

export const SETTING_DEFAULTS = {
  'org.name': '',
  currency: 'USD',
  fiscal_year_start: '1',
  'csv.bom': 'false',
} as const;

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
