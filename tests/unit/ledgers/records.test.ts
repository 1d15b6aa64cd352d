import { DomainError } from '../../../src/event-sourcing/domain-error';
import { parseRecord } from '../../../src/ledgers/submit/records';

const UUID = '3b241101-e2bb-4255-8caf-4136c566a962';
const VALID: Record<string, Record<string, unknown>> = {
  progress: { type: 'progress', ledger: 'gd-2021', unit: 'gd-grid', task: '4', status: 'completed', on: '2021-06-30', note: 'done', evidence: ['粤电〔2021〕12号'], id: UUID },
  metric: { type: 'metric', ledger: 'gd-2021', unit: 'gd-grid', period: '2021-H1', metric: 'benefit.households', dimensions: { service: 'sanling-residential' }, value: 1520, id: UUID },
  correction: { type: 'correction', ledger: 'gd-2021', unit: 'gd-grid', corrects: UUID, reason: 'typo', value: 1500 },
};
const REQUIRED: Record<string, string[]> = {
  progress: ['ledger', 'unit', 'task', 'status', 'on'],
  metric: ['ledger', 'unit', 'period', 'metric', 'value'],
  correction: ['ledger', 'unit', 'corrects', 'reason'],
};

const show = (value: unknown) => {
  try {
    return JSON.stringify(value)?.slice(0, 200);
  } catch {
    return '(unprintable)';
  }
};

function problemsOf(value: unknown): DomainError {
  let accepted: unknown;
  try {
    accepted = parseRecord(value);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw new Error(`parseRecord threw ${String(error)} instead of a DomainError for ${show(value)}`);
  }
  throw new Error(`parseRecord accepted ${show(accepted)}`);
}

const fieldsOf = (value: unknown) => problemsOf(value).problems.map((p) => p.field);
const withField = (type: string, field: string, value: unknown) => ({ ...VALID[type], [field]: value });
const without = (type: string, field: string) => Object.fromEntries(Object.entries(VALID[type]).filter(([k]) => k !== field));

