/** `ngo rates list|set`: volunteer-hour and mileage rates by year. */
import { ValidationError } from '../errors.js';
import { examples, withFormat, type Register } from './common.js';
import { listRates } from '../store/rates.js';
import { setYearRate } from '../services/rates.js';
import { formatCents, parseMoney } from '../domain/money.js';
import type { Column, Row } from '../io/output.js';
import type { App } from '../app.js';

const RATE_COLUMNS: Column[] = [{ key: 'kind' }, { key: 'year', kind: 'int' }, { key: 'amount', kind: 'dec2' }];

export const registerRates: Register = (program, env) => {
  const rates = program
    .command('rates')
    .description('valuation rates by year: volunteer-hour (in-kind value of general volunteer time) and mileage (charitable rate per mile)');
  examples(
    withFormat(rates.command('list').description('list the rates (defaults: Independent Sector values 2019-2023, charitable mileage 0.14 since 1998)')),
    'ngo rates list',
  ).action(async (opts, cmd) => {
    const app = env.app(cmd);
    await app.printRows((await listRates(await app.db())) as unknown as Row[], RATE_COLUMNS, opts);
  });
  examples(
    rates
      .command('set')
      .argument('<kind>', 'volunteer-hour or mileage')
      .argument('<year>', 'the data year, e.g. 2024')
      .argument('<amount>', 'per hour or per mile, e.g. 34.79')
      .description('set or override the rate of a year; years without a rate use the latest earlier one'),
    'ngo rates set volunteer-hour 2024 34.79',
    'ngo rates set mileage 2026 0.14',
  ).action(async (kind: string, yearArg: string, amountArg: string, _o, cmd) => {
    const app = env.app(cmd);
    if (kind !== 'volunteer-hour' && kind !== 'mileage') throw new ValidationError(`invalid rate kind "${kind}" (expected volunteer-hour or mileage)`);
    if (!/^[1-9]\d{3}$/.test(yearArg)) throw new ValidationError(`invalid year "${yearArg}" (expected YYYY, from 1000)`);
    const year = Number(yearArg);
    // A rate of 0 would value every hour (or mile) of the year at nothing.
    const amount = parseMoney(amountArg, 'rate', { allowZero: false });
    const { valued, usedBefore } = await setYearRate(app, kind, year, amount);
    if (valued.length > 0) warnRevalued(app, kind, year, valued, usedBefore);
    app.out(`${year}\n`);
    app.success(`${kind} rate for ${year} set to ${formatCents(amount)}`);
  });
};

const entries = (n: number) => `${n} entr${n === 1 ? 'y' : 'ies'}`;

/**
 * Say which years' reports a new rate changes: its own year, and the later years without a rate of
 * their own (they use the latest earlier one), with the way to keep those as they were.
 */
function warnRevalued(app: App, kind: string, year: number, valued: { year: number; entries: number }[], usedBefore: number | null): void {
  const own = valued.find((v) => v.year === year);
  const later = valued.filter((v) => v.year !== year);
  const parts: string[] = [];
  if (own) parts.push(`${entries(own.entries)} dated in ${year}`);
  if (later.length > 0) {
    const n = later.reduce((a, v) => a + v.entries, 0);
    const span = later.length === 1 ? `${later[0]!.year}` : `${later[0]!.year}–${later.at(-1)!.year}`;
    parts.push(
      `${entries(n)} dated in ${span}, ${later.length === 1 ? 'a year' : 'years'} without a rate of ${later.length === 1 ? 'its' : 'their'} own that now use${later.length === 1 ? 's' : ''} ${year}'s`,
    );
  }
  const years = valued.map((v) => v.year);
  const span = years.length === 1 ? `${years[0]}` : `${years[0]}–${years.at(-1)}`;
  app.warn(`the ${kind} rate of ${year} values ${parts.join(', and ')}: reports for ${span} change`);
  if (later.length > 0 && usedBefore !== null) {
    app.info(
      `hint: to keep ${later.length === 1 ? later[0]!.year : `${later[0]!.year} and later`} as reported, give ${later[0]!.year} its own rate: ngo rates set ${kind} ${later[0]!.year} ${formatCents(usedBefore)}`,
    );
  }
}
