import { indicatorVerdicts } from '../../ledgers/queries/indicator-verdicts';
import { figureWords } from './figure-words';
import { periodFields } from '../period-fields';
import { commonFields, type ReportDataProvider } from './report-context';

/**
 * 判定依据 of a standard no machine rule can check: the standard in its own words, said to be judged
 * by hand, with what the units reported on the tasks behind it (no rule ids, no machine labels).
 */
function judgedByHand(indicator: { standard: string; text: string }, done: number, units: number): string {
  const words = indicator.standard.trim() && indicator.standard.trim() !== '/' ? indicator.standard.trim() : indicator.text.trim();
  const reported = units > 0 ? `；相关任务的 ${units} 个责任单位中 ${done} 个已报完成` : '';
  return `无量化标准，人工判定：“${words}”${reported}`;
}

/**
 * The figures of a standard that makes exceptions (除不可抗力外), led by the exception in the standard's
 * own words: the figures count every project, and a reader must know the standard excludes some.
 */
function withExceptions(exceptions: string | undefined, figures: string): string {
  return exceptions ? `${exceptions}：${figures}` : figures;
}

/** Attachment 2: each of the 38 standards with the ledger's verdict, the deciding figures and the units behind them (indicatorVerdicts, shared with GET …/indicators). */
export const neaAttachment2Data: ReportDataProvider = async (context) => {
  const unitName = (id: string) => context.ledger.units.get(id)?.name ?? id;
  const entries = await indicatorVerdicts({
    db: context.db,
    queries: context.queries,
    ledger: context.ledger,
    period: context.period,
    asOf: context.asOf,
    asOfDate: context.asOfDate,
  });
  const standards = entries.map(({ indicator, verdict, result, pairs, done, units }) => ({
    group: indicator.group ?? indicator.deadline.text,
    number: indicator.number,
    starred: indicator.starred ?? false,
    text: indicator.text,
    standard: indicator.standard,
    verdict,
    basis: indicator.rule ? withExceptions(indicator.exceptions, result.figures.map((f) => figureWords(f, context.ledger.programme)).join('；')) : judgedByHand(indicator, done, pairs.length),
    units: units.map(unitName).join('、'),
  }));
  return {
    asOf: context.instant,
    fields: { ...commonFields(context), ...periodFields(context.period.id) },
    lists: { standards },
  };
};
