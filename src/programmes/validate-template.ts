/**
 * validateTemplate: checks an untrusted value (parsed YAML/JSON) against the ProgrammeTemplate format
 * of template.ts and collects every error as { path: 'tasks[12].deadline', reason }.
 * Shapes are tables (field → check, `?` marks an optional field); references and uniqueness are
 * checked against the ids the template declares.
 */
import type { Metric, ProgrammeTemplate } from './template';
import { daysInMonth, isLocalDate, isValidTimeZone } from './local-time';
import { PERIOD_KINDS, periodSuffixes } from './period';
import { at, describedValue } from '../input/validation-paths';
import { VALUE_LIMIT, valueBounds } from './numbers';
import { readText } from '../input/text';
import { t, type MessageParams } from '../i18n/translate';

export interface TemplateError {
  path: string;
  /** In English; `message` gives it in the administrator's language. */
  reason: string;
  message?: { key: string; params?: MessageParams };
}

export type TemplateValidation = { ok: true; template: ProgrammeTemplate } | { ok: false; errors: TemplateError[] };

type Obj = Record<string, unknown>;

interface Ctx {
  errors: TemplateError[];
  roles: Set<string>;
  sections: Set<string>;
  tasks: Set<string>;
  metrics: Map<string, Map<string, Set<string>>>; // metric id → dimension id → value ids
}

type Check = (value: unknown, path: string, ctx: Ctx) => void;

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Dimension and value ids: letters and digits, camelCase or kebab-case (`cityClass`, `sanling-residential`). */
const NAME = /^[a-z0-9][A-Za-z0-9]*(-[A-Za-z0-9]+)*$/;
const METRIC_ID = /^[a-z][A-Za-z0-9-]*(\.[a-z][A-Za-z0-9-]*)*$/;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An error at a path, its reason from the catalogue (src/i18n/errors-input.messages.ts). */
const fail = (c: Ctx, path: string, key: string, params: MessageParams = {}): void => void c.errors.push({ path, reason: t('en', key, params), message: { key, params } });
/** A label of the format (`role id`, `period kind`) as a phrase of the catalogue. */
const label = (name: string) => ({ key: `phrase.template.${name}` });

// ---- leaf checks ----------------------------------------------------------------------------

const text: Check = (v, p, c) => {
  if (typeof v !== 'string') {
    if (typeof v === 'number') fail(c, p, 'problem.template.quoteNumber', { got: describedValue(v), value: v });
    else fail(c, p, 'problem.template.notString', { got: describedValue(v) });
  } else if (v.trim() === '') fail(c, p, 'problem.notEmpty');
  else {
    const read = readText(v);
    if ('problem' in read) c.errors.push({ path: p, reason: read.problem, message: read.message });
  }
};

const matching = (re: RegExp, what: string): Check => (v, p, c) => {
  text(v, p, c);
  if (typeof v === 'string' && v.trim() !== '' && !re.test(v)) fail(c, p, 'problem.template.invalidId', { what: label(what), value: v });
};

const bool: Check = (v, p, c) => {
  if (typeof v !== 'boolean') fail(c, p, 'problem.template.notBoolean', { got: describedValue(v) });
};

const num: Check = (v, p, c) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(c, p, 'problem.template.notNumber', { got: describedValue(v) });
};

const int = (min: number, max: number): Check => (v, p, c) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    if (max === Infinity) fail(c, p, 'problem.template.notIntegerFrom', { min, got: describedValue(v) });
    else fail(c, p, 'problem.template.notInteger', { min, max, got: describedValue(v) });
  }
};

const date: Check = (v, p, c) => {
  if (!isLocalDate(v)) fail(c, p, 'problem.template.notDate', { got: describedValue(v) });
};

const oneOf = (what: string, values: readonly string[]): Check => (v, p, c) => {
  if (typeof v !== 'string' || !values.includes(v)) {
    fail(c, p, 'problem.template.unknownChoice', { what: label(what), got: typeof v === 'string' ? `"${v}"` : describedValue(v), allowed: values.join(', ') });
  }
};

const ref = (what: string, declared: (c: Ctx) => { has(id: string): boolean }): Check => (v, p, c) => {
  text(v, p, c);
  if (typeof v === 'string' && v.trim() !== '' && !declared(c).has(v)) fail(c, p, 'problem.template.unknownRef', { what: label(what), value: v });
};

// ---- structure ------------------------------------------------------------------------------

