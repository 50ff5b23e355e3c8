/**
 * The injected world of a command: streams with their TTY flags, environment, clock, prompts.
 * main.ts builds the real one from `process`; tests build fakes (test/helpers.ts).
 */
import type { Prompter } from './io/prompt.js';

export interface OutStream {
  write(chunk: string | Uint8Array): boolean;
  isTTY?: boolean;
  columns?: number;
}

export interface InStream extends NodeJS.ReadableStream {
  isTTY?: boolean;
}

/** The program's own options (--db, --actor, --no-input, --no-color, --quiet, --debug), as cli.ts reads them. */
export interface GlobalOptions {
  db?: string;
  actor?: string;
  input: boolean;
  color: boolean;
  quiet?: boolean;
  debug?: boolean;
}

export interface Context {
  stdin: InStream;
  stdout: OutStream;
  stderr: OutStream;
  env: Record<string, string | undefined>;
  /** The clock. "Today" is the local date of now(). */
  now: () => Date;
  cwd: string;
  /** The OS user name, the default actor. */
  osUser: () => string;
  /** The platform's per-user data directory for ngo (…/ngo). */
  dataDir: () => string;
  /** Prompts; when absent the inquirer implementation is loaded lazily. */
  prompter?: Prompter;
  /** The descriptor behind stdout when it is the process's own (1): checked against the database. */
  stdoutFd?: number;
  /** The descriptor behind stderr when it is the process's own (2): checked like stdout. */
  stderrFd?: number;
  /** The descriptor behind stdin when it is the process's own (0): `--rejects` may not be the file behind it. */
  stdinFd?: number;
}
