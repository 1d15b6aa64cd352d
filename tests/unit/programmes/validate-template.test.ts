import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { validateTemplate, type TemplateError } from '../../../src/programmes/validate-template';
import { canonicalTemplateJson, diffTemplates, parseTemplate, templateDigest } from '../../../src/programmes/load-template';
import type { ProgrammeTemplate } from '../../../src/programmes/template';
import { localize } from '../../../src/i18n/problem';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The smallest valid template. */
const minimal = (): Json => ({
  id: 'test-programme',
  title: '测试',
  language: 'zh-CN',
  timeZone: 'Asia/Shanghai',
  issuer: '国家能源局综合司',
  source: { document: '通知', file: '003_db26c66cfd61d63f.txt' },
  years: { from: 2021, to: 2022 },
  roles: [{ id: 'supply-company', name: '各供电企业' }],
  tasks: [{ number: '1', text: '任务', lead: ['supply-company'], cooperating: [], deadline: { kind: 'date', date: '2021-04-30', text: '2021年4月底前' } }],
  calendar: [],
  reports: ['task-status'],
});

/** A template using every part of the format. */
const full = (): Json => ({
  ...minimal(),
  subtitle: '附件1',
  source: { document: '通知', file: 'x.txt', date: '2021-03-29' },
  roles: [
    { id: 'supply-company', name: '各供电企业', note: '注1' },
    { id: 'energy-authority', name: '各省级能源（电力）主管部门' },
  ],
  sections: [{ id: '一', title: '工作目标' }, { id: '一（一）', title: '子', parent: '一' }],
  tasks: [
    { number: '1', section: '一', text: 'a', lead: ['energy-authority'], cooperating: ['supply-company'], responsibleText: '牵头', leader: 'Ông A',
      deadline: { kind: 'end-of-year', year: 2022, text: '2022年底前' }, output: '计划' },
    { number: '1.1', section: '一（一）', text: 'b', lead: ['supply-company'], cooperating: [], deadline: { kind: 'window', from: '2022-04-01', to: '2022-05-31', text: 'Tháng 4 - 5/2022' } },
    { number: '2', text: 'c', lead: ['supply-company'], cooperating: [], deadline: { kind: 'yearly', month: 1, day: 30, firstYear: 2021, lastYear: 2022, text: 'Định kỳ trước ngày 30/01 hằng năm' } },
    { number: '3', text: 'd', lead: ['supply-company'], cooperating: [], deadline: { kind: 'ongoing', every: 'half-year', text: '持续推进' } },
    { number: '4', text: 'e', lead: ['supply-company'], cooperating: [], deadline: { kind: 'condition', text: 'sau khi có kinh phí TW' },
      rule: { kind: 'any', rules: [
        { kind: 'compare', metric: 'reliability.outageHours', where: { area: 'rural' }, aggregate: 'latest', op: '<=', value: 11 },
        { kind: 'change', metric: 'reliability.outageHours', where: { area: 'rural' }, aggregate: 'latest', baseline: 'previous-year', op: '<=', percent: -8 },
      ] } },
  ],
  indicators: [
    { number: '21', starred: true, text: 'x', standard: '/', group: '2020年底前', deadline: { kind: 'end-of-year', year: 2020, text: '2020年底前' }, tasks: ['1', '2'] },
    { number: '22', text: 'y', standard: 's', deadline: { kind: 'ongoing', every: 'year', text: '持续推进' },
      rule: { kind: 'all', rules: [
        { kind: 'between', metric: 'ocop.organisations', aggregate: 'sum', min: 28, max: 30 },
        { kind: 'ratio', numerator: { metric: 'ocop.organisations', aggregate: 'count' }, denominator: { metric: 'ocop.organisations', aggregate: 'sum' }, op: '>=', percent: 10 },
      ] } },
  ],
  metrics: [
    { id: 'reliability.outageHours', label: '年均停电时间', unit: 'h', min: 0, aggregate: 'latest',
      dimensions: [{ id: 'area', label: '地区', values: [{ id: 'rural', label: '农村' }, { id: 'town', label: '城镇' }] }] },
    { id: 'ocop.organisations', label: 'tổ chức kinh tế', unit: 'tổ chức', integer: true, derivedFrom: 'ocop', max: 1000 },
  ],
  calendar: [
    { period: 'half-year', only: ['H1'], due: { kind: 'fixed', month: 7, day: 15 }, text: '每年7月15日前' },
    { period: 'year', due: { kind: 'fixed', month: 1, day: 15, yearOffset: 1 }, text: '次年1月15日前' },
    { period: 'month', due: { kind: 'after-end', days: 5 }, text: 'hằng tháng' },
  ],
  reports: ['task-status', 'nea-attachment-3'],
  goals: [{ id: 'new-products', text: 'Có ít nhất 40 sản phẩm OCOP mới', rule: { kind: 'compare', metric: 'ocop.organisations', aggregate: 'count', op: '>=', value: 40 },
    deadline: { kind: 'end-of-year', year: 2022, text: 'cuối năm 2022' } }],
  allocations: { 'district-targets': { columns: { registered: 'Đăng ký', target: 'Chỉ tiêu' }, rows: [{ unit: 'Thành phố Cà Mau', figures: { registered: 12, target: 7 } }] } },
  budget: { amount: 12310, unit: 'triệu đồng', text: '12.310 triệu đồng' },
});

