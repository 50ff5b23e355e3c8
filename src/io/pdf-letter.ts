/**
 * An acknowledgment letter as a PDF (US Letter, 1-inch margins), through pdfkit, loaded only by
 * `report tax --letters` (a dynamic import: no other command pays for it). The fonts are embedded as
 * subsets with a Unicode map (Identity-H + ToUnicode), so names print and copy out as written: Noto
 * Sans (@embedpdf/fonts-latin: Latin with Vietnamese, Greek, Cyrillic) and, for the characters it
 * lacks, Noto Sans CJK SC (@embedpdf/fonts-sc: Chinese, Japanese kana and kanji), loaded only when a
 * letter needs it. A character neither font has (Arabic, Hebrew, Thai, Hangul, Devanagari…) is refused
 * (exit 3, naming the person and the character) rather than printed as an empty box.
 *
 * Text is put in Unicode normal form C and laid out with the OpenType features ccmp and liga off: with
 * them on, fontkit splits a precomposed letter (ị) into a base and a mark glyph and maps the shared base
 * glyph to the composed text, so that the extracted text of "Mileage" read "Mịleage".
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { IoError, ValidationError } from '../errors.js';
import type { LetterBlock, LetterContent, LetterStyle } from '../domain/tax-letter.js';

type Doc = PDFKit.PDFDocument;
type FontName = 'latin' | 'latinBold' | 'cjk';

const FONT_FILES: Record<FontName, { pkg: string; file: string }> = {
  latin: { pkg: '@embedpdf/fonts-latin', file: 'NotoSans-Regular.ttf' },
  latinBold: { pkg: '@embedpdf/fonts-latin', file: 'NotoSans-Bold.ttf' },
  cjk: { pkg: '@embedpdf/fonts-sc', file: 'NotoSansHans-Regular.otf' },
};

/**
 * A font file of the packages: beside the package's entry point (`dist/index.cjs`), in `../fonts/`.
 * (The packages' `exports` do not list the font files, so they cannot be resolved by name.)
 */
function readFont(name: FontName): Buffer {
  const { pkg, file } = FONT_FILES[name];
  let main: string;
  try {
    main = createRequire(import.meta.url).resolve(pkg);
  } catch {
    throw new IoError(`the font package ${pkg} is not installed; the letters need its ${file}`, 'reinstall ngo (npm install) and try again');
  }
  const full = path.join(path.dirname(main), '..', 'fonts', file);
  try {
    return fs.readFileSync(full);
  } catch (e) {
    throw new IoError(`cannot read the letter font ${full}: ${(e as Error).message}`, 'reinstall ngo (npm install) and try again');
  }
}

/** Scripts a refusal names (the characters no shipped font has come mostly from these). */
const SCRIPTS = [
  'Arabic',
  'Hebrew',
  'Thai',
  'Hangul',
  'Devanagari',
  'Bengali',
  'Tamil',
  'Telugu',
  'Gujarati',
  'Gurmukhi',
  'Kannada',
  'Malayalam',
  'Sinhala',
  'Armenian',
  'Georgian',
  'Ethiopic',
  'Khmer',
  'Lao',
  'Myanmar',
  'Tibetan',
  'Syriac',
  'Thaana',
];

/**
 * Scripts refused even where a font has glyphs for them (Noto Sans has Devanagari's): they need shaping
 * (reordered vowel signs, conjuncts, joining forms) that these letters are not checked to print right.
 */
const NEEDS_SHAPING = new RegExp(`[${SCRIPTS.map((sc) => `\\p{Script=${sc}}`).join('')}]`, 'u');

function describeChar(ch: string): string {
  const cp = 'U+' + ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  const script = SCRIPTS.find((s) => new RegExp(`\\p{Script=${s}}`, 'u').test(ch));
  return `"${ch}" (${cp}${script ? `, ${script} script` : ''})`;
}

function refusal(who: string, ch: string): ValidationError {
  return new ValidationError(
    `${who} cannot be printed: the letters' fonts do not cover the character ${describeChar(ch)}`,
    'see "Acknowledgment letters" in the README for the scripts letters cover',
  );
}

