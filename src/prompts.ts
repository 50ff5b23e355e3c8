/**
 * The prompts part of the App (src/app.ts): whether a value may be asked for, the prompter (loaded on
 * first use), missing required values, and the confirmations before a write or a destructive action.
 */
import type { Context, GlobalOptions } from './context.js';
import { UsageError } from './errors.js';
import { inquirerPrompter, type Prompter } from './io/prompt.js';

/** A required value that may be asked for on a TTY. */
export interface Needed<T> {
  flag: string;
  value: T | undefined;
  ask: (p: Prompter) => Promise<T>;
}

/** The values `need` returns: each key's value, given or asked for. */
export type NeededValues<T extends Record<string, Needed<unknown>>> = { [K in keyof T]: T[K] extends Needed<infer V> ? V : never };

export class Prompts {
  readonly ctx: Context;
  readonly globals: GlobalOptions;
  private _prompter?: Prompter;
  /** True once a value was asked for: the command is being driven interactively. */
  private prompted = false;

  constructor(ctx: Context, globals: GlobalOptions) {
    this.ctx = ctx;
    this.globals = globals;
  }

  /** Prompts only when stdin and stdout are TTYs and --no-input was not given. */
  get canPrompt(): boolean {
    return this.globals.input && this.ctx.stdin.isTTY === true && this.ctx.stdout.isTTY === true;
  }

  get prompter(): Prompter {
    if (!this._prompter) this._prompter = this.ctx.prompter ?? inquirerPrompter(this.ctx.stdin, this.ctx.stderr);
    return this._prompter;
  }

  /**
   * Fill missing required values: ask for them on a TTY, else exit 2 naming every missing option.
   */
  async need<T extends Record<string, Needed<unknown>>>(spec: T): Promise<NeededValues<T>> {
    const missing = Object.values(spec).filter((n) => n.value === undefined || n.value === '');
    if (missing.length > 0 && !this.canPrompt) {
      throw new UsageError(`missing required option${missing.length > 1 ? 's' : ''}: ${missing.map((m) => m.flag).join(', ')}`);
    }
    const out: Record<string, unknown> = {};
    for (const [k, n] of Object.entries(spec)) {
      if (n.value === undefined || n.value === '') {
        this.prompted = true;
        out[k] = await n.ask(this.prompter);
      } else out[k] = n.value;
    }
    return out as NeededValues<T>;
  }

  /**
   * After values were asked for, show what is about to be written and ask before writing.
   * Commands run with all their flags (scripts, cron) never see this.
   */
  async confirmWrite(summary: string): Promise<void> {
    if (!this.prompted || !this.canPrompt) return;
    const ok = await this.prompter.confirm({ message: `${summary} — save?`, default: true });
    if (!ok) throw new UsageError('cancelled; nothing was changed');
  }

  /** Destructive actions confirm on a TTY and need --yes without one. */
  async confirm(message: string, yes: boolean | undefined): Promise<void> {
    if (yes) return;
    if (!this.canPrompt) throw new UsageError(`${message.replace(/\?$/, '')}: add --yes to confirm (no terminal to ask)`);
    const ok = await this.prompter.confirm({ message, default: false });
    if (!ok) throw new UsageError('cancelled; nothing was changed');
  }
}
