/**
 * The placeholder fields of a reporting period, for a form's (年月—年月) line:
 * 2021-H1 → period.fromYear 2021, period.fromMonth 1, period.toYear 2021, period.toMonth 6.
 */
import { monthsCovered, periodOf } from '../programmes/period';

export function periodFields(periodId: string): Record<string, string | number> {
  const period = periodOf(periodId);
  const { from, to } = monthsCovered(period);
  return {
    'period.id': period.id,
    'period.start': period.start,
    'period.end': period.end,
    'period.fromYear': from.year,
    'period.fromMonth': from.month,
    'period.toYear': to.year,
    'period.toMonth': to.month,
  };
}