/** An object with the given fields (`name?` = optional); `post` runs afterwards for cross-field checks. */
function object(spec: Record<string, Check>, post?: (o: Obj, path: string, ctx: Ctx) => void): Check {
  const fields = Object.entries(spec).map(([k, check]) => ({ key: k.replace(/\?$/, ''), optional: k.endsWith('?'), check }));
  const known = new Set(fields.map((f) => f.key));
  return (v, p, c) => {
    if (!isObj(v)) return fail(c, p || '(root)', 'problem.template.notObject', { got: describedValue(v) });
    for (const f of fields) {
      if (Object.prototype.hasOwnProperty.call(v, f.key)) f.check(v[f.key], at(p, f.key), c);
      else if (!f.optional) fail(c, at(p, f.key), 'problem.template.missingField');
    }
    for (const k of Object.keys(v)) if (!known.has(k)) fail(c, at(p, k), 'problem.template.unknownField', { key: k });
    post?.(v, p, c);
  };
}

/** A discriminated union on `kind`. */
function byKind(variants: Record<string, Record<string, Check>>, post?: (o: Obj, path: string, ctx: Ctx) => void): Check {
  const checks = Object.fromEntries(Object.entries(variants).map(([k, spec]) => [k, object({ kind: () => {}, ...spec }, post)]));
  const kinds = Object.keys(variants);
  return (v, p, c) => {
    if (!isObj(v)) return fail(c, p, 'problem.template.notObject', { got: describedValue(v) });
    if (!('kind' in v)) return fail(c, at(p, 'kind'), 'problem.template.missingField');
    const check = typeof v.kind === 'string' && Object.prototype.hasOwnProperty.call(checks, v.kind) ? checks[v.kind] : undefined;
    if (!check) {
      return fail(c, p, 'problem.template.unknownChoice', { what: label('kind'), got: typeof v.kind === 'string' ? `"${v.kind}"` : describedValue(v.kind), allowed: kinds.join(', ') });
    }
    check(v, p, c);
  };
}

/** A list; `unique` names the item field (or the item itself, '') that must not repeat. */
function list(item: Check, opts: { unique?: string; label?: string; nonEmpty?: boolean } = {}): Check {
  return (v, p, c) => {
    if (!Array.isArray(v)) return fail(c, p, 'problem.template.notList', { got: describedValue(v) });
    if (opts.nonEmpty && v.length === 0) fail(c, p, 'problem.notEmpty');
    const seen = new Map<string, string>();
    v.forEach((x, i) => {
      item(x, at(p, i), c);
      if (opts.unique === undefined) return;
      const key = opts.unique === '' ? x : isObj(x) ? x[opts.unique] : undefined;
      if (typeof key !== 'string') return;
      const path = opts.unique === '' ? at(p, i) : at(at(p, i), opts.unique);
      const first = seen.get(key);
      if (first) fail(c, path, 'problem.template.duplicate', { what: label(opts.label ?? opts.unique), value: key, first });
      else seen.set(key, path);
    });
  };
}

/** A map from free keys to values. */
const record = (value: Check): Check => (v, p, c) => {
  if (!isObj(v)) return fail(c, p, 'problem.template.notObject', { got: describedValue(v) });
  for (const [k, x] of Object.entries(v)) value(x, at(p, k), c);
};

// ---- the format -----------------------------------------------------------------------------