interface FontkitFont {
  hasGlyphForCodePoint(cp: number): boolean;
}

/** A piece of text in one font. */
interface Run {
  font: FontName;
  text: string;
}

const SIZES: Record<LetterStyle, number> = { title: 14, bold: 10.5, normal: 10.5, small: 8 };
/** The sizes tried, in turn, to keep a letter on one page. */
const FIT_SCALES = [1, 0.92, 0.85];

/** End the document and collect its bytes. */
function finish(doc: Doc): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', (e: Error) => reject(e));
  });
  doc.end();
  return ended;
}

/** Features off for every text() call (a fresh object each time: pdfkit keeps a reference to it). */
function textOptions(o: PDFKit.Mixins.TextOptions = {}): PDFKit.Mixins.TextOptions {
  return { ...o, features: { ccmp: false, liga: false } as unknown as PDFKit.Mixins.TextOptions['features'] };
}

export class LetterPrinter {
  private readonly PDFDocument: PDFKit.PDFDocument;
  private readonly buffers = new Map<FontName, Buffer>();
  private readonly glyphs = new Map<FontName, FontkitFont>();
  /** A document never written, holding the fonts for the glyph checks. */
  private readonly probe: Doc;
  /** The size factor of the letter being laid out. */
  private scale = 1;

  private constructor(PDFDocument: PDFKit.PDFDocument) {
    this.PDFDocument = PDFDocument;
    this.probe = new (PDFDocument as unknown as new (o: PDFKit.PDFDocumentOptions) => Doc)({ autoFirstPage: false });
  }

  /** Load pdfkit and the Latin fonts (the CJK font waits until a letter needs it). */
  static async load(): Promise<LetterPrinter> {
    const mod = (await import('pdfkit')) as unknown as { default: PDFKit.PDFDocument };
    const p = new LetterPrinter(mod.default);
    p.font('latin');
    p.font('latinBold');
    return p;
  }

  private font(name: FontName): FontkitFont {
    let f = this.glyphs.get(name);
    if (f) return f;
    const buf = readFont(name);
    this.buffers.set(name, buf);
    this.probe.font(buf);
    const loaded = (this.probe as unknown as { _font?: { font?: Partial<FontkitFont> } })._font?.font;
    if (!loaded || typeof loaded.hasGlyphForCodePoint !== 'function') throw new Error(`pdfkit did not load ${FONT_FILES[name].file} as an OpenType font`);
    f = loaded as FontkitFont;
    this.glyphs.set(name, f);
    return f;
  }

  /**
   * `text` cut into runs by font: the style's Latin font where it has the character, else the CJK font;
   * white space stays in the run it is in. `who` names the letter in a refusal.
   */
  runs(text: string, style: LetterStyle, who: string): Run[] {
    const primary: FontName = style === 'title' || style === 'bold' ? 'latinBold' : 'latin';
    const out: Run[] = [];
    for (const ch of text.normalize('NFC')) {
      const cp = ch.codePointAt(0)!;
      let font: FontName;
      if (NEEDS_SHAPING.test(ch)) throw refusal(who, ch);
      if (/\s/u.test(ch) && out.length > 0) font = out[out.length - 1]!.font;
      else if (this.font(primary).hasGlyphForCodePoint(cp)) font = primary;
      else if (this.font('cjk').hasGlyphForCodePoint(cp)) font = 'cjk';
      else throw refusal(who, ch);
      const last = out[out.length - 1];
      if (last && last.font === font) last.text += ch;
      else out.push({ font, text: ch });
    }
    return out;
  }

  /** Check that every character of the letter has a glyph (exit 3 naming `who` and the character). */
  check(content: LetterContent, who: string): void {
    for (const t of content.texts) this.runs(t, 'normal', who);
    for (const b of content.blocks)
      if (b.kind !== 'figures' && (b.style === 'title' || b.style === 'bold'))
        for (const t of b.kind === 'lines' ? b.lines : [b.text]) this.runs(t, b.style, who);
  }

