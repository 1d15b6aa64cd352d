import { indicatorVerdicts } from '../../ledgers/queries/indicator-verdicts';
import { figureWords } from './figure-words';
import { periodFields } from '../period-fields';
import { commonFields, type ReportDataProvider } from './report-context';


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
    basis: indicator.rule
      ? result.figures.map((f) => figureWords(f, context.ledger.programme)).join('；')
      : pairs.length ? `任务 ${[...new Set(pairs.map((p) => p.task))].join('、')}：${done}/${pairs.length} 个单位已完成` : '',
    units: units.map(unitName).join('、'),
  }));
  return {
    asOf: context.instant,
    fields: { ...commonFields(context), ...periodFields(context.period.id) },
    lists: { standards },
  };
};