const monthDay = (o: Obj, p: string, c: Ctx): void => {
  if (typeof o.month === 'number' && typeof o.day === 'number' && Number.isInteger(o.month) && o.month >= 1 && o.month <= 12
    && Number.isInteger(o.day) && o.day > daysInMonth(2000, o.month)) {
    fail(c, at(p, 'day'), 'problem.template.noSuchDay', { day: o.day, month: o.month });
  }
};

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** A list that must be in ascending order without repeats (rounds' dates, listed months). */
const ascending = (item: Check, what: string): Check => (v, p, c) => {
  list(item, { nonEmpty: true })(v, p, c);
  if (!Array.isArray(v)) return;
  v.forEach((x, i) => {
    if (i > 0 && typeof x === 'string' && typeof v[i - 1] === 'string' && x <= v[i - 1]) fail(c, at(p, i), 'problem.template.notAscending', { what: label(what), value: x, previous: v[i - 1] as string });
  });
};

const deadline: Check = byKind({
  date: { date, text, 'condition?': text },
  'end-of-year': { year: int(1900, 2999), text, 'condition?': text },
  window: { from: date, to: date, text, 'condition?': text },
  rounds: { dates: ascending(date, 'date'), text },
  months: { months: ascending(matching(MONTH, 'monthForm'), 'month'), text },
  'from-year': { year: int(1900, 2999), every: oneOf('periodKind', PERIOD_KINDS), text },
  yearly: { month: int(1, 12), day: int(1, 31), 'firstYear?': int(1900, 2999), 'lastYear?': int(1900, 2999), text },
  ongoing: { every: oneOf('periodKind', PERIOD_KINDS), text },
  condition: { text },
}, (o, p, c) => {
  if (o.kind === 'window' && isLocalDate(o.from) && isLocalDate(o.to) && o.to < o.from) {
    fail(c, at(p, 'to'), 'problem.template.windowReversed', { from: o.from, to: o.to });
  }
  if (o.kind === 'yearly') {
    monthDay(o, p, c);
    if (typeof o.firstYear === 'number' && typeof o.lastYear === 'number' && o.lastYear < o.firstYear) {
      fail(c, at(p, 'lastYear'), 'problem.template.lastBeforeFirst', { first: o.firstYear, last: o.lastYear });
    }
  }
});

const COMPARATORS = ['<=', '>=', '=', '<', '>'] as const;
const AGGREGATES = ['sum', 'max', 'min', 'mean', 'latest', 'count'] as const;

/** `where` keys must be dimensions of the selected metric, values (or each value of a list) among that dimension's values. */
function checkWhere(o: Obj, p: string, c: Ctx): void {
  const dims = typeof o.metric === 'string' ? c.metrics.get(o.metric) : undefined;
  if (!dims || !isObj(o.where)) return;
  for (const [dim, value] of Object.entries(o.where)) {
    const values = dims.get(dim);
    const path = at(at(p, 'where'), dim);
    if (!values) fail(c, path, 'problem.template.unknownDimension', { dimension: dim, metric: o.metric as string });
    else if (typeof value === 'string' && !values.has(value)) fail(c, path, 'problem.template.unknownDimensionValue', { value, dimension: dim });
    else if (Array.isArray(value)) {
      value.forEach((v, i) => {
        if (typeof v === 'string' && v.trim() !== '' && !values.has(v)) fail(c, at(path, i), 'problem.template.unknownDimensionValue', { value: v, dimension: dim });
      });
    }
  }
}

/** A `where` entry: one value id, or a non-empty list of distinct value ids (any of them). */
const whereValue: Check = (v, p, c) => {
  if (!Array.isArray(v)) return text(v, p, c);
  list(text, { unique: '', label: 'value', nonEmpty: true })(v, p, c);
};

const selectorSpec = {
  metric: ref('metric', (c) => c.metrics),
  'where?': record(whereValue),
  aggregate: oneOf('aggregate', AGGREGATES),
};
const selector = object(selectorSpec, checkWhere);

const rule: Check = (v, p, c) => ruleCheck(v, p, c);
const ruleCheck: Check = byKind({
  compare: { ...selectorSpec, op: oneOf('op', COMPARATORS), value: num },
  between: { ...selectorSpec, min: num, max: num },
  'at-least': { ...selectorSpec, min: num, max: num },
  change: { ...selectorSpec, baseline: oneOf('baseline', ['previous-year']), op: oneOf('op', COMPARATORS), percent: num },
  ratio: { numerator: selector, denominator: selector, op: oneOf('op', COMPARATORS), percent: num },
  any: { rules: list(rule, { nonEmpty: true }) },
  all: { rules: list(rule, { nonEmpty: true }) },
}, (o, p, c) => {
  if ('metric' in o) checkWhere(o, p, c);
  if ((o.kind === 'between' || o.kind === 'at-least') && typeof o.min === 'number' && typeof o.max === 'number' && o.max < o.min) {
    fail(c, at(p, 'max'), 'problem.template.maxBelowMin', { min: o.min, max: o.max });
  }
});

const roleRef = ref('role', (c) => c.roles);

const task = object({
  number: text,
  'section?': ref('section', (c) => c.sections),
  text,
  lead: list(roleRef, { unique: '', label: 'role', nonEmpty: true }),
  cooperating: list(roleRef, { unique: '', label: 'role' }),
  'responsibleText?': text,
  'leader?': text,
  deadline,
  'output?': text,
  'rule?': rule,
});

const indicator = object({
  number: text,
  'starred?': bool,
  text,
  standard: text,
  'group?': text,
  deadline,
  'tasks?': list(ref('task', (c) => c.tasks), { unique: '', label: 'task' }),
  'rule?': rule,
  'exceptions?': text,
});

const dimension = object({
  id: matching(NAME, 'dimensionIdForm'),
  label: text,
  values: list(object({ id: matching(NAME, 'valueIdForm'), label: text }), { unique: 'id', label: 'valueId', nonEmpty: true }),
});

const metric = object({
  id: matching(METRIC_ID, 'metricIdForm'),
  label: text,
  unit: text,
  'dimensions?': list(dimension, { unique: 'id', label: 'dimensionId' }),
  'min?': num,
  'max?': num,
  'integer?': bool,
  'decimals?': int(0, 6),
  'aggregate?': oneOf('aggregate', AGGREGATES),
  'derivedFrom?': oneOf('derivedFrom', ['ocop']),
}, (o, p, c) => {
  if (typeof o.min === 'number' && typeof o.max === 'number' && o.max < o.min) {
    fail(c, at(p, 'max'), 'problem.template.maxBelowMin', { min: o.min, max: o.max });
  }
  for (const key of ['min', 'max'] as const) {
    if (typeof o[key] === 'number' && Math.abs(o[key]) >= VALUE_LIMIT) fail(c, at(p, key), 'problem.template.boundTooLarge', { value: o[key], key, limit: VALUE_LIMIT });
  }
  if (o.integer === true && typeof o.decimals === 'number' && o.decimals !== 0) fail(c, at(p, 'decimals'), 'problem.template.integerDecimals', { decimals: o.decimals });
  // Every accepted value must be exact to its decimals in a double: |value| × 10^decimals within 2^53.
  const bounds = valueBounds({ min: typeof o.min === 'number' ? o.min : undefined, max: typeof o.max === 'number' ? o.max : undefined, integer: o.integer === true, decimals: typeof o.decimals === 'number' ? o.decimals : undefined });
  if (Math.max(Math.abs(bounds.min), Math.abs(bounds.max)) * 10 ** bounds.decimals > Number.MAX_SAFE_INTEGER) {
    fail(c, at(p, 'decimals'), 'problem.template.notExact', { decimals: bounds.decimals, min: bounds.min, max: bounds.max });
  }
});

const dueRule = byKind({
  fixed: { month: int(1, 12), day: int(1, 31), 'yearOffset?': int(0, 5) },
  'after-end': { days: int(0, 366) },
}, (o, p, c) => { if (o.kind === 'fixed') monthDay(o, p, c); });

const calendarEntry = object({
  period: oneOf('periodKind', PERIOD_KINDS),
  'only?': list(text, { unique: '', label: 'period', nonEmpty: true }),
  due: dueRule,
  text,
  'owedBy?': list(roleRef, { unique: '', label: 'role', nonEmpty: true }),
  'recipients?': object({ to: list(text, { unique: '', label: 'recipient', nonEmpty: true }), 'copy?': list(text, { unique: '', label: 'recipient', nonEmpty: true }) }),
  'locksAfterDays?': int(0, 3660),
}, (o, p, c) => {
  if (typeof o.period !== 'string' || !PERIOD_KINDS.includes(o.period as never) || !Array.isArray(o.only)) return;
  const allowed = periodSuffixes(o.period as (typeof PERIOD_KINDS)[number]).filter((s) => s !== '');
  o.only.forEach((s, i) => {
    if (typeof s === 'string' && !allowed.includes(s)) {
      fail(c, `${p}.only[${i}]`, allowed.length > 0 ? 'problem.template.notPeriodOf' : 'problem.template.noPeriodOf', { value: s, kind: o.period as string, allowed: allowed.join(', ') });
    }
  });
});

/** No two calendar entries may cover the same period (e.g. two for half-year H1). */
function checkCalendarOverlap(entries: unknown, c: Ctx): void {
  if (!Array.isArray(entries)) return;
  const owner = new Map<string, number>();
  entries.forEach((e, i) => {
    if (!isObj(e) || typeof e.period !== 'string' || !PERIOD_KINDS.includes(e.period as never)) return;
    const all = periodSuffixes(e.period as (typeof PERIOD_KINDS)[number]);
    const covered = Array.isArray(e.only) ? e.only.filter((s): s is string => typeof s === 'string') : all;
    for (const s of covered) {
      const key = `${e.period} ${s}`.trim();
      const first = owner.get(key);
      if (first !== undefined) fail(c, `calendar[${i}]`, 'problem.template.alreadyDue', { period: key, first });
      else owner.set(key, i);
    }
  });
}

const section = object({ id: text, title: text, 'parent?': ref('section', (c) => c.sections) }, (o, p, c) => {
  if (typeof o.parent === 'string' && o.parent === o.id) fail(c, at(p, 'parent'), 'problem.template.ownParent');
});

/** Sections whose parent chain loops back on itself. */
function checkSectionCycles(sections: unknown, c: Ctx): void {
  if (!Array.isArray(sections)) return;
  const parent = new Map<string, string>();
  for (const s of sections) if (isObj(s) && typeof s.id === 'string' && typeof s.parent === 'string') parent.set(s.id, s.parent);
  sections.forEach((s, i) => {
    if (!isObj(s) || typeof s.id !== 'string' || s.parent === s.id) return;
    let cur: string | undefined = s.parent as string | undefined;
    for (let steps = 0; cur !== undefined && steps <= parent.size; steps++) {
      if (cur === s.id && steps > 0) return fail(c, `sections[${i}].parent`, 'problem.template.ownAncestor', { id: s.id });
      cur = parent.get(cur);
    }
  });
}

const allocation = object({
  columns: record(text),
  rows: list(object({ unit: text, figures: record(num) }), { unique: 'unit', label: 'unit' }),
}, (o, p, c) => {
  if (!isObj(o.columns) || !Array.isArray(o.rows)) return;
  const columns = o.columns;
  o.rows.forEach((row, i) => {
    if (!isObj(row) || !isObj(row.figures)) return;
    for (const k of Object.keys(row.figures)) {
      if (!(k in columns)) fail(c, `${p}.rows[${i}].figures.${k}`, 'problem.template.unknownColumn', { key: k });
    }
  });
});

const template = object({
  id: matching(KEBAB, 'programmeIdForm'),
  title: text,
  'subtitle?': text,
  language: oneOf('language', ['zh-CN', 'vi']),
  timeZone: (v, p, c) => {
    if (!isValidTimeZone(v)) fail(c, p, 'problem.template.unknownTimeZone', { got: describedValue(v) });
  },
  issuer: text,
  source: object({ document: text, file: text, 'date?': date }),
  years: object({ from: int(1900, 2999), to: int(1900, 2999) }, (o, p, c) => {
    if (typeof o.from === 'number' && typeof o.to === 'number' && o.to < o.from) {
      fail(c, at(p, 'to'), 'problem.template.yearsReversed', { from: o.from, to: o.to });
    }
  }),
  roles: list(object({ id: matching(KEBAB, 'roleIdForm'), name: text, 'note?': text }), { unique: 'id', label: 'roleId', nonEmpty: true }),
  'sections?': list(section, { unique: 'id', label: 'sectionId' }),
  tasks: list(task, { unique: 'number', label: 'taskNumber' }),
  'indicators?': list(indicator, { unique: 'number', label: 'indicatorNumber' }),
  'metrics?': list(metric, { unique: 'id', label: 'metricId' }),
  calendar: list(calendarEntry),
  reports: list(matching(KEBAB, 'reportIdForm'), { unique: '', label: 'report' }),
  'goals?': list(object({ id: matching(KEBAB, 'goalIdForm'), text, 'rule?': rule, 'deadline?': deadline }), { unique: 'id', label: 'goalId' }),
  'allocations?': record(allocation),
  'budget?': object({ amount: num, unit: text, text }),
}, (o, _p, c) => {
  checkCalendarOverlap(o.calendar, c);
  checkSectionCycles(o.sections, c);
});

// ---- declared ids ---------------------------------------------------------------------------

function idsOf(items: unknown, key: string): Set<string> {
  const ids = new Set<string>();
  if (Array.isArray(items)) for (const x of items) if (isObj(x) && typeof x[key] === 'string') ids.add(x[key] as string);
  return ids;
}

function metricDimensions(metrics: unknown): Ctx['metrics'] {
  const out: Ctx['metrics'] = new Map();
  if (!Array.isArray(metrics)) return out;
  for (const m of metrics as Partial<Metric>[]) {
    if (!isObj(m) || typeof m.id !== 'string') continue;
    const dims = new Map<string, Set<string>>();
    if (Array.isArray(m.dimensions)) for (const d of m.dimensions) if (isObj(d) && typeof d.id === 'string') dims.set(d.id, idsOf(d.values, 'id'));
    out.set(m.id, dims);
  }
  return out;
}

/** Validate a parsed template; on success the same value, typed. Collects all errors. */
export function validateTemplate(input: unknown): TemplateValidation {
  const o = isObj(input) ? input : {};
  const ctx: Ctx = {
    errors: [],
    roles: idsOf(o.roles, 'id'),
    sections: idsOf(o.sections, 'id'),
    tasks: idsOf(o.tasks, 'number'),
    metrics: metricDimensions(o.metrics),
  };
  template(input, '', ctx);
  return ctx.errors.length === 0 ? { ok: true, template: input as ProgrammeTemplate } : { ok: false, errors: ctx.errors };
}