describe('parseRecord', () => {
  it('accepts the contract’s records as they are, coercing nothing', () => {
    for (const type of Object.keys(VALID)) {
      const record = parseRecord(structuredClone(VALID[type]));
      expect({ ...record }).toEqual(VALID[type]);
    }
    const minimal = parseRecord({ type: 'metric', ledger: 'gd-2021', unit: 'gd-grid', period: '2021', metric: 'connection.onlineShare', value: 0 });
    expect(minimal).toMatchObject({ value: 0 });
  });

  it('refuses anything but a JSON object', () => {
    for (const value of [null, undefined, 42, 0, 'progress', '', true, [], [VALID.progress], () => VALID.progress]) {
      const error = problemsOf(value);
      expect(error.code).toBe('invalid');
      expect(error.problems).toMatchObject([{ field: '(record)', reason: 'must be a JSON object' }]);
    }
  });

  it('refuses a missing or unknown type, quoting at most a little of it', () => {
    expect(problemsOf({ ledger: 'gd-2021' }).problems).toMatchObject([{ field: 'type', reason: 'must be one of progress, metric, correction' }]);
    for (const type of [1, null, {}, [], 'Progress', 'ocop', 'x'.repeat(100_000)]) {
      const { problems } = problemsOf({ ...VALID.progress, type });
      expect(problems).toHaveLength(1);
      expect(problems[0].field).toBe('type');
      expect(problems[0].reason).toMatch(/^must be one of progress, metric, correction; got /);
      expect(problems[0].reason.length).toBeLessThan(200);
    }
  });

  it('refuses type names that are properties of every object (toString, constructor, __proto__ …) as unknown types', () => {
    for (const type of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf']) {
      const { problems } = problemsOf({ ...VALID.progress, type });
      expect(problems).toMatchObject([{ field: 'type', reason: expect.stringMatching(/^must be one of progress, metric, correction/) }]);
    }
  });

  it('names every missing required field', () => {
    for (const [type, fields] of Object.entries(REQUIRED)) {
      for (const field of fields) expect(fieldsOf(without(type, field))).toEqual([field]);
      expect(fieldsOf({ type }).sort()).toEqual([...fields].sort());
    }
  });

  it('names every unknown field, including fields of another record type', () => {
    expect(problemsOf({ ...VALID.progress, extra: 1 }).problems).toMatchObject([{ field: 'extra', reason: 'is not a field of this record type' }]);
    expect(fieldsOf({ ...VALID.progress, value: 3, period: '2021-H1' }).sort()).toEqual(['period', 'value']);
    expect(fieldsOf({ ...VALID.metric, status: 'completed' })).toEqual(['status']);
    expect(fieldsOf({ ...VALID.correction, task: '4' })).toEqual(['task']);
    expect(fieldsOf({ ...VALID.progress, Type: 'progress' })).toEqual(['Type']);
  });

  it('refuses an unknown field named __proto__ (as JSON.parse makes it) like any other', () => {
    const value = JSON.parse('{"type":"progress","ledger":"gd-2021","unit":"gd-grid","task":"4","status":"completed","on":"2021-06-30","__proto__":{"isAdmin":true}}');
    expect(fieldsOf(value)).toEqual(['__proto__']);
  });

  describe('wrong types, field by field', () => {
    const WRONG: Record<string, Record<string, unknown[]>> = {
      progress: {
        ledger: [1, null, true, {}, [], ['gd-2021'], ''],
        unit: [1, null, false, { id: 'gd-grid' }, ''],
        task: [4, null, true, {}, ['4'], ''],
        status: [1, null, 'COMPLETED', 'done', ['completed'], {}],
        on: [20210630, null, '2021/06/30', '30-06-2021', '2021-06-30T00:00:00Z', {}, ['2021-06-30']],
        note: [1, true, {}, ['a']],
        evidence: ['doc', 1, {}, [1], [null], [['nested']], [{}]],
        id: [1, true, {}, 'abc', 'not-a-uuid', `${UUID} `, `{${UUID}}`, UUID.replace(/-/g, ''), UUID.replace('3', 'g')],
      },
      metric: {
        period: [2021, null, {}, ['2021-H1']],
        metric: [1, null, {}, ['benefit.households']],
        dimensions: ['service', 1, true, [], [['service', 'x']], { service: 1 }, { service: null }, { service: ['a'] }, { service: { id: 'x' } }],
        value: ['1520', '1e999', 'NaN', 'Infinity', '', null, true, {}, [1520], Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
      },
      correction: {
        corrects: [1, null, '', 'abc', UUID.toUpperCase().replace('A', 'Z'), {}],
        reason: [1, null, '', {}, ['typo']],
        value: ['1500', true, {}, Number.NaN],
        status: ['finished', 1],
        on: ['yesterday', 1],
        dimensions: ['x', { a: 1 }],
        period: [1, {}],
        note: [1, {}],
        evidence: ['x', [1]],
      },
    };
    for (const [type, fields] of Object.entries(WRONG)) {
      for (const [field, values] of Object.entries(fields)) {
        it(`${type}.${field}`, () => {
          for (const value of values) {
            const error = problemsOf(withField(type, field, value));
            expect(error.code).toBe('invalid');
            expect(error.problems.map((p) => p.field)).toMatchObject([field]);
            expect(error.problems[0].reason).not.toMatch(/^\s*$/);
          }
        });
      }
    }
  });

  it('gives a reason about the type, not the length, for a field of the wrong type', () => {
    const reasonFor = (type: string, field: string, value: unknown) => problemsOf(withField(type, field, value)).problems[0].reason;
    expect(reasonFor('progress', 'task', 4)).toMatch(/string/);
    expect(reasonFor('progress', 'note', 5)).toMatch(/string/);
    expect(reasonFor('progress', 'evidence', 'doc')).toMatch(/array/);
    expect(reasonFor('metric', 'period', 2021)).toMatch(/string/);
    expect(reasonFor('metric', 'metric', 7)).toMatch(/string/);
    expect(reasonFor('correction', 'reason', 7)).toMatch(/string/);
  });

  it('refuses a number too large for JSON to hold (1e999 parses to Infinity)', () => {
    for (const text of ['1e999', '-1e999']) {
      const value = JSON.parse(`{"type":"metric","ledger":"gd-2021","unit":"gd-grid","period":"2021-H1","metric":"benefit.households","value":${text}}`);
      expect(problemsOf(value).problems).toMatchObject([{ field: 'value', reason: 'must be a finite number' }]);
    }
  });

  it('refuses huge strings and lists, without echoing them', () => {
    const huge = 'x'.repeat(1_000_000);
    const cases: [string, string, unknown][] = [
      ['progress', 'ledger', 'g'.repeat(65)],
      ['progress', 'unit', huge],
      ['progress', 'task', '1'.repeat(33)],
      ['progress', 'note', 'n'.repeat(4001)],
      ['progress', 'evidence', Array.from({ length: 51 }, () => 'doc')],
      ['progress', 'evidence', ['e'.repeat(501)]],
      ['metric', 'period', '2021-H1'.padEnd(17, ' ')],
      ['metric', 'metric', 'm'.repeat(65)],
      ['metric', 'dimensions', { service: 'v'.repeat(129) }],
      ['metric', 'dimensions', { ['k'.repeat(65)]: 'v' }],
      ['metric', 'dimensions', Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`d${i}`, 'v']))],
      ['correction', 'reason', 'r'.repeat(2001)],
      ['correction', 'note', huge],
    ];
    for (const [type, field, value] of cases) {
      const { problems } = problemsOf(withField(type, field, value));
      expect(problems.map((p) => p.field)).toMatchObject([field]);
      expect(problems[0].reason.length).toBeLessThan(200);
    }
    // Limits are inclusive.
    expect(() => parseRecord(withField('progress', 'note', 'n'.repeat(4000)))).not.toThrow();
    expect(() => parseRecord(withField('progress', 'ledger', 'g'.repeat(64)))).not.toThrow();
    expect(() => parseRecord(withField('metric', 'dimensions', Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`d${i}`, 'v']))))).not.toThrow();
  });

  it('refuses deeply nested dimensions', () => {
    expect(fieldsOf(withField('metric', 'dimensions', { service: { service: 'x' } }))).toEqual(['dimensions']);
    expect(fieldsOf(withField('metric', 'dimensions', { service: [[['x']]] }))).toEqual(['dimensions']);
  });

  it('refuses nesting thousands of levels deep (a 60 KB NDJSON line) as a bad field, without overflowing the stack', () => {
    const deep = (depth: number) => `${'{"service":'.repeat(depth)}"x"${'}'.repeat(depth)}`;
    const line = (field: string) =>
      `{"type":"metric","ledger":"gd-2021","unit":"gd-grid","period":"2021-H1","metric":"benefit.households","value":1,"${field}":${deep(5000)}}`;
    expect(line('dimensions').length).toBeLessThan(100_000);
    expect(fieldsOf(JSON.parse(line('dimensions')))).toEqual(['dimensions']);
    expect(fieldsOf(JSON.parse(line('extra')))).toEqual(['extra']);
  });

  it('names every bad field of one record at once', () => {
    const error = problemsOf({ type: 'progress', ledger: 'gd.2021', unit: 'gd-grid', task: '4', status: 'done', on: '2021-6-30', id: 'x', extra: true });
    expect(error.problems.map((p) => p.field).sort()).toMatchObject(['extra', 'id', 'ledger', 'on', 'status']);
  });

  it('refuses null for a correction’s replacement facts (omit a fact to keep it)', () => {
    expect(fieldsOf(withField('correction', 'value', null))).toEqual(['value']);
    expect(fieldsOf({ ...without('correction', 'value'), status: null })).toEqual(['status']);
  });

  it('names a field in every refusal of randomly broken records', () => {
    // A seeded generator: the same "random" records on every run.
    let seed = 20210329;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
    const junk: unknown[] = [null, 0, -1, 1.5, 1e308, '', ' ', 'x', '2021-H1', UUID, 'gd-grid', true, false, [], [1], ['a'], {}, { a: 'b' }, { a: { b: 'c' } }, 'é'.normalize('NFD'), '\u0000', '😀'.repeat(40)];
    for (let round = 0; round < 400; round++) {
      const type = pick(Object.keys(VALID));
      const record: Record<string, unknown> = { ...VALID[type] };
      const keys = [...Object.keys(record), 'extra', 'value', 'status', 'dimensions'];
      for (let n = 1 + Math.floor(next() * 3); n > 0; n--) record[pick(keys)] = pick(junk);
      let result: unknown;
      try {
        result = parseRecord(record);
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError);
        for (const problem of (error as DomainError).problems) {
          expect(typeof problem.field).toBe('string');
          expect([...Object.keys(record), '(record)']).toContain(problem.field);
          expect(problem.reason.length).toBeGreaterThan(0);
        }
        continue;
      }
      expect(result).toMatchObject({ type });
    }
  });
});