  /**
   * The letter as PDF bytes. `now`: the document's creation date. A letter that would run onto a second
   * page (a long address or list of programs) is set again a little smaller, down to 85 %, to stay on one.
   */
  async render(content: LetterContent, o: { who: string; author: string; now: Date }): Promise<Buffer> {
    this.check(content, o.who); // and loads the CJK font when the letter needs it
    for (const scale of FIT_SCALES) {
      const doc = this.layout(content, o, scale);
      if (doc.bufferedPageRange().count === 1 || scale === FIT_SCALES[FIT_SCALES.length - 1]) return finish(doc);
    }
    throw new Error('unreachable');
  }

  private layout(content: LetterContent, o: { who: string; author: string; now: Date }, scale: number): Doc {
    const doc = new (this.PDFDocument as unknown as new (o: PDFKit.PDFDocumentOptions) => Doc)({
      size: 'LETTER',
      margins: { top: 60, bottom: 60, left: 72, right: 72 },
      bufferPages: true,
      lang: 'en-US',
      displayTitle: true,
      info: {
        Title: content.title,
        Author: o.author,
        Subject: 'Acknowledgment of unreimbursed volunteer expenses',
        Creator: 'ngo',
        CreationDate: o.now,
        ModDate: o.now,
      },
    });
    for (const name of ['latin', 'latinBold', ...(this.buffers.has('cjk') ? ['cjk'] : [])] as FontName[]) doc.registerFont(name, this.buffers.get(name)!);
    const left = doc.page.margins.left;
    const width = doc.page.width - left - doc.page.margins.right;
    this.scale = scale;
    for (const b of content.blocks) this.block(doc, b, left, width, o.who);
    return doc;
  }

  private write(doc: Doc, text: string, style: LetterStyle, who: string, opts: PDFKit.Mixins.TextOptions, at?: { x: number; y: number }): void {
    const runs = this.runs(text, style, who);
    if (runs.length === 0) runs.push({ font: 'latin', text: '' });
    doc.fontSize(SIZES[style] * this.scale).fillColor(style === 'small' ? '#555555' : '#000000');
    runs.forEach((r, i) => {
      doc.font(r.font);
      const o = textOptions({ ...opts, continued: i < runs.length - 1 });
      if (i === 0 && at) doc.text(r.text, at.x, at.y, o);
      else doc.text(r.text, o);
    });
  }

  private block(doc: Doc, b: LetterBlock, left: number, width: number, who: string): void {
    if (b.kind === 'lines') {
      if (b.keepLines !== undefined) {
        doc.fontSize(SIZES[b.style] * this.scale);
        if (doc.y + b.keepLines * doc.currentLineHeight(true) + b.gap * this.scale > doc.page.maxY()) doc.addPage();
      }
      for (const line of b.lines) this.write(doc, line, b.style, who, { width, lineGap: 1 }, { x: left, y: doc.y });
    } else if (b.kind === 'paragraph') {
      this.write(doc, b.text, b.style, who, { width, lineGap: 2 }, { x: left, y: doc.y });
    } else {
      const amountWidth = 100;
      const labelWidth = width - amountWidth - 12;
      for (const r of b.rows) {
        const style: LetterStyle = r.total ? 'bold' : 'normal';
        if (r.total) {
          doc
            .moveTo(left + labelWidth + 12, doc.y)
            .lineTo(left + width, doc.y)
            .lineWidth(0.75)
            .stroke();
          doc.y += 3;
        }
        const y = doc.y;
        this.write(doc, r.label, style, who, { width: labelWidth, lineGap: 1 }, { x: left, y });
        const after = doc.y;
        this.write(doc, r.amount, style, who, { width: amountWidth, align: 'right' }, { x: left + labelWidth + 12, y });
        doc.y = Math.max(after, doc.y) + 3;
      }
    }
    doc.x = left;
    doc.y += b.gap * this.scale;
  }
}
