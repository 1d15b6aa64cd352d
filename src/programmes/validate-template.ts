/**
 * validateTemplate: checks an untrusted value (parsed YAML/JSON) against the ProgrammeTemplate format
 * of template.ts and collects every error as { path: 'tasks[12].deadline', reason }.
 * Shapes are tables (field → check, `?` marks an optional field); references and uniqueness are
 * checked against the ids the template declares.
 */
import type { Metric, ProgrammeTemplate } from './template';
import { daysInMonth, isLocalDate, isValidTimeZone } from './local-time';
import { PERIOD_KINDS, periodSuffixes } from './period';
import { at, describe } from '../input/validation-paths';
import { VALUE_LIMIT, valueBounds } from './numbers';
import { textProblem } from '../input/text';

export interface TemplateError {
  path: string;
  reason: string;
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

// ---- leaf checks ----------------------------------------------------------------------------

const text: Check = (v, p, c) => {
  if (typeof v !== 'string') {
    const hint = typeof v === 'number' ? ` (quote it: "${v}")` : '';
    c.errors.push({ path: p, reason: `expected a string, got ${describe(v)}${hint}` });
  } else if (v.trim() === '') c.errors.push({ path: p, reason: 'must not be empty' });
  else {
    const problem = textProblem(v);
    if (problem) c.errors.push({ path: p, reason: problem });
  }
};

const matching = (re: RegExp, what: string): Check => (v, p, c) => {
  text(v, p, c);
  if (typeof v === 'string' && v.trim() !== '' && !re.test(v)) c.errors.push({ path: p, reason: `invalid ${what} "${v}"` });
};

const bool: Check = (v, p, c) => {
  if (typeof v !== 'boolean') c.errors.push({ path: p, reason: `expected true or false, got ${describe(v)}` });
};

const num: Check = (v, p, c) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) c.errors.push({ path: p, reason: `expected a number, got ${describe(v)}` });
};

const int = (min: number, max: number): Check => (v, p, c) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const range = max === Infinity ? `≥ ${min}` : `${min}–${max}`;
    c.errors.push({ path: p, reason: `expected an integer ${range}, got ${describe(v)}` });
  }
};

const date: Check = (v, p, c) => {
  if (!isLocalDate(v)) c.errors.push({ path: p, reason: `invalid date ${describe(v)}: expected a real date YYYY-MM-DD` });
};

const oneOf = (what: string, values: readonly string[]): Check => (v, p, c) => {
  if (typeof v !== 'string' || !values.includes(v)) {
    const got = typeof v === 'string' ? `"${v}"` : describe(v);
    c.errors.push({ path: p, reason: `unknown ${what} ${got}; expected one of ${values.join(', ')}` });
  }
};

const ref = (what: string, declared: (c: Ctx) => { has(id: string): boolean }): Check => (v, p, c) => {
  text(v, p, c);
  if (typeof v === 'string' && v.trim() !== '' && !declared(c).has(v)) c.errors.push({ path: p, reason: `unknown ${what} "${v}"` });
};

// ---- structure ------------------------------------------------------------------------------

/** An object with the given fields (`name?` = optional); `post` runs afterwards for cross-field checks. */
function object(spec: Record<string, Check>, post?: (o: Obj, path: string, ctx: Ctx) => void): Check {
  const fields = Object.entries(spec).map(([k, check]) => ({ key: k.replace(/\?$/, ''), optional: k.endsWith('?'), check }));
  const known = new Set(fields.map((f) => f.key));
  return (v, p, c) => {
    if (!isObj(v)) return void c.errors.push({ path: p || '(root)', reason: `expected an object, got ${describe(v)}` });
    for (const f of fields) {
      if (Object.prototype.hasOwnProperty.call(v, f.key)) f.check(v[f.key], at(p, f.key), c);
      else if (!f.optional) c.errors.push({ path: at(p, f.key), reason: 'missing required field' });
    }
    for (const k of Object.keys(v)) if (!known.has(k)) c.errors.push({ path: at(p, k), reason: `unknown field "${k}"` });
    post?.(v, p, c);
  };
}

/** A discriminated union on `kind`. */
function byKind(variants: Record<string, Record<string, Check>>, post?: (o: Obj, path: string, ctx: Ctx) => void): Check {
  const checks = Object.fromEntries(Object.entries(variants).map(([k, spec]) => [k, object({ kind: () => {}, ...spec }, post)]));
  const kinds = Object.keys(variants);
  return (v, p, c) => {
    if (!isObj(v)) return void c.errors.push({ path: p, reason: `expected an object, got ${describe(v)}` });
    if (!('kind' in v)) return void c.errors.push({ path: at(p, 'kind'), reason: 'missing required field' });
    const check = typeof v.kind === 'string' && Object.prototype.hasOwnProperty.call(checks, v.kind) ? checks[v.kind] : undefined;
    if (!check) {
      const got = typeof v.kind === 'string' ? `"${v.kind}"` : describe(v.kind);
      return void c.errors.push({ path: p, reason: `unknown kind ${got}; expected one of ${kinds.join(', ')}` });
    }
    check(v, p, c);
  };
}

