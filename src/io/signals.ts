/**
 * Ctrl-C while the process waits in a system call that cannot be interrupted from JavaScript.
 *
 * Opening a FIFO blocks until the other end opens it. Done asynchronously, the open waits in one of
 * libuv's threads, so the event loop stays free and the SIGINT handler runs; but `process.exit()` then
 * waits for that thread, which never returns. While such a call is pending, the handler (main.ts)
 * therefore ends the process with the signal's default action instead: the shell sees 130, as for
 * any Ctrl-C, and SQLite discards the open transaction as it does when a process dies.
 */
let pending = 0;

/** True while a call that may block forever is in flight. */
export function blockedInSystemCall(): boolean {
  return pending > 0;
}

/** Mark `p` (an open of a FIFO, a device) as such a call while it is pending. */
export async function whileBlocked<T>(p: Promise<T>): Promise<T> {
  pending++;
  try {
    return await p;
  } finally {
    pending--;
  }
}

const ENDING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2', 'SIGALRM', 'SIGXCPU', 'SIGXFSZ'] as const;

/**
 * Run `fn`, which waits inside one synchronous call (SQLite's busy wait), with the default action of
 * Ctrl-C, SIGTERM and SIGHUP: Node's handlers cannot run until the call returns, and the command would
 * go on to write what the user tried to stop. Nothing is written while waiting, so ending the process
 * at once is safe. (A signal the shell set to be ignored, as for `cmd &`, stays ignored.)
 */
export function withDefaultSignals<T>(fn: () => T): T {
  const saved = ENDING_SIGNALS.map((s) => [s, process.listeners(s)] as const);
  for (const s of ENDING_SIGNALS) process.removeAllListeners(s);
  try {
    return fn();
  } finally {
    for (const [s, ls] of saved) for (const l of ls) process.on(s, l as NodeJS.SignalsListener);
  }
}

/** withDefaultSignals for an asynchronous `fn`: the signals keep their default action until it settles. */
export async function withDefaultSignalsAsync<T>(fn: () => Promise<T>): Promise<T> {
  const saved = ENDING_SIGNALS.map((s) => [s, process.listeners(s)] as const);
  for (const s of ENDING_SIGNALS) process.removeAllListeners(s);
  try {
    return await fn();
  } finally {
    for (const [s, ls] of saved) for (const l of ls) process.on(s, l as NodeJS.SignalsListener);
  }
}

let interruptNote: string | null = null;

/** What an interruption from now on leaves behind, when it is not "nothing" (an erasure already saved). */
export function setInterruptNote(note: string | null): void {
  interruptNote = note;
}

/** Whether an interruption now leaves something saved (setInterruptNote, setCommitted). */
export function hasInterruptNote(): boolean {
  return interruptNote !== null;
}

/** The line Ctrl-C prints. */
export function interruptMessage(): string {
  return `ngo: interrupted; ${interruptNote ?? 'nothing from the unfinished command was saved'}`;
}

let savedNote: string | null = null;

/**
 * What a write command has committed before printing its result: a failure to print it (standard
 * output on a full disk, noticed when the stream reports it) says so, since a script that retries on
 * the exit code would otherwise make the change twice (third attack, F9.1).
 */
export function setSavedNote(note: string | null): void {
  savedNote = note;
}

/**
 * A command has committed and what follows is housekeeping (a server's VACUUM after a large import or
 * a restore): a failure or an interruption from now on must say what was saved (attack on the
 * PostgreSQL store 2, F1: Ctrl-C there said "nothing was saved").
 */
export function setCommitted(note: string): void {
  setSavedNote(note);
  setInterruptNote(note);
}

/** Whether this command has committed something (so a lost result matters). */
export function hasSavedNote(): boolean {
  return savedNote !== null;
}

/** `cannot write standard output: …` with what was saved, when something was. */
export function withSavedNote(message: string): string {
  return savedNote ? `${message}; ${savedNote}` : message;
}
