/**
 * Filling template texts (layout.ts) in one language from the report data's fields, a row and the
 * labels; every result NFC-normalised. Missing fields are collected, never printed as blanks.
 */
import type { Labels } from './layout';
import { parseText, scalarText, type Scalar } from './text';

/** The data cannot fill the layout (a missing field, an unknown language, a bad as-of). */
export class ReportDataError extends Error {
  readonly code = 'report-data-invalid';
  constructor(readonly problems: string[]) {
    super(`report data: ${problems.join('; ')}`);
    this.name = 'ReportDataError';
  }
}

/** Fills template texts in one language; collects missing fields instead of printing them empty. */
export class TextFiller {
  readonly problems: string[] = [];
  constructor(private readonly labels: Labels, private readonly fields: Record<string, Scalar>) {}

  /** Placeholders look in the row first (lenient: absent prints empty), then in the fields (strict). */
  fill(template: string, row?: Record<string, Scalar>, keep?: ReadonlySet<string>): string {
    let out = '';
    for (const part of parseText(template)) {
      if ('literal' in part) out += part.literal;
      else if (keep?.has(part.name) && !part.map) out += `{${part.name}}`;
      else if (!part.map && part.name.startsWith('label.')) out += this.fill(this.labels[part.name.slice(6)] as string, row, keep);
      else {
        const value = this.lookup(part.name, row);
        const map = part.map ? (this.labels[part.map] as Record<string, string>) : undefined;
        const mapped = map?.[scalarText(value)];
        out += mapped !== undefined ? mapped : scalarText(value);
      }
    }
    return out.normalize('NFC');
  }

  lookup(name: string, row?: Record<string, Scalar>): Scalar | undefined {
    if (row && Object.prototype.hasOwnProperty.call(row, name)) return row[name];
    if (Object.prototype.hasOwnProperty.call(this.fields, name)) return this.fields[name];
    if (!row && !this.problems.includes(`missing field "${name}"`)) this.problems.push(`missing field "${name}"`);
    return undefined;
  }
}
