import { defineConfig } from 'vitest/config';

/**
 * NGO_TEST_STORE=pg runs the suite with every test database on a PostgreSQL server (test/helpers.ts),
 * except these files, which test what only an SQLite file has: its mode and side files, damaged pages,
 * full disks, FIFOs and devices as the database, file locks held by another process, file-level
 * migrations and restores, and the compaction of an erasure. The PostgreSQL counterparts of what they
 * guard (the write lock, the busy wait, restore, forget, newer schemas) are in test/pg/.
 */
const SQLITE_ONLY = [
  'test/reliability/attack.test.ts',
  'test/reliability/attack3.test.ts',
  'test/reliability/attack4.test.ts',
  'test/reliability/attack5.test.ts',
  'test/reliability/concurrency.test.ts',
  'test/reliability/crash.test.ts',
  'test/reliability/db-check.test.ts',
  'test/reliability/faults.test.ts',
  'test/reliability/files.test.ts',
  'test/reliability/forget.test.ts',
  'test/reliability/privacy.test.ts',
  'test/reliability/restore.test.ts',
  'test/foundation/store.test.ts',
];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: process.env['NGO_TEST_STORE'] === 'pg' ? ['**/node_modules/**', ...SQLITE_ONLY] : ['**/node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
