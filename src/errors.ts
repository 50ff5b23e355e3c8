/**
 * Errors that carry the documented exit code (SPEC "Exit codes").
 * Anything thrown that is not an NgoError is an internal error (exit 1).
 */
export const ExitCode = {
  OK: 0,
  INTERNAL: 1,
  USAGE: 2,
  INVALID: 3,
  NOT_FOUND: 4,
  CONFLICT: 5,
  IO: 6,
  INTERRUPTED: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class NgoError extends Error {
  readonly exitCode: number;
  /** Optional second line telling the user what to do next. */
  readonly hint?: string;
  constructor(exitCode: number, message: string, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

/** Exit 2: unknown command/option, missing required option with no TTY to ask. */
export class UsageError extends NgoError {
  constructor(message: string, hint?: string) {
    super(ExitCode.USAGE, message, hint);
  }
}

/** Exit 3: a value or input row failed validation; nothing was written. */
export class ValidationError extends NgoError {
  constructor(message: string, hint?: string) {
    super(ExitCode.INVALID, message, hint);
  }
}

/** Exit 4: a reference resolves to nothing. */
export class NotFoundError extends NgoError {
  constructor(message: string, hint?: string) {
    super(ExitCode.NOT_FOUND, message, hint);
  }
}

/** Exit 5: duplicate, ambiguous reference, rule of state, database busy. */
export class ConflictError extends NgoError {
  constructor(message: string, hint?: string) {
    super(ExitCode.CONFLICT, message, hint);
  }
}

/** Exit 6: file or database I/O, newer schema, damaged database. */
export class IoError extends NgoError {
  constructor(message: string, hint?: string) {
    super(ExitCode.IO, message, hint);
  }
}

/** Exit 130: interrupted (Ctrl-C). */
export class InterruptedError extends NgoError {
  constructor(message = 'interrupted') {
    super(ExitCode.INTERRUPTED, message);
  }
}
