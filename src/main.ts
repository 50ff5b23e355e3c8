/** The real process: builds the Context from `process`, runs, exits with the code. */
import { createRequire } from 'node:module';
import os from 'node:os';
import { run } from './cli.js';
import type { Context } from './context.js';
import { removeTempFiles } from './io/files.js';
import { blockedInSystemCall } from './io/signals.js';

/**
 * The default data directory comes from env-paths, an ES module. Invocations that name their
 * database (--db, NGO_DB) never need it, so they skip importing it (start-up time). Should one ask
 * after all (a literal "--db" that was another option's value), it is loaded then with require(),
 * which loads ES modules from Node 20.19 on; older releases always import it up front.
 */
const namesDb = Boolean(process.env['NGO_DB']) || process.argv.slice(2).some((a) => a === '--db' || a.startsWith('--db='));
const envPathsUpFront = namesDb && process.features.require_module ? undefined : (await import('env-paths')).default;
function dataDir(): string {
  const envPaths = envPathsUpFront ?? (createRequire(import.meta.url)('env-paths') as typeof import('env-paths')).default;
  return envPaths('ngo', { suffix: '' }).data;
}

const ctx: Context = {
  // Created on first use: most commands never read standard input.
  get stdin() {
    return process.stdin;
  },
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  now: () => new Date(),
  cwd: process.cwd(),
  osUser: () => {
    try {
      return os.userInfo().username;
    } catch {
      return process.env['USER'] ?? 'unknown';
    }
  },
  dataDir,
  stdoutFd: 1,
};

// Ctrl-C: SQLite rolls back any open transaction when the connection goes away (the journal is
// discarded), so leaving at once is safe; say so, remove unfinished output files, and exit 130. While
// an open of a FIFO is pending, process.exit would wait for it for ever: the signal's default action
// then ends the process instead (signals.ts), which the shell also reports as 130.
process.on('SIGINT', () => {
  removeTempFiles();
  process.stderr.write('\nngo: interrupted; nothing from the unfinished command was saved\n');
  if (blockedInSystemCall()) {
    process.removeAllListeners('SIGINT');
    process.kill(process.pid, 'SIGINT');
    return;
  }
  process.exit(130);
});
process.on('SIGTERM', () => {
  removeTempFiles();
  process.removeAllListeners('SIGTERM');
  process.kill(process.pid, 'SIGTERM');
});
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});

const code = await run(process.argv.slice(2), ctx);
process.exitCode = code;
