import { mustSucceed, tmpDb, withDb } from '../helpers.js';

/**
 * People #1 Grace Mensah (supervisor and mentor, LPC-S 12345 TX), #2 Ana Okafor, #3 Ben Lee,
 * #4 Cy Park, #5 Dee Ross; program TRAIN funded by HOPE from 2026-01-01. The clock is NOW (2026-11-23).
 */
export async function world() {
  const { db } = await tmpDb();
  const run = withDb(db);
  const ok = mustSucceed(run);
  await ok([
    'people',
    'add',
    '--first',
    'Grace',
    '--last',
    'Mensah',
    '--email',
    'grace@example.org',
    '--roles',
    'supervisor,mentor',
    '--credential',
    'LPC-S',
    '--license-number',
    '12345',
    '--license-region',
    'TX',
  ]);
  await ok(['people', 'add', '--first', 'Ana', '--last', 'Okafor', '--email', 'ana@example.org', '--roles', 'supervisee,mentee']);
  await ok(['people', 'add', '--first', 'Ben', '--last', 'Lee', '--email', 'ben@example.org', '--roles', 'supervisee']);
  await ok(['people', 'add', '--first', 'Cy', '--last', 'Park', '--email', 'cy@example.org', '--roles', 'supervisee']);
  await ok(['people', 'add', '--first', 'Dee', '--last', 'Ross', '--email', 'dee@example.org', '--roles', 'mentee']);
  await ok(['programs', 'add', 'TRAIN', '--name', 'Practitioner training']);
  await ok(['funders', 'add', 'HOPE', '--name', 'Hope Foundation']);
  await ok(['funders', 'fund', 'HOPE', '--program', 'TRAIN', '--from', '2026-01-01']);
  return { db, run, ok };
}
