/**
 * The fill-in workbook's layout: sheet names, columns and texts in the programme's language. One
 * layout version; an upload of a workbook of another layout version is refused (download a new one).
 */
import type { Language, PeriodKind } from '../../programmes/template';
import { PROGRESS_STATUSES } from '../submit/record-types';

export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

/** Written into the meta sheet: what an upload checks first. */
export const WORKBOOK_KIND = 'compliance-ledger/fill-in-workbook';
export const LAYOUT_VERSION = 1;

export const META_SHEET = 'meta';

/** Meta sheet: key in column A, value in column B, one row each, in this order. */
export const META_KEYS = ['kind', 'layoutVersion', 'ledger', 'unit', 'period', 'programme', 'programmeVersion', 'language', 'pinnedAt'] as const;
export type MetaKey = (typeof META_KEYS)[number];
export const metaRow = (key: MetaKey) => META_KEYS.indexOf(key) + 1;
export const metaCell = (key: MetaKey) => `B${metaRow(key)}`;

/** Rows of both fill-in sheets: 1 title, 2 instructions, 3 column headers, data from 4. */
export const TITLE_ROW = 1;
export const HELP_ROW = 2;
export const HEADER_ROW = 3;
export const FIRST_DATA_ROW = 4;

/** Task sheet columns (1-based). A–D are given and locked; E–H are filled in. */
export const TASK_COLUMNS = { number: 1, text: 2, deadline: 3, responsibility: 4, status: 5, on: 6, note: 7, evidence: 8 } as const;
/** Metric sheet columns (1-based). E is filled in; G and H (hidden) hold the metric id and the dimension value ids. */
export const METRIC_COLUMNS = { index: 1, metric: 2, dimensions: 3, unit: 4, value: 5, requirement: 6, metricId: 7, dimensionIds: 8 } as const;

