/**
 * fast-check arbitraries for the property-based fuzz of the HTTP routes and the NDJSON channel
 * (tests/e2e/fuzz-http.e2e.test.ts): requests to every route with random paths, repeated query
 * parameters, mutated submission records, duplicate keys, raw literals JSON cannot write, bytes
 * that are not UTF-8, and random tokens.
 */
import fc from 'fast-check';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface FuzzRequest {
  method: 'GET' | 'POST';
  path: string;
  body: string | Buffer;
  /** null: no Content-Type header. */
  contentType: string | null;
  as: 'grid' | 'admin' | 'none' | 'bogus';
}

/** Valid records the mutations start from: the contract's three kinds and an OCOP one. */
export type BaseRecords = Record<string, Record<string, Json>>;

const TRICKY = [
  '１２３', '1,234.5', '1.234,5', '2021年6月30日', '30/06/2021', '2021/6/30', 'Đa\u0303', '\u202eevil', 'a\u0000b', 'a\u0085b', 'x\r\ny', '\t',
  '1e308', '-0', 'NaN', 'Infinity', '2021-H1', '2021-Q3', '2021', '1900', '0001-01-01', '2025', '2099-01-01', '\ud800', '😀', '',
  '../../etc/passwd', '%', '%ff', '__proto__', 'constructor',
];
const KNOWN = ['gd-2021', 'gd-grid', 'gz-grid', 'gd-energy', 'nobody', '4', '2', '999', 'benefit.households', 'sansheng', 'nea-2021-37', 'nea-attachment-3', 'task-status'];

const text = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TRICKY, ...KNOWN) },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
);
const numberish = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(1e308, -0, 1e29, 0.1 + 0.2, 1e12, 999_999_999_999.99, 5e-324, 1520, 1.5, -3, 12.3456));
const value: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: text },
  { weight: 3, arbitrary: numberish },
  { weight: 1, arbitrary: fc.constantFrom<Json>(null, true, false, [], {}, [1], { service: 'sansheng' }, { service: 1 }, ['a', 'a']) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
);

const FIELDS = ['type', 'ledger', 'unit', 'id', 'task', 'status', 'on', 'note', 'evidence', 'period', 'metric', 'dimensions', 'value', 'corrects', 'reason', 'product', 'extra'];

const numberText = fc.oneof(fc.constantFrom('１２３', '1,234.5', '1.234,5', '1,5', '12', '-0', '1e3', ' 7 ', '０．５'), numberish.map(String));
const dateOrPeriod = fc.oneof(
  fc.constantFrom('2021-06-30', '2021年6月30日', '30/06/2021', '２０２１-０６-３０', '1900-01-01', '0001-01-01', '2025-01-01', '2019-01-01', '2023-12-31', '2021-02-29'),
  fc.constantFrom('2021-H1', '２０２１-H1', '1900', '2025', '2019', '2023-H1', '2021-H2', '0000'),
  fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
);
/** One change to a record: mostly to the fields whose values are read (value, dates, periods, texts), sometimes any field to anything. */
const edit: fc.Arbitrary<[string, Json | null]> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.constant('value'), fc.oneof(numberish, numberText)) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('on', 'period'), dateOrPeriod) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('note', 'reason', 'task', 'unit', 'council', 'round'), text) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('evidence'), fc.array(text, { maxLength: 3 })) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...FIELDS), fc.option(value, { freq: 5 })) },
) as fc.Arbitrary<[string, Json | null]>;

/** A valid record with up to three fields replaced, removed or added. */
export function mutatedRecord(bases: BaseRecords): fc.Arbitrary<Record<string, Json>> {
  return fc.tuple(fc.constantFrom(...Object.keys(bases)), fc.array(edit, { maxLength: 3 })).map(([kind, edits]) => {
    const record: Record<string, Json> = { ...bases[kind] };
    for (const [field, replacement] of edits) {
      if (replacement === null) delete record[field];
      else record[field] = replacement;
    }
    return record;
  });
}

