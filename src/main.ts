/** The real process: builds the Context from `process`, runs, exits with the code. */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from './cli.js';
import type { Context, OutStream } from './context.js';
import { IoError } from './errors.js';
import { describeFsError, removeTempFiles } from './io/files.js';
import { blockedInSystemCall, hasInterruptNote, hasSavedNote, interruptMessage, withSavedNote } from './io/signals.js';

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
  // The XDG Base Directory spec: a relative XDG_DATA_HOME is invalid and ignored (else the database
  // would depend on the current folder; third attack, F9.5).
  const xdg = process.env['XDG_DATA_HOME'];
  if (xdg === undefined || path.isAbsolute(xdg)) return envPaths('ngo', { suffix: '' }).data;
  delete process.env['XDG_DATA_HOME'];
  try {
    return envPaths('ngo', { suffix: '' }).data;
  } finally {
    process.env['XDG_DATA_HOME'] = xdg;
  }
}

/**
 * Standard output redirected to a file (`> report.csv`): written here with a loop of write(2) calls.
 * Node's own stream for a file does one write per chunk and drops what a short write left (a disk that
 * fills midway), reporting nothing; here a failure throws, and the command ends with exit 6.
 */
function fileStream(fd: 1 | 2): OutStream | null {
  let isFile = false;
  try {
    isFile = fs.fstatSync(fd).isFile();
  } catch {
    /* not open at all */
  }
  if (!isFile) return null;
  return {
    isTTY: false,
    write(chunk: string | Uint8Array): boolean {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      let off = 0;
      while (off < buf.length) {
        try {
          off += fs.writeSync(fd, buf, off, buf.length - off);
        } catch (e) {
          // Messages that cannot be written are lost, not a failure of the command (which may have
          // committed): the exit code still tells what happened.
          if (fd === 2) return false;
          throw new IoError(`cannot write standard output: ${describeFsError(e)}`);
        }
      }
      return true;
    },
  };
}

function stdoutFor(): OutStream {
  return fileStream(1) ?? process.stdout;
}

/** Standard error that cannot be written (`2>/dev/full`, a closed pipe) never turns a result into exit 1. */
function stderrFor(): OutStream {
  process.stderr.on('error', () => undefined);
  return fileStream(2) ?? process.stderr;
}

const ctx: Context = {
  // Created on first use: most commands never read standard input.
  get stdin() {
    return process.stdin;
  },
  stdout: stdoutFor(),
  stderr: stderrFor(),
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
  stderrFd: 2,
  stdinFd: 0,
};

// Ctrl-C: SQLite rolls back any open transaction when the connection goes away (the journal is
// discarded), so leaving at once is safe; say so, remove unfinished output files, and exit 130. While
// an open of a FIFO is pending, process.exit would wait for it for ever: the signal's default action
// then ends the process instead (signals.ts), which the shell also reports as 130.
process.on('SIGINT', () => {
  removeTempFiles();
  process.stderr.write(`\n${interruptMessage()}\n`);
  if (blockedInSystemCall()) {
    process.removeAllListeners('SIGINT');
    process.kill(process.pid, 'SIGINT');
    return;
  }
  process.exit(130);
});
// SIGTERM (kill, timeout), SIGHUP (the terminal or SSH session closed), Ctrl-\\ and the other signals
// that end a process: the same clean-up, then the signal's own exit.
for (const sig of ['SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2', 'SIGALRM', 'SIGXCPU', 'SIGXFSZ'] as const) {
  process.on(sig, () => {
    removeTempFiles();
    // After a commit (the housekeeping that follows a large import or a restore): say what was saved,
    // as Ctrl-C does (second attack on the PG store, N1); before one, the signal's exit says it all.
    if (hasInterruptNote()) process.stderr.write(`\n${interruptMessage()}\n`);
    process.removeAllListeners(sig);
    process.kill(process.pid, sig);
  });
}
// Standard output that cannot be written (a full disk behind `> report.csv`): exit 6, never a quiet 0
// with a cut-off file. A reader that went away (`| head`) is not a failure.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  // A reader that went away is no failure of a report (`| head`); after a write it lost the result
  // the command printed (the id a script was waiting for): exit 6, saying what was saved.
  if (e.code === 'EPIPE' && !hasSavedNote()) process.exit(0);
  process.stderr.write(`ngo: error: ${withSavedNote(`cannot write standard output: ${describeFsError(e)}`)}\n`);
  process.exit(6);
});

const code = await run(process.argv.slice(2), ctx);
process.exitCode = code;
