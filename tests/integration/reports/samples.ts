/**
 * Realistic report data for the shipped layouts, built from the real programme templates (NEA
 * 国能综通监管〔2021〕37号 and An Giang OCOP 2022), as the read-model wiring will supply it.
 * Used by the report tests and by tests/bench/reports.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTemplate } from '../../../src/programmes/load-template';
import { fixedDueDate, type TaskStatus } from '../../../src/programmes/deadline';
import type { ProgrammeTemplate } from '../../../src/programmes/template';
import { bindingKey } from '../../../src/reports/bindings';
import { periodFields } from '../../../src/reports/period-fields';
import type { ReportData } from '../../../src/reports/resolved';
import type { Scalar } from '../../../src/reports/text';

export const AS_OF = '2021-07-10T08:00:00.000Z';

/** The log state a report pins in its footer: position and running digest at the as-of moment. */
export const LOG = {
  logPosition: 5474,
  logDigest: 'sha256:cdd99d8f86390d0b4dac7b6dd69175e76d66f3fe9b14edd1b3d06b04fe7e1779',
  reportPin: 'compliance-ledger report gd-2021/nea-attachment-3/2021-H1 as of 2021-07-10T08:00:00.000Z at log position 5474 sha256:cdd99d8f86390d0b4dac7b6dd69175e76d66f3fe9b14edd1b3d06b04fe7e1779',
  restatements: '',
  backfill: '',
};

export function programme(id: string): ProgrammeTemplate {
  const file = join(__dirname, '../../../templates/programmes', `${id}.yaml`);
  const loaded = parseTemplate(readFileSync(file, 'utf8'), file);
  if (!loaded.ok) throw new Error(`${id}: ${JSON.stringify(loaded.errors)}`);
  return loaded.template;
}

/** Half-year figures of a province's supply companies, summed over units (万元 etc. with decimals). */
export const BENEFIT: Record<string, Record<string, number>> = {
  'benefit.households': { 'sanling-residential': 152340, 'sanling-enterprise': 8215, 'sanling-other': 1207, sansheng: 3561 },
  'benefit.investmentSaved': { 'sanling-residential': 45210.5, 'sanling-enterprise': 18034.25, 'sanling-other': 2310.1, sansheng: 9876.4 },
  'benefit.salesAdded': { 'sanling-residential': 12345.67, 'sanling-enterprise': 8901.2, 'sanling-other': 0.1, sansheng: 5432.2 },
  'benefit.capacityAdded': { 'sanling-residential': 321.45, 'sanling-enterprise': 210.3, 'sanling-other': 15.05, sansheng: 988.8 },
};

export function attachment3Data(): ReportData {
  const values: Record<string, number> = {};
  for (const [key, byService] of Object.entries(BENEFIT)) {
    for (const [service, v] of Object.entries(byService)) values[bindingKey({ key, where: { service } })] = v;
  }
  return {
    asOf: AS_OF,
    fields: { ...LOG, jurisdiction: '广东省', ...periodFields('2021-H1'), reporter: '陈晓明 020-85124567', reviewer: '黄志强', reportDate: '2021年7月10日' },
    values,
  };
}

const VERDICTS = ['met', 'met', 'not-met', 'in-progress', 'not-yet-due', 'no-data'] as const;

export function attachment2Data(): ReportData {
  const nea = programme('nea-2021-37');
  const roles = new Map(nea.roles.map((r) => [r.id, r.name]));
  const standards = (nea.indicators ?? []).map((ind, i) => {
    const verdict = ind.group === '持续推进' ? 'in-progress' : ind.group === '2022年底前' ? 'not-yet-due' : VERDICTS[i % VERDICTS.length];
    const units = [...new Set((ind.tasks ?? []).flatMap((t) => nea.tasks.find((x) => x.number === t)?.lead ?? []))].map((r) => roles.get(r));
    return {
      group: ind.group ?? '',
      number: ind.number,
      starred: ind.starred ?? false,
      text: ind.text,
      standard: ind.standard,
      verdict,
      basis: ind.rule ? (verdict === 'met' ? '最长办理时间 4 个工作日 ≤ 5' : verdict === 'not-met' ? '最长办理时间 7 个工作日 > 5' : '') : verdict === 'met' ? '人工评定：已出台文件并公开' : '',
      units: units.join('、'),
    };
  });
  return {
    asOf: AS_OF,
    fields: { ...LOG, jurisdiction: '广东省', ...periodFields('2021-H1'), reporter: '陈晓明 020-85124567', reviewer: '黄志强', reportDate: '2021年7月10日', asOfDate: '2021年7月10日' },
    lists: { standards },
  };
}