/** The text of a JSON body or NDJSON line: the record as JSON, or raw damage JSON.stringify cannot write. */
export function recordText(bases: BaseRecords): fc.Arbitrary<string | Buffer> {
  const record = mutatedRecord(bases);
  return fc.oneof(
    { weight: 8, arbitrary: record.map((r) => JSON.stringify(r)) },
    // A key given twice, at the top or inside dimensions.
    { weight: 2, arbitrary: fc.tuple(record, fc.constantFrom('value', 'unit', 'type', 'note'), value).map(([r, key, v]) => `${JSON.stringify(r).slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(v)}}`) },
    { weight: 1, arbitrary: record.map((r) => JSON.stringify({ ...r, dimensions: 'DIMS' }).replace('"DIMS"', '{"service":"sansheng","service":"sanling-other"}')) },
    // Literals JSON does not write, in place of the value.
    { weight: 1, arbitrary: fc.tuple(record, fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e999', '-0', '0x10', '+1', '01', '.5', '1.', 'undefined', '1e-999')).map(([r, lit]) => `${JSON.stringify({ ...r, value: 0 }).replace(/"value":0/, `"value":${lit}`)}`) },
    // Cut short, or bytes that are not UTF-8 inside a string.
    { weight: 1, arbitrary: fc.tuple(record, fc.nat()).map(([r, n]) => { const t = JSON.stringify(r); return t.slice(0, n % t.length); }) },
    { weight: 1, arbitrary: fc.tuple(record, fc.uint8Array({ minLength: 1, maxLength: 4 })).map(([r, bytes]) => { const [a, b] = JSON.stringify({ ...r, note: 'MARK' }).split('MARK'); return Buffer.concat([Buffer.from(a), Buffer.from(bytes), Buffer.from(b)]); }) },
    { weight: 1, arbitrary: fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'), fc.string({ maxLength: 50 })) },
  );
}

/** Percent-encoded, as a client would send it (a lone surrogate has no UTF-8 form: its CESU bytes are sent). */
const encoded = (t: string) => {
  try {
    return encodeURIComponent(t);
  } catch {
    return '%ED%A0%80';
  }
};
const segment = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...KNOWN) }, { weight: 1, arbitrary: text.map(encoded) }, { weight: 1, arbitrary: fc.constantFrom('%ff', '%', '..', '') });
const QUERY_NAMES = ['unit', 'task', 'metric', 'asOf', 'offset', 'limit', 'period', 'format', 'rollup', 'number', 'verdict', 'within', 'list', 'after', 'product', 'active', 'ledger', 'x'];
const queryValue = fc.oneof(text, fc.nat().map(String), fc.constantFrom('xlsx', 'pdf', 'json', 'true', 'false', '2021-H1', '2021', '10000', '10001', '-1', '2021-07-10T00:00:00Z', '3'));
/** A query string: parameters (names may repeat), percent-encoded, or now and then raw. */
const query = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.tuple(fc.constantFrom(...QUERY_NAMES), queryValue), { maxLength: 5 }).map((pairs) => (pairs.length ? `?${new URLSearchParams(pairs).toString()}` : '')) },
  { weight: 1, arbitrary: fc.constantFrom('?unit=a&unit=b', '?limit=1&limit=1', '?%ff=1', '?unit[]=a', '?unit[x]=a', '?&&', '?unit', '?asOf=%zz') },
);

const GET_ROUTES = ['status', 'history', 'metrics', 'indicators', 'deadlines', 'reports', 'reports/SEG', 'ocop/counts', 'ocop/products', 'ocop/goals', 'ocop/district-targets', 'workbooks/SEG'];

/** Any request to any route: mostly submissions, every other route too, as any caller. */
export function fuzzRequest(bases: BaseRecords): fc.Arbitrary<FuzzRequest> {
  const as = fc.constantFrom<FuzzRequest['as']>('grid', 'grid', 'grid', 'admin', 'admin', 'none', 'bogus');
  const contentType = fc.oneof({ weight: 10, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom<string | null>(null, 'text/plain', 'application/json; charset=latin1', 'application/x-www-form-urlencoded') });
  const ledgerPath = fc.tuple(segment, fc.constantFrom(...GET_ROUTES), segment, query).map(([ledger, route, seg, q]) => `/api/ledgers/${ledger}/${route.replace('SEG', seg)}${q}`);
  const otherGet = fc.tuple(fc.constantFrom('/api/programmes', '/api/programmes/SEG', '/api/tokens', '/health', '/api/SEG', '/SEG'), segment, query).map(([p, seg, q]) => `${p.replace('SEG', seg)}${q}`);
  const get = fc.record({ method: fc.constant<'GET'>('GET'), path: fc.oneof({ weight: 4, arbitrary: ledgerPath }, { weight: 1, arbitrary: otherGet }), body: fc.constant(''), contentType: fc.constant(null), as });
  const submission = fc.record({
    method: fc.constant<'POST'>('POST'),
    path: fc.tuple(fc.oneof({ weight: 6, arbitrary: fc.constant('gd-2021') }, { weight: 1, arbitrary: segment }), query).map(([l, q]) => `/api/ledgers/${l}/submissions${q}`),
    body: recordText(bases),
    contentType,
    as,
  });
  const admin = fc.record({
    method: fc.constant<'POST'>('POST'),
    path: fc.tuple(fc.constantFrom('/api/ledgers', '/api/ledgers/SEG/units', '/api/ledgers/SEG/units/SEG/retire', '/api/programmes', '/api/tokens', '/api/tokens/SEG/revoke'), segment).map(([p, seg]) => p.replace(/SEG/g, seg)),
    body: fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
      fc.record({ ledgerId: text, programme: text, name: text, reason: text, unit: text, role: text, label: text, units: fc.array(fc.record({ id: text, name: text, role: text, parent: fc.option(text) }), { maxLength: 3 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
    ),
    contentType,
    as,
  });
  const workbook = fc.record({ method: fc.constant<'POST'>('POST'), path: segment.map((u) => `/api/ledgers/gd-2021/workbooks/${u}`), body: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)), contentType: fc.constantFrom<string | null>('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/octet-stream', null), as });
  return fc.oneof({ weight: 6, arbitrary: submission }, { weight: 4, arbitrary: get }, { weight: 2, arbitrary: admin }, { weight: 1, arbitrary: workbook });
}

/** The text of an NDJSON file (as the CLI has read it): a few lines, each a record or damage. */
export function ndjsonFile(bases: BaseRecords): fc.Arbitrary<string> {
  return fc.array(recordText(bases), { minLength: 1, maxLength: 5 }).map((lines) => lines.map((l) => l.toString().replace(/[\r\n]/g, ' ')).join('\n'));
}
