/** What a write waiting for the single-writer lock says, and how it waits: the same on both engines. */

export const waitingNotice = (ms: number): string =>
  `waiting for another ngo command to finish writing to the database (up to ${Math.round(ms / 1000)} s; Ctrl-C to give up)`;

export const sleep = (ms: number): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, ms));