/** The errors as read in English; each carries its catalogue entry for the other languages (checked below). */
const inEnglish = <E extends TemplateError>(errors: E[]): Omit<E, 'message'>[] => errors.map(({ message, ...rest }) => {
  expect(message?.key).toMatch(/^problem\./);
  return rest;
});

const errorsOf = (t: unknown): Omit<TemplateError, 'message'>[] => {
  const r = validateTemplate(t);
  return r.ok ? [] : inEnglish(r.errors);
};

describe('validateTemplate: valid templates', () => {
  it('accepts the minimal template and returns it typed', () => {
    const t = minimal();
    expect(validateTemplate(t)).toEqual({ ok: true, template: t });
  });

  it('accepts a template using every part of the format', () => {
    expect(errorsOf(full())).toEqual([]);
  });

  it('accepts a `where` list of allowed values (any of them), in a rule and in a ratio selector', () => {
    const t = full();
    t.tasks[4].rule.rules[0].where = { area: ['rural', 'town'] };
    t.indicators[1].rule.rules[1].numerator = { metric: 'reliability.outageHours', where: { area: ['town'] }, aggregate: 'count' };
    expect(errorsOf(t)).toEqual([]);
  });
});

describe('validateTemplate: each kind of error, with its path and reason', () => {
  const cases: [string, (t: Json) => unknown, TemplateError[]][] = [
    ['not an object', () => [], [{ path: '(root)', reason: 'expected an object, got a list' }]],
    ['a missing required field', (t) => { delete t.title; }, [{ path: 'title', reason: 'missing required field' }]],
    ['a missing nested field', (t) => { delete t.tasks[0].deadline; }, [{ path: 'tasks[0].deadline', reason: 'missing required field' }]],
    ['an unknown top-level field', (t) => { t.owner = 'x'; }, [{ path: 'owner', reason: 'unknown field "owner"' }]],
    ['an unknown nested field', (t) => { t.tasks[0].dedline = 'x'; }, [{ path: 'tasks[0].dedline', reason: 'unknown field "dedline"' }]],
    ['a number where a string is due', (t) => { t.tasks[1].number = 1.1; },
      [{ path: 'tasks[1].number', reason: 'expected a string, got number 1.1 (quote it: "1.1")' }]],
    ['an empty string', (t) => { t.title = '  '; }, [{ path: 'title', reason: 'must not be empty' }]],
    ['a null (empty YAML value)', (t) => { t.tasks[0].section = null; }, [{ path: 'tasks[0].section', reason: 'expected a string, got null' }]],
    ['a list expected', (t) => { t.tasks[0].lead = 'supply-company'; }, [{ path: 'tasks[0].lead', reason: 'expected a list, got string "supply-company"' }]],
    ['an object expected', (t) => { t.years = 2021; }, [{ path: 'years', reason: 'expected an object, got number 2021' }]],
    ['a boolean expected', (t) => { t.indicators[0].starred = 'yes'; }, [{ path: 'indicators[0].starred', reason: 'expected true or false, got string "yes"' }]],
    ['a number expected', (t) => { t.budget.amount = '12.310'; }, [{ path: 'budget.amount', reason: 'expected a number, got string "12.310"' }]],
    ['an unknown language', (t) => { t.language = 'en'; }, [{ path: 'language', reason: 'unknown language "en"; expected one of zh-CN, vi' }]],
    ['an unknown deadline kind', (t) => { t.tasks[0].deadline = { kind: 'by-the-end', text: 'x' }; },
      [{ path: 'tasks[0].deadline', reason: 'unknown kind "by-the-end"; expected one of date, end-of-year, window, rounds, months, from-year, yearly, ongoing, condition' }]],
    ['a deadline without kind', (t) => { t.tasks[0].deadline = { text: 'x' }; }, [{ path: 'tasks[0].deadline.kind', reason: 'missing required field' }]],
    ['a field of another deadline kind', (t) => { t.tasks[0].deadline.date = '2021-12-31'; }, [{ path: 'tasks[0].deadline.date', reason: 'unknown field "date"' }]],
    ['a date that does not exist', (t) => { t.tasks[0].deadline = { kind: 'date', date: '2021-02-29', text: '2021年2月底前' }; },
      [{ path: 'tasks[0].deadline.date', reason: 'invalid date string "2021-02-29": expected a real date YYYY-MM-DD' }]],
    ['a date in another format', (t) => { t.tasks[0].deadline = { kind: 'date', date: '15/7/2026', text: 'Trước ngày 15/7/2026' }; },
      [{ path: 'tasks[0].deadline.date', reason: 'invalid date string "15/7/2026": expected a real date YYYY-MM-DD' }]],
    ['a window ending before it starts', (t) => { t.tasks[1].deadline.to = '2022-03-31'; },
      [{ path: 'tasks[1].deadline.to', reason: 'window ends (2022-03-31) before it starts (2022-04-01)' }]],
    ['a month out of range', (t) => { t.tasks[2].deadline.month = 13; }, [{ path: 'tasks[2].deadline.month', reason: 'expected an integer 1–12, got number 13' }]],
    ['a day not in its month', (t) => { t.tasks[2].deadline.month = 4; t.tasks[2].deadline.day = 31; },
      [{ path: 'tasks[2].deadline.day', reason: 'day 31 does not exist in month 4' }]],
    ['a fractional day', (t) => { t.tasks[2].deadline.day = 1.5; }, [{ path: 'tasks[2].deadline.day', reason: 'expected an integer 1–31, got number 1.5' }]],
    ['lastYear before firstYear', (t) => { t.tasks[2].deadline.lastYear = 2020; },
      [{ path: 'tasks[2].deadline.lastYear', reason: 'lastYear 2020 is before firstYear 2021' }]],
    ['an unknown period kind', (t) => { t.tasks[3].deadline.every = 'week'; },
      [{ path: 'tasks[3].deadline.every', reason: 'unknown period kind "week"; expected one of month, quarter, half-year, nine-months, year' }]],
    ['a duplicate task number', (t) => { t.tasks[3].number = '1.1'; },
      [{ path: 'tasks[3].number', reason: 'duplicate task number "1.1" (first at tasks[1].number)' }]],
    ['a duplicate indicator number', (t) => { t.indicators[1].number = '21'; },
      [{ path: 'indicators[1].number', reason: 'duplicate indicator number "21" (first at indicators[0].number)' }]],
    ['a duplicate metric id', (t) => { t.metrics.push({ ...t.metrics[1] }); },
      [{ path: 'metrics[2].id', reason: 'duplicate metric id "ocop.organisations" (first at metrics[1].id)' }]],
    ['a duplicate role id', (t) => { t.roles.push({ id: 'supply-company', name: '又一个' }); },
      [{ path: 'roles[2].id', reason: 'duplicate role id "supply-company" (first at roles[0].id)' }]],
    ['a duplicate section id', (t) => { t.sections.push({ id: '一', title: '又' }); },
      [{ path: 'sections[2].id', reason: 'duplicate section id "一" (first at sections[0].id)' }]],
    ['a section its own parent', (t) => { t.sections[0].parent = '一'; }, [{ path: 'sections[0].parent', reason: 'a section cannot be its own parent' }]],
    ['a role id not in kebab-case', (t) => { t.roles[1].id = 'Energy_Authority'; t.tasks[0].lead = ['Energy_Authority']; },
      [{ path: 'roles[1].id', reason: 'invalid role id (kebab-case) "Energy_Authority"' }]],
    ['an undeclared lead role', (t) => { t.tasks[0].lead = ['grid']; }, [{ path: 'tasks[0].lead[0]', reason: 'unknown role "grid"' }]],
    ['an undeclared cooperating role', (t) => { t.tasks[0].cooperating = ['grid']; }, [{ path: 'tasks[0].cooperating[0]', reason: 'unknown role "grid"' }]],
    ['no lead role', (t) => { t.tasks[0].lead = []; }, [{ path: 'tasks[0].lead', reason: 'must not be empty' }]],
    ['a role listed twice', (t) => { t.tasks[0].cooperating = ['supply-company', 'supply-company']; },
      [{ path: 'tasks[0].cooperating[1]', reason: 'duplicate role "supply-company" (first at tasks[0].cooperating[0])' }]],
    ['an undeclared section', (t) => { t.tasks[0].section = '九'; }, [{ path: 'tasks[0].section', reason: 'unknown section "九"' }]],
    ['an undeclared parent section', (t) => { t.sections[1].parent = '二'; }, [{ path: 'sections[1].parent', reason: 'unknown section "二"' }]],
    ['a section cycle', (t) => { t.sections[0].parent = '一（一）'; },
      [{ path: 'sections[0].parent', reason: 'section "一" is its own ancestor' }, { path: 'sections[1].parent', reason: 'section "一（一）" is its own ancestor' }]],
    ['an indicator measuring an unknown task', (t) => { t.indicators[0].tasks = ['1', '99']; }, [{ path: 'indicators[0].tasks[1]', reason: 'unknown task "99"' }]],
    ['an unknown rule kind', (t) => { t.tasks[4].rule = { kind: 'at-most', value: 1 }; },
      [{ path: 'tasks[4].rule', reason: 'unknown kind "at-most"; expected one of compare, between, at-least, change, ratio, any, all' }]],
    ['rounds out of order', (t) => { t.tasks[0].deadline = { kind: 'rounds', dates: ['2022-09-30', '2022-06-30'], text: 'Dự kiến trước ngày 30/6, 30/9' }; },
      [{ path: 'tasks[0].deadline.dates[1]', reason: 'date "2022-06-30" is not after "2022-09-30": list them in order, once each' }]],
    ['a listed month that is not YYYY-MM', (t) => { t.tasks[0].deadline = { kind: 'months', months: ['2022-5'], text: 'tháng 5/2022' }; },
      [{ path: 'tasks[0].deadline.months[0]', reason: 'invalid month (YYYY-MM) "2022-5"' }]],
    ['a report owed by an undeclared role', (t) => { t.calendar[0].owedBy = ['province']; },
      [{ path: 'calendar[0].owedBy[0]', reason: 'unknown role "province"' }]],
    ['a recipient list without a "to"', (t) => { t.calendar[0].recipients = { copy: ['国家能源局相关派出机构'] }; },
      [{ path: 'calendar[0].recipients.to', reason: 'missing required field' }]],
    ['an undeclared metric', (t) => { t.tasks[4].rule.rules[0].metric = 'outage.hours'; },
      [{ path: 'tasks[4].rule.rules[0].metric', reason: 'unknown metric "outage.hours"' }]],
    ['a where on an unknown dimension', (t) => { t.tasks[4].rule.rules[0].where = { cityClass: 'major' }; },
      [{ path: 'tasks[4].rule.rules[0].where.cityClass', reason: 'unknown dimension "cityClass" of metric "reliability.outageHours"' }]],
    ['a where on an unknown value', (t) => { t.tasks[4].rule.rules[1].where = { area: 'urban' }; },
      [{ path: 'tasks[4].rule.rules[1].where.area', reason: 'unknown value "urban" of dimension "area"' }]],
    ['a where list with an unknown value', (t) => { t.tasks[4].rule.rules[0].where = { area: ['rural', 'urban'] }; },
      [{ path: 'tasks[4].rule.rules[0].where.area[1]', reason: 'unknown value "urban" of dimension "area"' }]],
    ['an empty where list', (t) => { t.tasks[4].rule.rules[0].where = { area: [] }; },
      [{ path: 'tasks[4].rule.rules[0].where.area', reason: 'must not be empty' }]],
    ['a where list naming a value twice', (t) => { t.tasks[4].rule.rules[0].where = { area: ['rural', 'rural'] }; },
      [{ path: 'tasks[4].rule.rules[0].where.area[1]', reason: 'duplicate value "rural" (first at tasks[4].rule.rules[0].where.area[0])' }]],
    ['a number in a where list', (t) => { t.tasks[4].rule.rules[0].where = { area: ['rural', 3] }; },
      [{ path: 'tasks[4].rule.rules[0].where.area[1]', reason: 'expected a string, got number 3 (quote it: "3")' }]],
    ['a where value neither a string nor a list', (t) => { t.tasks[4].rule.rules[0].where = { area: { rural: true } }; },
      [{ path: 'tasks[4].rule.rules[0].where.area', reason: 'expected a string, got an object' }]],
    ['a ratio selector with an unknown dimension', (t) => { t.indicators[1].rule.rules[1].numerator.where = { area: 'rural' }; },
      [{ path: 'indicators[1].rule.rules[1].numerator.where.area', reason: 'unknown dimension "area" of metric "ocop.organisations"' }]],
    ['an unknown comparator', (t) => { t.tasks[4].rule.rules[0].op = '=<'; },
      [{ path: 'tasks[4].rule.rules[0].op', reason: 'unknown op "=<"; expected one of <=, >=, =, <, >' }]],
    ['an unknown aggregate', (t) => { t.tasks[4].rule.rules[0].aggregate = 'avg'; },
      [{ path: 'tasks[4].rule.rules[0].aggregate', reason: 'unknown aggregate "avg"; expected one of sum, max, min, mean, latest, count' }]],
    ['an unknown baseline', (t) => { t.tasks[4].rule.rules[1].baseline = 'first-year'; },
      [{ path: 'tasks[4].rule.rules[1].baseline', reason: 'unknown baseline "first-year"; expected one of previous-year' }]],
    ['a range upside down', (t) => { t.indicators[1].rule.rules[0].min = 31; },
      [{ path: 'indicators[1].rule.rules[0].max', reason: 'max 30 is less than min 31' }]],
    ['an empty any', (t) => { t.tasks[4].rule.rules = []; }, [{ path: 'tasks[4].rule.rules', reason: 'must not be empty' }]],
    ['a goal rule on an undeclared metric', (t) => { t.goals[0].rule.metric = 'ocop.products'; }, [{ path: 'goals[0].rule.metric', reason: 'unknown metric "ocop.products"' }]],
    ['a bad metric id', (t) => { t.metrics[1].id = 'OCOP organisations'; t.indicators.pop(); t.goals = []; },
      [{ path: 'metrics[1].id', reason: 'invalid metric id (dotted words, e.g. benefit.households) "OCOP organisations"' }]],
    ['a metric max below min', (t) => { t.metrics[0].max = -1; }, [{ path: 'metrics[0].max', reason: 'max -1 is less than min 0' }]],
    ['a duplicate dimension value', (t) => { t.metrics[0].dimensions[0].values[1].id = 'rural'; },
      [{ path: 'metrics[0].dimensions[0].values[1].id', reason: 'duplicate value id "rural" (first at metrics[0].dimensions[0].values[0].id)' }]],
    ['an unknown derivedFrom', (t) => { t.metrics[1].derivedFrom = 'events'; },
      [{ path: 'metrics[1].derivedFrom', reason: 'unknown derivedFrom "events"; expected one of ocop' }]],
    ['an invalid time zone', (t) => { t.timeZone = 'Asia/Hanoi'; },
      [{ path: 'timeZone', reason: 'unknown time zone string "Asia/Hanoi": expected an IANA zone such as Asia/Shanghai' }]],
    ['an offset instead of a zone', (t) => { t.timeZone = '+08:00'; },
      [{ path: 'timeZone', reason: 'unknown time zone string "+08:00": expected an IANA zone such as Asia/Shanghai' }]],
    ['years upside down', (t) => { t.years = { from: 2022, to: 2021 }; }, [{ path: 'years.to', reason: 'years.to 2021 is before years.from 2022' }]],
    ['a source date that does not exist', (t) => { t.source.date = '2021-13-01'; },
      [{ path: 'source.date', reason: 'invalid date string "2021-13-01": expected a real date YYYY-MM-DD' }]],
    ['a calendar period not of its kind', (t) => { t.calendar[0].only = ['Q1']; },
      [{ path: 'calendar[0].only[0]', reason: '"Q1" is not a half-year period; expected one of H1, H2' }]],
    ['a calendar `only` on a year', (t) => { t.calendar[1].only = ['2021']; },
      [{ path: 'calendar[1].only[0]', reason: '"2021" is not a year period; expected one of (none: leave out `only`)' }]],
    ['two calendar entries for one period', (t) => { t.calendar.push({ period: 'half-year', due: { kind: 'fixed', month: 1, day: 15, yearOffset: 1 }, text: 'x' }); },
      [{ path: 'calendar[3]', reason: 'half-year H1 is already due by calendar[0]' }]],
    ['a calendar due day not in its month', (t) => { t.calendar[0].due.month = 2; t.calendar[0].due.day = 30; },
      [{ path: 'calendar[0].due.day', reason: 'day 30 does not exist in month 2' }]],
    ['an unknown due rule', (t) => { t.calendar[2].due = { kind: 'within', days: 5 }; },
      [{ path: 'calendar[2].due', reason: 'unknown kind "within"; expected one of fixed, after-end' }]],
    ['negative days after the end', (t) => { t.calendar[2].due.days = -1; },
      [{ path: 'calendar[2].due.days', reason: 'expected an integer 0–366, got number -1' }]],
    ['a calendar entry without its text', (t) => { delete t.calendar[1].text; }, [{ path: 'calendar[1].text', reason: 'missing required field' }]],
    ['a report listed twice', (t) => { t.reports.push('task-status'); }, [{ path: 'reports[2]', reason: 'duplicate report "task-status" (first at reports[0])' }]],
    ['an allocation figure of an undeclared column', (t) => { t.allocations['district-targets'].rows[0].figures.upgrade = 2; },
      [{ path: 'allocations.district-targets.rows[0].figures.upgrade', reason: 'unknown column "upgrade"' }]],
    ['an allocation figure not a number', (t) => { t.allocations['district-targets'].rows[0].figures.target = '7'; },
      [{ path: 'allocations.district-targets.rows[0].figures.target', reason: 'expected a number, got string "7"' }]],
  ];

  it.each(cases)('%s', (_name, mutate, expected) => {
    const t = full();
    const replaced = mutate(t);
    expect(errorsOf(replaced === undefined ? t : replaced)).toEqual(expected);
  });

  it('collects all the errors, not just the first', () => {
    const t = minimal();
    t.language = 'fr';
    t.timeZone = 'Shanghai';
    t.tasks.push({ number: '1', text: '', lead: ['nobody'], cooperating: [], deadline: { kind: 'end-of-year', year: '2020', text: '2020年底前' } });
    delete t.reports;
    expect(errorsOf(t)).toEqual([
      { path: 'language', reason: 'unknown language "fr"; expected one of zh-CN, vi' },
      { path: 'timeZone', reason: 'unknown time zone string "Shanghai": expected an IANA zone such as Asia/Shanghai' },
      { path: 'tasks[1].text', reason: 'must not be empty' },
      { path: 'tasks[1].lead[0]', reason: 'unknown role "nobody"' },
      { path: 'tasks[1].deadline.year', reason: 'expected an integer 1900–2999, got string "2020"' },
      { path: 'tasks[1].number', reason: 'duplicate task number "1" (first at tasks[0].number)' },
      { path: 'reports', reason: 'missing required field' },
    ]);
  });
});