const STATUSES: TaskStatus[] = ['completed-on-time', 'in-progress', 'overdue', 'due-soon', 'blocked', 'not-started', 'completed-late', 'not-reported', 'reported'];
/** The latest progress a unit reported, as a row of each status would show it. */
const PROGRESS: Record<string, string | null> = {
  'completed-on-time': 'completed', 'in-progress': 'in-progress', overdue: 'blocked', 'due-soon': 'in-progress', blocked: 'blocked',
  'not-started': null, 'completed-late': 'completed', 'not-reported': null, reported: 'in-progress',
};

/** Rows (task × lead unit) of a programme; `units` names a concrete unit per role; repeated to reach `count`. */
export function taskRows(p: ProgrammeTemplate, units: Record<string, string[]>, count?: number): Record<string, Scalar>[] {
  const rows: Record<string, Scalar>[] = [];
  const base = p.tasks.flatMap((t) => t.lead.flatMap((role) => (units[role] ?? [p.roles.find((r) => r.id === role)?.name ?? role]).map((unit) => ({ t, unit }))));
  const total = count ?? base.length;
  for (let i = 0; i < total; i++) {
    const { t, unit } = base[i % base.length];
    const status = STATUSES[i % STATUSES.length];
    const due = fixedDueDate(t.deadline);
    const completedOn = status === 'completed-on-time' ? due ?? '2021-06-30' : status === 'completed-late' ? '2021-06-18' : null;
    const copy = Math.floor(i / base.length);
    const progress = PROGRESS[status];
    const flag = status === 'overdue' || status === 'due-soon' ? status : status === 'blocked' || status === 'not-reported' ? 'behind' : null;
    const detail = progress === 'blocked' ? 'waiting for land acquisition approval (evidence: 2021-12)' : null;
    rows.push({ number: copy ? `${t.number}-${copy}` : t.number, text: t.text, unit, status, progress, detail, due, completedOn, late: status === 'completed-late' || status === 'overdue', flag });
  }
  return rows;
}

export const NEA_UNITS = {
  'supply-company': ['广东电网有限责任公司', '深圳供电局有限公司'],
  'energy-authority': ['广东省能源局'],
  'nea-regional-office': ['国家能源局南方监管局'],
};

export function taskStatusZhData(count?: number): ReportData {
  return {
    asOf: AS_OF,
    language: 'zh-CN',
    fields: {
      ...LOG, ledgerName: '广东省全面提升“获得电力”服务水平工作任务台账', periodYear: 2021, periodSuffix: 'H1', statusOnDate: '2021年6月30日', asOfDate: '2021年7月10日',
      reporter: '陈晓明 020-85124567', reviewer: null, reportDate: '2021年7月10日',
    },
    lists: { tasks: taskRows(programme('nea-2021-37'), NEA_UNITS, count) },
  };
}

export function taskStatusViData(): ReportData {
  const p = programme('angiang-ocop-2022');
  const rows = taskRows(p, {});
  // One unit name in decomposed form (NFD), as some keyboards send it: the report must print it composed.
  rows[0] = { ...rows[0], unit: 'Sở Nông nghiệp và Phát triển nông thôn'.normalize('NFD') };
  return {
    asOf: '2022-11-20T03:00:00.000Z',
    language: 'vi',
    fields: {
      ...LOG, ledgerName: 'Kế hoạch thực hiện Chương trình OCOP tỉnh An Giang năm 2022', periodYear: 2022, periodSuffix: 'Y', statusOnDate: '20/11/2022', asOfDate: '20/11/2022',
      reporter: 'Nguyễn Thị Hồng', reviewer: 'Trần Văn Đức', reportDate: '20/11/2022',
    },
    lists: { tasks: rows },
  };
}
