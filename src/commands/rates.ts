/** `ngo rates list|set`: volunteer-hour and mileage rates by year. */
import { ValidationError } from '../errors.js';
import { examples, withFormat, type Register } from './common.js';
import { entriesValuedBy, getRate, listRates, putRate, type RateKind } from '../store/rates.js';
import { formatCents, parseMoney } from '../domain/money.js';
import type { Column, Row } from '../io/output.js';

const RATE_COLUMNS: Column[] = [{ key: 'kind' }, { key: 'year', kind: 'int' }, { key: 'amount', kind: 'dec2' }];

export const registerRates: Register = (program, env) => {
  const rates = program
    .command('rates')
    .description('valuation rates by year: volunteer-hour (in-kind value of general volunteer time) and mileage (charitable rate per mile)');
  examples(withFormat(rates.command('list').description('list the rates (defaults: Independent Sector values 2019-2023, charitable mileage 0.14 since 1998)')), 'ngo rates list').action(
    (opts, cmd) => {
      const app = env.app(cmd);
      app.printRows(listRates(app.db) as unknown as Row[], RATE_COLUMNS, opts);
    },
  );
  examples(
    rates
      .command('set')
      .argument('<kind>', 'volunteer-hour or mileage')
      .argument('<year>', 'the data year, e.g. 2024')
      .argument('<amount>', 'per hour or per mile, e.g. 34.79')
      .description('set or override the rate of a year; years without a rate use the latest earlier one'),
    'ngo rates set volunteer-hour 2024 34.79',
    'ngo rates set mileage 2026 0.14',
  ).action((kind: string, yearArg: string, amountArg: string, _o, cmd) => {
    const app = env.app(cmd);
    if (kind !== 'volunteer-hour' && kind !== 'mileage') throw new ValidationError(`invalid rate kind "${kind}" (expected volunteer-hour or mileage)`);
    if (!/^\d{4}$/.test(yearArg)) throw new ValidationError(`invalid year "${yearArg}" (expected YYYY)`);
    const year = Number(yearArg);
    // A rate of 0 would value every hour (or mile) of the year at nothing.
    const amount = parseMoney(amountArg, 'rate', { allowZero: false });
    const valued = app.tx(() => {
      const before = getRate(app.db, kind as RateKind, year) ?? null;
      if (before === amount) return 0;
      putRate(app.db, kind as RateKind, year, amount);
      app.audit('update', 'rate', year, { [kind]: [before, amount] });
      return entriesValuedBy(app.db, kind as RateKind, year);
    });
    if (valued > 0) app.warn(`the ${kind} rate of ${year} values ${valued} entr${valued === 1 ? 'y' : 'ies'} dated in ${year}: reports for ${year} change`);
    app.out(`${year}\n`);
    app.success(`${kind} rate for ${year} set to ${formatCents(amount)}`);
  });
};
