/**
 * The programme template format: a programme (台账 / kế hoạch) as data.
 * Templates live in templates/programmes/*.yaml (JSON accepted) and are documented in
 * templates/programmes/README.md. Texts stay exactly as the source writes them.
 * Nothing in a template is evaluated as code.
 */

export type Language = 'zh-CN' | 'vi';

/** A date in the programme's own time zone, `YYYY-MM-DD`. */
export type LocalDate = string;

/** How often an ongoing task is reported, and the period kinds a programme reports on. */
export type PeriodKind = 'month' | 'quarter' | 'half-year' | 'nine-months' | 'year';

/**
 * A condition the source writes beside a date, kept as text: "hoặc sau khi Trung ương có hướng dẫn mới",
 * "sau khi có kinh phí TW". The date still applies; the condition is shown beside it.
 */
export interface DeadlineCondition {
  condition?: string;
}

/** A deadline exactly as the source writes it; `text` always keeps the source's wording. */
export type Deadline =
  /** 2021年4月底前 → 2021-04-30; Trước ngày 15/7/2026 → 2026-07-15 (the day as written is the last day allowed). */
  | ({ kind: 'date'; date: LocalDate; text: string } & DeadlineCondition)
  /** 2020年底前 */
  | ({ kind: 'end-of-year'; year: number; text: string } & DeadlineCondition)
  /** Tháng 4 - 5/2022 (from the first day of the first month to the last day of the last month); a single month has from = to month. */
  | ({ kind: 'window'; from: LocalDate; to: LocalDate; text: string } & DeadlineCondition)
  /** Dự kiến trước ngày 30/6, 30/9: one task done in several rounds, each due on its date (ascending). */
  | { kind: 'rounds'; dates: LocalDate[]; text: string }
  /** Dự kiến tháng 5/2022 và tháng 8/2022: rounds in listed months (`YYYY-MM`, ascending), each due at its month's end. */
  | { kind: 'months'; months: string[]; text: string }
  /** Định kỳ trước ngày 30/01 hằng năm: due every year on month/day, from `firstYear` (default: the programme's first year) to `lastYear`. */
  | { kind: 'yearly'; month: number; day: number; firstYear?: number; lastYear?: number; text: string }
  /** 持续推进, Thường xuyên, Hàng năm: reported every period of `every`. */
  | { kind: 'ongoing'; every: PeriodKind; text: string }
  /** Năm 2022 trở về sau: reported every period of `every` from 1 January of `year` on, past the programme's last year. */
  | { kind: 'from-year'; year: number; every: PeriodKind; text: string }
  /** A free-text condition kept as text ("Định kỳ và đột xuất theo đề nghị …"), with no date of its own. */
  | { kind: 'condition'; text: string };

export interface Role {
  /** kebab-case id, e.g. `supply-company`. */
  id: string;
  /** The responsible-unit kind as the source names it, e.g. 各供电企业, Sở Nông nghiệp và Môi trường. */
  name: string;
  /** Optional note from the source (e.g. NEA note 1 on what 各供电企业 covers). */
  note?: string;
}

export interface Section {
  /** As the source numbers it where it does ("一", "（一）", "1"), else a kebab-case id. */
  id: string;
  title: string;
  /** The enclosing section's id, for sub-sections. */
  parent?: string;
}

export interface Task {
  /** The number as the source writes it: "1", "1.1", "5.4". Unique within the programme. */
  number: string;
  /** Section id (category / phần). */
  section?: string;
  /** The task text as written. */
  text: string;
  /** Role ids that lead (牵头 / chủ trì). */
  lead: string[];
  /** Role ids that co-operate (参与 / phối hợp). */
  cooperating: string[];
  /** The responsible-unit cell exactly as written, when it says more than the role lists (按职责分工负责 …). */
  responsibleText?: string;
  /** Cà Mau: the responsible leader (Lãnh đạo phụ trách). */
  leader?: string;
  deadline: Deadline;
  /** Expected output as written: 计划, Kế hoạch, Báo cáo, Quyết định … */
  output?: string;
  /** The task's own quantitative target where the source gives one (NEA task 11), evaluated like an indicator's. */
  rule?: IndicatorRule;
}

export type Aggregate = 'sum' | 'max' | 'min' | 'mean' | 'latest' | 'count';
export type Comparator = '<=' | '>=' | '=' | '<' | '>';

/**
 * Which values of a metric a rule looks at: the metric and a filter on its dimensions. Each `where`
 * entry names one allowed value of a dimension, or a list of allowed values (any of them):
 * `{ kind: new, stars: ["3", "4"] }` is "new, and 3 or 4 stars".
 */
export interface MetricSelector {
  metric: string;
  where?: Record<string, string | string[]>;
  aggregate: Aggregate;
}

