/** What `ngo demo` prints on stdout once the data is in: a sample funder report. */
import type { App } from '../app.js';
import type { DemoIds } from './core.js';
import { funderByCode } from '../store/orgs.js';
import { renderCsv } from '../io/output.js';
import { FUNDER_REPORT_COLUMNS, funderReport } from '../reports/funder.js';
import { RateBook } from '../services/rate-book.js';

export async function demoShowcase(app: App, ids: DemoIds): Promise<string> {
  const hope = (await funderByCode(await app.db(), 'HOPE'))!;
  const period = { start: `${ids.year}-01-01`, end: `${ids.year}-12-31`, label: String(ids.year) };
  const rows = await funderReport(await app.db(), hope, period, {
    currency: await app.setting('currency'),
    rates: new RateBook(await app.db(), (m) => app.warn(m)),
  });
  return renderCsv(rows, FUNDER_REPORT_COLUMNS);
}
