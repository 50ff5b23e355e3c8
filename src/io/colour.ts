/**
 * Colour: chalk's styles when a terminal is coloured, the text unchanged otherwise.
 *
 * Colour is only ever used on a terminal, so chalk is imported only by invocations that have one
 * (`prepareColours`, awaited once by cli.ts before any command runs): scripts, pipes and cron jobs
 * never load it (start-up time). Everywhere else asks `colours(on)`.
 */
import type { Context } from '../context.js';

/** The styles ngo uses (a chalk instance has them all). */
export interface Colours {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
}

const plain = (text: string): string => text;
const PLAIN: Colours = { bold: plain, dim: plain, red: plain, green: plain, yellow: plain };

let Chalk: typeof import('chalk').Chalk | undefined;

/** Load chalk when `ctx` has a terminal that could be coloured. */
export async function prepareColours(ctx: Pick<Context, 'stdout' | 'stderr'>): Promise<void> {
  if (!Chalk && (ctx.stdout.isTTY === true || ctx.stderr.isTTY === true)) Chalk = (await import('chalk')).Chalk;
}

/** Styles that colour when `on` (basic 16 colours), or leave the text as it is. */
export function colours(on: boolean): Colours {
  if (!on) return PLAIN;
  if (!Chalk) throw new Error('colour on a terminal before prepareColours()');
  return new Chalk({ level: 1 });
}
