/**
 * commander, loaded with require(). It is a CommonJS package: importing it from ESM goes through
 * Node's CommonJS wrapper, which reads and scans its sources again for export names; require() is
 * several milliseconds faster at start-up. Import commander from here, not from the package.
 */
import { createRequire } from 'node:module';
import type * as commander from 'commander';

const lib = createRequire(import.meta.url)('commander') as typeof commander;

export const Command = lib.Command;
export type Command = commander.Command;
export const Option = lib.Option;
export type Option = commander.Option;
export const CommanderError = lib.CommanderError;
export type CommanderError = commander.CommanderError;