/** A list; `unique` names the item field (or the item itself, '') that must not repeat. */
function list(item: Check, opts: { unique?: string; label?: string; nonEmpty?: boolean } = {}): Check {
  return (v, p, c) => {
    if (!Array.isArray(v)) return void c.errors.push({ path: p, reason: `expected a list, got ${describe(v)}` });
    if (opts.nonEmpty && v.length === 0) c.errors.push({ path: p, reason: 'must not be empty' });
    const seen = new Map<string, string>();
    v.forEach((x, i) => {
      item(x, at(p, i), c);
      if (opts.unique === undefined) return;
      const key = opts.unique === '' ? x : isObj(x) ? x[opts.unique] : undefined;
      if (typeof key !== 'string') return;
      const path = opts.unique === '' ? at(p, i) : at(at(p, i), opts.unique);
      const first = seen.get(key);
      if (first) c.errors.push({ path, reason: `duplicate ${opts.label ?? opts.unique} "${key}" (first at ${first})` });
      else seen.set(key, path);
    });
  };
}

/** A map from free keys to values. */
const record = (value: Check): Check => (v, p, c) => {
  if (!isObj(v)) return void c.errors.push({ path: p, reason: `expected an object, got ${describe(v)}` });
  for (const [k, x] of Object.entries(v)) value(x, at(p, k), c);
};

// ---- the format -----------------------------------------------------------------------------

