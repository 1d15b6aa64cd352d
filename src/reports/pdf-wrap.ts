/**
 * Line breaking of table cell texts for the PDF, done here instead of in pdfmake. pdfmake turns each
 * break opportunity into a styled inline object — every Chinese character is one — which makes a
 * 10,000-row table take twice the time and memory. This breaks the same way (UAX #14 via `linebreak`,
 * widths from the same font via `fontkit`, both the very modules pdfmake and pdfkit use) and hands
 * pdfmake one unbreakable inline per line.
 */
import { readFileSync } from 'node:fs';

interface Font { unitsPerEm: number; ascent: number; descent: number; layout(text: string): { advanceWidth: number } }
interface Breaker { nextBreak(): { position: number; required: boolean } | null }
/* eslint-disable @typescript-eslint/no-require-imports -- untyped CommonJS modules that come with pdfmake */
const fontkit = require('fontkit') as { create(buffer: Buffer): Font };
const LineBreaker = require('linebreak') as new (text: string) => Breaker;
/* eslint-enable @typescript-eslint/no-require-imports */

const MAX_CACHED_WORDS = 50_000;

/** Widths of words in em, cached per font (the words of a report repeat: characters, syllables). */
class Measure {
  private readonly font: Font;
  private readonly cache = new Map<string, number>();
  constructor(path: string) {
    this.font = fontkit.create(readFileSync(path));
  }
  /** A line's height in em, as pdfkit counts it (ascent to descent, no line gap). */
  lineEm(): number {
    return (this.font.ascent - this.font.descent) / this.font.unitsPerEm;
  }
  em(word: string): number {
    let w = this.cache.get(word);
    if (w === undefined) {
      if (this.cache.size >= MAX_CACHED_WORDS) this.cache.clear();
      w = this.font.layout(word).advanceWidth / this.font.unitsPerEm;
      this.cache.set(word, w);
    }
    return w;
  }
}

export class TextWrapper {
  private readonly measures = new Map<string, Measure>();
  constructor(private readonly regular: string, private readonly bold: string) {}

  private measure(bold: boolean): Measure {
    const path = bold ? this.bold : this.regular;
    let m = this.measures.get(path);
    if (!m) this.measures.set(path, (m = new Measure(path)));
    return m;
  }

  /** The height in points of one line at `size` with pdfmake's `lineHeight` factor. */
  lineHeight(size: number, bold: boolean, factor: number): number {
    return this.measure(bold).lineEm() * size * factor;
  }

  /** The lines `text` breaks into within `width` points at `size`; explicit newlines are kept. */
  lines(text: string, width: number, size: number, bold: boolean): string[] {
    const measure = this.measure(bold);
    const max = width / size;
    const out: string[] = [];
    let line = '';
    let lineEm = 0;
    const push = (): void => { out.push(line.trimEnd()); line = ''; lineEm = 0; };
    const add = (word: string): void => {
      const em = measure.em(word);
      const trimmed = word.trimEnd();
      const visible = trimmed === word ? em : measure.em(trimmed);
      if (line !== '' && lineEm + visible > max) push();
      if (line === '' && visible > max && [...trimmed].length > 1) {
        for (const ch of word) add(ch); // a word wider than the cell: break it anywhere, as pdfmake does
        return;
      }
      if (line === '') {
        line = word.trimStart();
        lineEm = measure.em(line);
      } else {
        line += word;
        lineEm += em;
      }
    };
    const breaker = new LineBreaker(text);
    let last = 0;
    for (let bk = breaker.nextBreak(); bk; bk = breaker.nextBreak()) {
      const word = text.slice(last, bk.position);
      last = bk.position;
      const required = bk.required || /\r?\n$|\r$/.test(word);
      add(word.replace(/\r?\n$|\r$/, ''));
      if (required) push();
    }
    if (line !== '' || out.length === 0) push();
    return out;
  }
}
