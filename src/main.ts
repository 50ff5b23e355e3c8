/** The real process: builds the Context from `process`, runs, exits with the code. */
import os from 'node:os';
import envPaths from 'env-paths';
import { run } from './cli.js';
import type { Context } from './context.js';

const ctx: Context = {
  stdin: process.stdin,
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
  dataDir: () => envPaths('ngo', { suffix: '' }).data,
};

// Ctrl-C: SQLite rolls back any open transaction when the connection goes away (the journal is
// discarded), so leaving at once is safe; say so and exit 130.
process.on('SIGINT', () => {
  process.stderr.write('\nngo: interrupted; nothing from the unfinished command was saved\n');
  process.exit(130);
});
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});

const code = await run(process.argv.slice(2), ctx);
process.exitCode = code;
