import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_MESSAGES } from '../../../src/i18n/errors.messages';
import { LANGS } from '../../../src/i18n/languages';
import { localize, problem } from '../../../src/i18n/problem';
import { CATALOGUE, t } from '../../../src/i18n/translate';
import { metricValueProblem } from '../../../src/programmes/numbers';
import { parsePeriod } from '../../../src/programmes/period';

const paramsOf = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the one message catalogue', () => {
  it.each(Object.entries(CATALOGUE))('%s has three non-empty languages with the same parameters', (_key, message) => {
    for (const lang of LANGS) expect(message[lang]?.trim()).toBeTruthy();
    expect(paramsOf(message.zh)).toEqual(paramsOf(message.en));
    expect(paramsOf(message.vi)).toEqual(paramsOf(message.en));
    // Chinese and Vietnamese are translations, not English copied over (parameters and ids aside).
    const words = (text: string) => text.replace(/\{\w+\}|[A-Za-z_]*[A-Z./_-][\w./{}?=-]*|\s+/g, '');
    if (words(message.en).length > 0) expect(message.zh).not.toBe(message.en);
  });

  it('defines each key in one file only (a second definition would silently override the first)', () => {
    const dir = join(__dirname, '../../../src/i18n');
    const definedIn = new Map<string, string[]>();
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.messages.ts'))) {
      for (const [, key] of readFileSync(join(dir, file), 'utf8').matchAll(/^ {2}'([\w.-]+)': \{/gm)) definedIn.set(key, [...(definedIn.get(key) ?? []), file]);
    }
    expect(definedIn.size).toBeGreaterThanOrEqual(Object.keys(CATALOGUE).length);
    expect([...definedIn].filter(([, files]) => files.length > 1)).toEqual([]);
  });

  it('gives every error key used by the problems in all three languages', () => {
    for (const key of Object.keys(ERROR_MESSAGES)) for (const lang of LANGS) expect(t(lang, key)).not.toBe(key);
  });

  it('fills a parameter that is itself a phrase in the same language', () => {
    const refused = metricValueProblem({ min: 0, max: 100, unit: '%', decimals: 2 }, 100.5);
    const [zh, vi, en] = LANGS.map((lang) => localize([{ field: 'value', reason: refused!.problem, message: refused!.message }], lang)[0].reason);
    expect(en).toBe('100.5 is out of range; allowed: 0 ≤ value ≤ 100 %, at most 2 decimals');
    expect(zh).toBe('100.5 超出范围；允许：0 ≤ 数值 ≤ 100 %，最多 2 位小数');
    expect(vi).toBe('100.5 nằm ngoài khoảng cho phép; cho phép: 0 ≤ giá trị ≤ 100 %, tối đa 2 chữ số thập phân');
  });

  it('keeps the field as sent and the English reason for callers without a language', () => {
    const period = parsePeriod('2021-Q5');
    expect(period.ok).toBe(false);
    const sent = problem('periodo', (period as { error: { message: { key: string } } }).error.message.key, { part: 'Q5', value: '2021-Q5' });
    expect(sent.reason).toBe('quarter Q5 out of range in "2021-Q5": expected Q1…Q4');
    expect(localize([sent], 'vi')).toEqual([{ field: 'periodo', reason: 'quý Q5 trong "2021-Q5" nằm ngoài khoảng: cần Q1…Q4' }]);
  });
});