export function columnLetter(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

export interface WorkbookTexts {
  taskSheet: string;
  metricSheet: string;
  taskTitle: (unitName: string, period: string) => string;
  taskHelp: string;
  taskHeaders: Record<keyof typeof TASK_COLUMNS, string>;
  responsibility: { lead: string; cooperating: string };
  statuses: Record<ProgressStatus, string>;
  noTasks: (role: string) => string;
  metricTitle: (unitName: string, period: string) => string;
  metricHelp: (period: string) => string;
  metricHeaders: Record<Exclude<keyof typeof METRIC_COLUMNS, 'metricId' | 'dimensionIds'>, string>;
  /** The completion rule of a value cell, shown beside it and as the validation's message. */
  requirement: (rule: { min?: number; max?: number; integer: boolean; decimals: number }) => string;
  notReportedPeriod: (period: string, owed: string) => string;
  noSubmittedMetrics: string;
  periodKinds: Record<PeriodKind, string>;
  statusPrompt: string;
  datePrompt: (from: string, to: string) => string;
  listSeparator: string;
}

const numberRange = (rule: { min?: number; max?: number }, between: (a: number, b: number) => string, atLeast: (a: number) => string, atMost: (b: number) => string, any: string) =>
  rule.min !== undefined && rule.max !== undefined ? between(rule.min, rule.max) : rule.min !== undefined ? atLeast(rule.min) : rule.max !== undefined ? atMost(rule.max) : any;

export const TEXTS: Record<Language, WorkbookTexts> = {
  'zh-CN': {
    taskSheet: '任务',
    metricSheet: '指标',
    taskTitle: (unit, period) => `${unit} 任务进展填报表（${period}）`,
    taskHelp: '在“进展状态”列选择状态，在“日期”列填写进展日期（YYYY-MM-DD 或 YYYY年M月D日）；多项佐证材料用分号或换行分隔。只报送已选择状态的行。',
    taskHeaders: { number: '序号', text: '任务内容', deadline: '完成时限', responsibility: '责任', status: '进展状态', on: '日期', note: '备注', evidence: '佐证材料' },
    responsibility: { lead: '牵头', cooperating: '配合' },
    statuses: { 'not-started': '未开始', 'in-progress': '进行中', completed: '已完成', blocked: '受阻' },
    noTasks: (role) => `本单位（${role}）没有牵头或配合的任务。`,
    metricTitle: (unit, period) => `${unit} 指标数据填报表（${period}）`,
    metricHelp: (period) => `在“数值”列填写 ${period} 的数值（如 1234.5 或 1,234.5）；留空的行不报送。`,
    metricHeaders: { index: '序号', metric: '指标', dimensions: '分项', unit: '计量单位', value: '数值', requirement: '填写要求' },
    requirement: (rule) =>
      numberRange(rule, (a, b) => `${a} 至 ${b} 之间的`, (a) => `不小于 ${a} 的`, (b) => `不大于 ${b} 的`, '') + (rule.integer ? '整数' : `数值，最多 ${rule.decimals} 位小数`),
    notReportedPeriod: (period, owed) => `本计划不按 ${period} 报送指标数据（报送周期：${owed}）。`,
    noSubmittedMetrics: '本计划没有需要填报的指标数据（OCOP 指标由产品登记、评级事件统计）。',
    periodKinds: { month: '月度', quarter: '季度', 'half-year': '半年', 'nine-months': '前三季度', year: '年度' },
    statusPrompt: '请从下拉列表中选择',
    datePrompt: (from, to) => `请填写 ${from} 至 ${to} 之间的日期`,
    listSeparator: '、',
  },
  vi: {
    taskSheet: 'Nhiệm vụ',
    metricSheet: 'Chỉ tiêu',
    taskTitle: (unit, period) => `${unit} – Báo cáo tiến độ thực hiện nhiệm vụ (${period})`,
    taskHelp: 'Chọn tình trạng ở cột “Tình trạng”, ghi ngày ở cột “Ngày” (YYYY-MM-DD hoặc DD/MM/YYYY); nhiều minh chứng cách nhau bằng dấu chấm phẩy hoặc xuống dòng. Chỉ các dòng đã chọn tình trạng được gửi.',
    taskHeaders: { number: 'STT', text: 'Nội dung nhiệm vụ', deadline: 'Thời gian hoàn thành', responsibility: 'Trách nhiệm', status: 'Tình trạng', on: 'Ngày', note: 'Ghi chú', evidence: 'Minh chứng' },
    responsibility: { lead: 'Chủ trì', cooperating: 'Phối hợp' },
    statuses: { 'not-started': 'Chưa thực hiện', 'in-progress': 'Đang thực hiện', completed: 'Đã hoàn thành', blocked: 'Gặp vướng mắc' },
    noTasks: (role) => `Đơn vị (${role}) không chủ trì hay phối hợp nhiệm vụ nào.`,
    metricTitle: (unit, period) => `${unit} – Báo cáo số liệu chỉ tiêu (${period})`,
    metricHelp: (period) => `Ghi giá trị của kỳ ${period} ở cột “Giá trị” (ví dụ 1234,5 hoặc 1.234,5); dòng để trống không được gửi.`,
    metricHeaders: { index: 'STT', metric: 'Chỉ tiêu', dimensions: 'Phân loại', unit: 'Đơn vị tính', value: 'Giá trị', requirement: 'Yêu cầu' },
    requirement: (rule) =>
      (rule.integer ? 'Số nguyên' : 'Số') + numberRange(rule, (a, b) => ` từ ${a} đến ${b}`, (a) => ` không nhỏ hơn ${a}`, (b) => ` không lớn hơn ${b}`, '') + (rule.integer ? '' : `, tối đa ${rule.decimals} chữ số thập phân`),
    notReportedPeriod: (period, owed) => `Kế hoạch không báo cáo số liệu theo kỳ ${period} (kỳ báo cáo: ${owed}).`,
    noSubmittedMetrics: 'Kế hoạch không có chỉ tiêu cần nhập số liệu (chỉ tiêu OCOP được tính từ các sự kiện đăng ký, đánh giá sản phẩm).',
    periodKinds: { month: 'tháng', quarter: 'quý', 'half-year': '6 tháng', 'nine-months': '9 tháng', year: 'năm' },
    statusPrompt: 'Chọn trong danh sách',
    datePrompt: (from, to) => `Ghi ngày từ ${from} đến ${to}`,
    listSeparator: ', ',
  },
};

/** Every status label of every language, and the status ids themselves, mapped back to the status id. */
export function statusOfLabel(text: string): ProgressStatus | undefined {
  const wanted = text.normalize('NFC').trim().toLowerCase();
  for (const status of PROGRESS_STATUSES) {
    if (status === wanted) return status;
    for (const texts of Object.values(TEXTS)) if (texts.statuses[status].normalize('NFC').toLowerCase() === wanted) return status;
  }
  return undefined;
}