const monthDay = (o: Obj, p: string, c: Ctx): void => {
  if (typeof o.month === 'number' && typeof o.day === 'number' && Number.isInteger(o.month) && o.month >= 1 && o.month <= 12
    && Number.isInteger(o.day) && o.day > daysInMonth(2000, o.month)) {
    c.errors.push({ path: at(p, 'day'), reason: `day ${o.day} does not exist in month ${o.month}` });
  }
};

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** A list that must be in ascending order without repeats (rounds' dates, listed months). */
const ascending = (item: Check, what: string): Check => (v, p, c) => {
  list(item, { nonEmpty: true })(v, p, c);
  if (!Array.isArray(v)) return;
  v.forEach((x, i) => {
    if (i > 0 && typeof x === 'string' && typeof v[i - 1] === 'string' && x <= v[i - 1]) c.errors.push({ path: at(p, i), reason: `${what} "${x}" is not after "${v[i - 1]}": list them in order, once each` });
  });
};

const deadline: Check = byKind({
  date: { date, text, 'condition?': text },
  'end-of-year': { year: int(1900, 2999), text, 'condition?': text },
  window: { from: date, to: date, text, 'condition?': text },
  rounds: { dates: ascending(date, 'date'), text },
  months: { months: ascending(matching(MONTH, 'month (YYYY-MM)'), 'month'), text },
  'from-year': { year: int(1900, 2999), every: oneOf('period kind', PERIOD_KINDS), text },
  yearly: { month: int(1, 12), day: int(1, 31), 'firstYear?': int(1900, 2999), 'lastYear?': int(1900, 2999), text },
  ongoing: { every: oneOf('period kind', PERIOD_KINDS), text },
  condition: { text },
}, (o, p, c) => {
  if (o.kind === 'window' && isLocalDate(o.from) && isLocalDate(o.to) && o.to < o.from) {
    c.errors.push({ path: at(p, 'to'), reason: `window ends (${o.to}) before it starts (${o.from})` });
  }
  if (o.kind === 'yearly') {
    monthDay(o, p, c);
    if (typeof o.firstYear === 'number' && typeof o.lastYear === 'number' && o.lastYear < o.firstYear) {
      c.errors.push({ path: at(p, 'lastYear'), reason: `lastYear ${o.lastYear} is before firstYear ${o.firstYear}` });
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
    if (!values) c.errors.push({ path, reason: `unknown dimension "${dim}" of metric "${o.metric}"` });
    else if (typeof value === 'string' && !values.has(value)) c.errors.push({ path, reason: `unknown value "${value}" of dimension "${dim}"` });
    else if (Array.isArray(value)) {
      value.forEach((v, i) => {
        if (typeof v === 'string' && v.trim() !== '' && !values.has(v)) c.errors.push({ path: at(path, i), reason: `unknown value "${v}" of dimension "${dim}"` });
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
    c.errors.push({ path: at(p, 'max'), reason: `max ${o.max} is less than min ${o.min}` });
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
  id: matching(NAME, 'dimension id (camelCase or kebab-case)'),
  label: text,
  values: list(object({ id: matching(NAME, 'value id (camelCase or kebab-case)'), label: text }), { unique: 'id', label: 'value id', nonEmpty: true }),
});

const metric = object({
  id: matching(METRIC_ID, 'metric id (dotted words, e.g. benefit.households)'),
  label: text,
  unit: text,
  'dimensions?': list(dimension, { unique: 'id', label: 'dimension id' }),
  'min?': num,
  'max?': num,
  'integer?': bool,
  'decimals?': int(0, 6),
  'aggregate?': oneOf('aggregate', AGGREGATES),
  'derivedFrom?': oneOf('derivedFrom', ['ocop']),
}, (o, p, c) => {
  if (typeof o.min === 'number' && typeof o.max === 'number' && o.max < o.min) {
    c.errors.push({ path: at(p, 'max'), reason: `max ${o.max} is less than min ${o.min}` });
  }
  for (const key of ['min', 'max'] as const) {
    if (typeof o[key] === 'number' && Math.abs(o[key]) >= VALUE_LIMIT) c.errors.push({ path: at(p, key), reason: `${o[key]} is out of range: |${key}| < ${VALUE_LIMIT}` });
  }
  if (o.integer === true && typeof o.decimals === 'number' && o.decimals !== 0) c.errors.push({ path: at(p, 'decimals'), reason: `an integer metric has no decimals; got ${o.decimals}` });
  // Every accepted value must be exact to its decimals in a double: |value| × 10^decimals within 2^53.
  const bounds = valueBounds({ min: typeof o.min === 'number' ? o.min : undefined, max: typeof o.max === 'number' ? o.max : undefined, integer: o.integer === true, decimals: typeof o.decimals === 'number' ? o.decimals : undefined });
  if (Math.max(Math.abs(bounds.min), Math.abs(bounds.max)) * 10 ** bounds.decimals > Number.MAX_SAFE_INTEGER) {
    c.errors.push({ path: at(p, 'decimals'), reason: `${bounds.decimals} decimals over ${bounds.min}…${bounds.max} are not exact in a double: narrow min/max or use fewer decimals` });
  }
});

const dueRule = byKind({
  fixed: { month: int(1, 12), day: int(1, 31), 'yearOffset?': int(0, 5) },
  'after-end': { days: int(0, 366) },
}, (o, p, c) => { if (o.kind === 'fixed') monthDay(o, p, c); });

const calendarEntry = object({
  period: oneOf('period kind', PERIOD_KINDS),
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
      c.errors.push({ path: `${p}.only[${i}]`, reason: `"${s}" is not a ${o.period} period; expected one of ${allowed.join(', ') || '(none: leave out `only`)'}` });
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
      if (first !== undefined) c.errors.push({ path: `calendar[${i}]`, reason: `${key} is already due by calendar[${first}]` });
      else owner.set(key, i);
    }
  });
}

const section = object({ id: text, title: text, 'parent?': ref('section', (c) => c.sections) }, (o, p, c) => {
  if (typeof o.parent === 'string' && o.parent === o.id) c.errors.push({ path: at(p, 'parent'), reason: 'a section cannot be its own parent' });
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
      if (cur === s.id && steps > 0) return void c.errors.push({ path: `sections[${i}].parent`, reason: `section "${s.id}" is its own ancestor` });
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
      if (!(k in columns)) c.errors.push({ path: `${p}.rows[${i}].figures.${k}`, reason: `unknown column "${k}"` });
    }
  });
});

const template = object({
  id: matching(KEBAB, 'programme id (kebab-case)'),
  title: text,
  'subtitle?': text,
  language: oneOf('language', ['zh-CN', 'vi']),
  timeZone: (v, p, c) => {
    if (!isValidTimeZone(v)) c.errors.push({ path: p, reason: `unknown time zone ${describe(v)}: expected an IANA zone such as Asia/Shanghai` });
  },
  issuer: text,
  source: object({ document: text, file: text, 'date?': date }),
  years: object({ from: int(1900, 2999), to: int(1900, 2999) }, (o, p, c) => {
    if (typeof o.from === 'number' && typeof o.to === 'number' && o.to < o.from) {
      c.errors.push({ path: at(p, 'to'), reason: `years.to ${o.to} is before years.from ${o.from}` });
    }
  }),
  roles: list(object({ id: matching(KEBAB, 'role id (kebab-case)'), name: text, 'note?': text }), { unique: 'id', label: 'role id', nonEmpty: true }),
  'sections?': list(section, { unique: 'id', label: 'section id' }),
  tasks: list(task, { unique: 'number', label: 'task number' }),
  'indicators?': list(indicator, { unique: 'number', label: 'indicator number' }),
  'metrics?': list(metric, { unique: 'id', label: 'metric id' }),
  calendar: list(calendarEntry),
  reports: list(matching(KEBAB, 'report id (kebab-case)'), { unique: '', label: 'report' }),
  'goals?': list(object({ id: matching(KEBAB, 'goal id (kebab-case)'), text, 'rule?': rule, 'deadline?': deadline }), { unique: 'id', label: 'goal id' }),
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
