/**
 * Placeholder texts and value formatting shared by the validator and the resolver. Pure, and
 * independent of the host's locale (no toLocaleString), so both renderers and every machine agree.
 */
export type TextPart = { literal: string } | { name: string; map?: string };

const NAME = '[A-Za-z_][A-Za-z0-9_.-]*';
const PLACEHOLDER = new RegExp(`^\\{(${NAME})(?:\\|(${NAME}))?\\}`);

/** Splits a template into literals and placeholders; throws a RangeError naming the bad brace. */
export function parseText(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let literal = '';
  for (let i = 0; i < text.length;) {
    const two = text.slice(i, i + 2);
    if (two === '{{' || two === '}}') { literal += two[0]; i += 2; continue; }
    if (text[i] === '}') throw new RangeError(`unmatched "}" at character ${i + 1}`);
    if (text[i] !== '{') { literal += text[i++]; continue; }
    const m = PLACEHOLDER.exec(text.slice(i));
    if (!m) throw new RangeError(`malformed placeholder at character ${i + 1}: expected {name} or {name|map}`);
    if (literal) parts.push({ literal });
    literal = '';
    parts.push(m[2] ? { name: m[1], map: m[2] } : { name: m[1] });
    i += m[0].length;
  }
  if (literal) parts.push({ literal });
  return parts;
}

export type Scalar = string | number | boolean | null;

/** Text of a scalar in a template: null → '', numbers in plain decimal notation. */
export function scalarText(v: Scalar | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return plainNumber(v);
  return String(v);
}

function plainNumber(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return v.toFixed(0);
  return String(Number(v.toPrecision(15)));
}

/**
 * Rounds half away from zero on the decimal value as Excel shows it (15 significant digits), so
 * the PDF's text and the xlsx's number format always print the same digits.
 */
export function formatNumber(v: number, decimals: number, grouping: boolean): string {
  const sig = Number(v.toPrecision(15));
  const sign = sig < 0 ? '-' : '';
  const shifted = Math.round(Number(`${Math.abs(sig)}e${decimals}`));
  const fixed = Number(`${shifted}e-${decimals}`).toFixed(decimals);
  const [int, frac] = fixed.split('.');
  const grouped = grouping ? int.replace(/\B(?=(\d{3})+$)/g, ',') : int;
  const out = frac ? `${grouped}.${frac}` : grouped;
  return /[1-9]/.test(out) ? sign + out : out;
}

/** The xlsx number format for the same rule: `#,##0.00`, `0`. */
export function numberFormatCode(decimals: number, grouping: boolean): string {
  return (grouping ? '#,##0' : '0') + (decimals > 0 ? `.${'0'.repeat(decimals)}` : '');
}

export const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `2021-06-30` with `dd/mm/yyyy` → `30/06/2021`; the same pattern is the xlsx date format. */
export function formatDate(date: string, pattern: string): string {
  const m = LOCAL_DATE.exec(date);
  if (!m) return date;
  return pattern.replace(/yyyy|mm|dd/g, (t) => (t === 'yyyy' ? m[1] : t === 'mm' ? m[2] : m[3]));
}

/** Sum with the float noise of binary addition removed (0.1 + 0.2 → 0.3), as a 15-digit decimal. */
export function cleanSum(values: number[]): number {
  return Number(values.reduce((a, b) => a + b, 0).toPrecision(15));
}

/** Natural order, independent of locale: numbers by value, digit runs in texts by value ("1.2" < "1.10"). */
export function naturalCompare(a: Scalar | undefined, b: Scalar | undefined): number {
  const rank = (v: Scalar | undefined): number => (v === null || v === undefined ? 2 : typeof v === 'number' ? 0 : 1);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = scalarText(a).match(/\d+|\D+/g) ?? [];
  const y = scalarText(b).match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] === y[i]) continue;
    const dx = /^\d/.test(x[i]);
    const dy = /^\d/.test(y[i]);
    if (dx && dy) {
      const n = BigInt(x[i]) - BigInt(y[i]);
      if (n !== 0n) return n < 0n ? -1 : 1;
      return x[i].length - y[i].length;
    }
    return x[i] < y[i] ? -1 : 1;
  }
  return x.length - y.length;
}
