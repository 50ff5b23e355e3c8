/** What `ngo demo` prints on stdout once the data is in. */
import type { App } from '../app.js';
import type { DemoIds } from './core.js';
import { listFunding } from '../store/orgs.js';
import { renderCsv } from '../io/output.js';
import { FUNDING_COLUMNS } from '../commands/orgs.js';

export function demoShowcase(app: App, _ids: DemoIds): string {
  return renderCsv(listFunding(app.db) as unknown as Record<string, string | number | null>[], FUNDING_COLUMNS);
}