/** A machine rule for a quantitative completion standard. Qualitative standards have no rule (manual verdict). */
export type IndicatorRule =
  | ({ kind: 'compare'; op: Comparator; value: number } & MetricSelector)
  /** inclusive range, both ends binding: a value above `max` fails */
  | ({ kind: 'between'; min: number; max: number } & MetricSelector)
  /** "ít nhất 28 - 30 tổ chức", "từ 50 - 70 sản phẩm": met from `min`; `max` is the range's upper end, kept for display, never a ceiling */
  | ({ kind: 'at-least'; min: number; max: number } & MetricSelector)
  /** change against the same selection one year earlier, in percent: "同比压缩8%以上" is op '<=', percent -8 */
  | ({ kind: 'change'; baseline: 'previous-year'; op: Comparator; percent: number } & MetricSelector)
  /** numerator / denominator in percent: "10% sản phẩm được nâng hạng" */
  | { kind: 'ratio'; numerator: MetricSelector; denominator: MetricSelector; op: Comparator; percent: number }
  | { kind: 'any'; rules: IndicatorRule[] }
  | { kind: 'all'; rules: IndicatorRule[] };

export interface Indicator {
  /** As written, without the star: "21". */
  number: string;
  /** The source marks some indicators with * ; kept. */
  starred?: boolean;
  text: string;
  /** The completion standard as written ("/" where the source has none). */
  standard: string;
  /** The deadline group heading as written (2020年底前, 持续推进 …). */
  group?: string;
  deadline: Deadline;
  /** Task numbers this indicator measures, where the source links them. */
  tasks?: string[];
  /** Absent: qualitative, decided by a manual verdict. */
  rule?: IndicatorRule;
  /** What the standard leaves out, as written: 除不可抗力外 (given with the verdict, never evaluated). */
  exceptions?: string;
}

export interface DimensionValue {
  id: string;
  label: string;
}

export interface Dimension {
  id: string;
  label: string;
  values: DimensionValue[];
}

export interface Metric {
  /** dotted id, e.g. `benefit.households`. */
  id: string;
  /** Label as written: 受益户数. */
  label: string;
  /** Unit of measure as written: 户, 万元, h, sản phẩm. */
  unit: string;
  dimensions?: Dimension[];
  /** Inclusive bounds of a value; whatever they say, |value| < 10^12 (src/input/numbers.ts). */
  min?: number;
  max?: number;
  /** Whether the value must be a whole number (counts): the same as `decimals: 0`. */
  integer?: boolean;
  /** The most decimals a value may have (0–6; default 2, 0 with `integer`). */
  decimals?: number;
  /** How values of several periods combine into a longer one (households add up; a rate does not). */
  aggregate?: Aggregate;
  /** 'ocop': counted by the OCOP projection from product events, never submitted as a figure. */
  derivedFrom?: 'ocop';
}

/** When a report for a period falls due. */
export type DueRule =
  /** A fixed day counted from the period's year: NEA H1 → 7/15 (yearOffset 0); year → 1/15 (yearOffset 1). */
  | { kind: 'fixed'; month: number; day: number; yearOffset?: number }
  /** N days after the period ends (monthly reports "within 5 days"). */
  | { kind: 'after-end'; days: number };

/** Who receives a report, as the source names them: 报送 (to) and 抄送 (copy). */
export interface Recipients {
  to: string[];
  copy?: string[];
}

export interface CalendarEntry {
  period: PeriodKind;
  /** Restrict to some periods of the kind, e.g. ['H1'] for the NEA half-year report. */
  only?: string[];
  due: DueRule;
  /** The sentence of the source that sets it, and any assumption the source does not settle, stated in words. */
  text: string;
  /** The role ids that owe this report, where the source names them (各省级能源（电力）主管部门); absent: every responsible unit. */
  owedBy?: string[];
  /** Where the report goes, as written. */
  recipients?: Recipients;
  /**
   * Days after the due date at which the period locks, if no report has locked it earlier (absent:
   * only a generated report locks it): figures for a locked period change only by a correction with a reason.
   */
  locksAfterDays?: number;
}

export interface Goal {
  id: string;
  /** As written: "Có ít nhất 40 sản phẩm OCOP mới". */
  text: string;
  rule?: IndicatorRule;
  /** Deadline of the goal, if any (An Giang: end of 2022). */
  deadline?: Deadline;
}

/** Per-district allocation (Cà Mau appendix 4) or any other allocated target by unit. */
export interface Allocation {
  /** District / unit name as written. */
  unit: string;
  /** Figures as named by the source's columns, e.g. { registered: 12, target: 7, new: 5, upgrade: 2 } */
  figures: Record<string, number>;
}

export interface ProgrammeTemplate {
  /** As CONTRACT.md lists: nea-2021-37, cnipa-2021-2022, … */
  id: string;
  title: string;
  /** Optional sub-title / document title line. */
  subtitle?: string;
  language: Language;
  /** IANA zone: Asia/Shanghai, Asia/Ho_Chi_Minh. */
  timeZone: string;
  issuer: string;
  source: { document: string; file: string; date?: LocalDate };
  /** First and last year the programme runs. */
  years: { from: number; to: number };
  roles: Role[];
  sections?: Section[];
  tasks: Task[];
  indicators?: Indicator[];
  metrics?: Metric[];
  calendar: CalendarEntry[];
  /** Report ids owed, laid out in templates/reports. */
  reports: string[];
  goals?: Goal[];
  /** Named allocation tables, e.g. { 'district-targets': [...] } */
  allocations?: Record<string, { columns: Record<string, string>; rows: Allocation[] }>;
  /** Budget as written (An Giang: 12.310 triệu đồng). */
  budget?: { amount: number; unit: string; text: string };
}