describe('parseTemplate (load-template)', () => {
  const yaml = [
    'id: test-programme',
    'title: 测试',
    'language: zh-CN',
    'timeZone: Asia/Shanghai',
    'issuer: 国家能源局综合司',
    'source: { document: 通知, file: 003_db26c66cfd61d63f.txt }',
    'years: { from: 2021, to: 2022 }',
    'roles:',
    '  - { id: supply-company, name: 各供电企业 }',
    'tasks:',
    '  - number: "1"',
    '    text: 任务',
    '    lead: [supply-company]',
    '    cooperating: []',
    '    deadline: { kind: date, date: 2021-04-30, text: 2021年4月底前 }',
    'calendar: []',
    'reports: [task-status]',
    '',
  ].join('\n');

  it('parses YAML and gives the digest of the canonical JSON', () => {
    const r = parseTemplate(yaml, 'test-programme.yaml');
    expect(r).toEqual({ ok: true, template: minimal(), digest: templateDigest(minimal()) });
    expect(r.ok && r.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('parses JSON by extension, to the same template and digest', () => {
    const r = parseTemplate(JSON.stringify(minimal(), null, 2), 'test-programme.json');
    expect(r.ok && r.digest).toBe(templateDigest(minimal()));
  });

  it('names the line and column of a YAML syntax error', () => {
    const r = parseTemplate(yaml.replace('reports: [task-status]', 'reports: [task-status'), 'x.yml');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors[0]).toMatchObject({ path: '(file)', line: 18, column: 1 });
    expect(!r.ok && r.errors[0].reason).toMatch(/^YAML: /);
  });

  it('rejects duplicate keys in YAML', () => {
    const r = parseTemplate(yaml + 'title: again\n', 'x.yaml');
    expect(!r.ok && inEnglish(r.errors)).toEqual([{ path: '(file)', reason: 'YAML: Map keys must be unique', line: 18, column: 1 }]);
  });

  it('names the line and column of a JSON syntax error', () => {
    const r = parseTemplate('{\n  "id": "x",\n}\n', 'x.json');
    expect(!r.ok && r.errors[0]).toMatchObject({ path: '(file)', line: 3, column: 1 });
    expect(!r.ok && r.errors[0].reason).toMatch(/^JSON: /);
  });

  it('locates validation errors at their line in the file', () => {
    const text = yaml.replace('kind: date,', 'kind: by-the-end,').replace('issuer: 国家能源局综合司\n', 'issuer: 国家能源局综合司\nowner: x\n');
    const r = parseTemplate(text, 'x.yaml');
    expect(!r.ok && inEnglish(r.errors)).toEqual([
      { path: 'owner', reason: 'unknown field "owner"', line: 6, column: 1 },
      { path: 'tasks[0].deadline', reason: 'unknown kind "by-the-end"; expected one of date, end-of-year, window, rounds, months, from-year, yearly, ongoing, condition', line: 16, column: 5 },
    ]);
  });

  it('rejects other file types', () => {
    const r = parseTemplate('{}', 'x.txt');
    expect(!r.ok && inEnglish(r.errors)).toEqual([{ path: '(file)', reason: 'unsupported file type "x.txt": expected .yaml, .yml or .json' }]);
    expect(!r.ok && localize([{ field: 'x.txt', reason: r.errors[0].reason, message: r.errors[0].message }], 'vi')).toEqual([{ field: 'x.txt', reason: 'loại tệp không được hỗ trợ "x.txt": cần .yaml, .yml hoặc .json' }]);
  });
});

describe('canonical JSON, digest and diff', () => {
  it('sorts keys at every level and keeps list order', () => {
    expect(canonicalTemplateJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('gives the same digest whatever the key order', () => {
    const t = minimal();
    const reordered = Object.fromEntries(Object.entries(t).reverse()) as unknown as ProgrammeTemplate;
    expect(templateDigest(reordered)).toBe(templateDigest(t));
    expect(templateDigest({ ...t, title: '测试2' })).not.toBe(templateDigest(t));
  });

  it('lists tasks, indicators and metrics added, removed and changed, and other top-level keys', () => {
    const before = full() as ProgrammeTemplate;
    const after = full();
    after.tasks[0].text = 'changed';
    after.tasks.splice(1, 1);
    after.tasks.push({ ...after.tasks[1], number: '9' });
    after.indicators[1].standard = 'new';
    after.metrics.pop();
    after.calendar[0].due.day = 14;
    delete after.budget;
    expect(diffTemplates(before, after)).toEqual({
      tasksAdded: ['9'], tasksRemoved: ['1.1'], tasksChanged: ['1'],
      indicatorsAdded: [], indicatorsRemoved: [], indicatorsChanged: ['22'],
      metricsAdded: [], metricsRemoved: ['ocop.organisations'], metricsChanged: [],
      otherChanged: ['budget', 'calendar'],
    });
    const reordered = full();
    reordered.tasks.reverse();
    expect(diffTemplates(before, reordered).otherChanged).toEqual(['tasks']);
    expect(diffTemplates(before, full())).toEqual({
      tasksAdded: [], tasksRemoved: [], tasksChanged: [], indicatorsAdded: [], indicatorsRemoved: [], indicatorsChanged: [],
      metricsAdded: [], metricsRemoved: [], metricsChanged: [], otherChanged: [],
    });
  });
});

describe('the programme templates in templates/programmes', () => {
  const dir = join(__dirname, '../../../templates/programmes');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort() : [];
  it('holds the five source programmes', () => {
    expect(files).toEqual(['angiang-ocop-2022.yaml', 'camau-ocop-2022.yaml', 'cnipa-2021-2022.yaml', 'dongthap-ocop-2026-2030.yaml', 'nea-2021-37.yaml']);
  });
  for (const file of files) {
    it(`${file} validates with zero errors, and its id is its file name`, () => {
      const r = parseTemplate(readFileSync(join(dir, file), 'utf8'), file);
      // On failure the diff prints every error with its line.
      expect(r.ok ? [] : r.errors.map((e) => `${file}:${e.line ?? '?'}:${e.column ?? '?'} ${e.path}: ${e.reason}`)).toEqual([]);
      if (r.ok) expect(`${r.template.id}.${file.split('.').pop()}`).toBe(file);
    });
  }
});
