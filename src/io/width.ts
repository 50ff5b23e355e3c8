import { createRequire } from 'node:module';

/**
 * Display width of text on a terminal (East Asian wide characters and emoji take two columns,
 * combining marks none), from the string-width library. Only tables need it, and loading it costs
 * start-up time, so it is imported once by invocations that may draw a table (`prepareDisplayWidth`,
 * awaited by cli.ts before any command runs: a terminal, or `--format table`).
 */
let width: ((text: string) => number) | undefined;

export async function prepareDisplayWidth(): Promise<void> {
  width ??= (await import('string-width')).default;
}

export function displayWidth(text: string): number {
  // A table drawn without prepareDisplayWidth (none should be) loads the library synchronously,
  // which Node 20.19 and later can do for an ES module.
  width ??= (createRequire(import.meta.url)('string-width') as { default: (text: string) => number }).default;
  return width(text);
}

let segmenter: Intl.Segmenter | undefined;

/** `text` cut to at most `max` columns, ending in "…" when cut; whole characters (graphemes) only. */
export function fitWidth(text: string, max: number): string {
  if (displayWidth(text) <= max) return text;
  if (max <= 0) return '';
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const w = displayWidth(segment);
    if (used + w > max - 1) break;
    out += segment;
    used += w;
  }
  return out + '…';
}

/** The characters (graphemes: a letter with its combining accents, an emoji sequence) of `text`. */
export function graphemes(text: string): string[] {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return Array.from(segmenter.segment(text), (s) => s.segment);
}
