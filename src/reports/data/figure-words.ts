import type { Figure } from '../../programmes/indicator-rules';
import type { ProgrammeTemplate } from '../../programmes/template';

/**
 * Attachment 2's 判定依据 in the programme's words: each deciding figure as what was measured, its
 * value and unit, and the limit of the standard, e.g. 电力接入工程审批时间（低压）最大值 7 个工作日
 * （标准：不超过 5 个工作日）; the verdict column says whether it was met. Figures carry a machine label (indicator-rules.ts:
 * `<aggregate> <metric> [<dim>=<value>,…] <period>`, or `change %` / `ratio %`); the metric and
 * dimension labels come from the programme template.
 */
const AGGREGATE: Record<string, string> = { sum: '合计', max: '最大值', min: '最小值', mean: '平均值', latest: '最新值', count: '报送数' };
const OPERATOR: Record<string, string> = { '<=': '不超过', '>=': '不低于', '<': '低于', '>': '高于', '=': '等于' };
const LABEL = /^(\w+) (\S+)(?: \[([^\]]*)\])? (\S+)$/;
const TARGET = /^(<=|>=|<|>|=) (-?[\d.]+)(%?)$/;

export function figureWords(figure: Figure, programme: Pick<ProgrammeTemplate, 'metrics'>): string {
  const m = LABEL.exec(figure.label);
  const what = m ? measured(m, programme) : figure.label === 'change %' ? '同比变化' : figure.label === 'ratio %' ? '占比' : figure.label;
  const percent = figure.label.endsWith('%');
  // A figure with no data carries no unit: the standard's limit still has the metric's.
  const unitName = figure.unit ?? (m ? programme.metrics?.find((x) => x.id === m[2])?.unit : undefined);
  const unit = percent ? '%' : unitName ? ` ${unitName}` : '';
  const value = figure.value === null ? '无数据' : `${figure.value}${unit}`;
  if (!figure.target) return `${what} ${value}`;
  const t = TARGET.exec(figure.target);
  return `${what} ${value}（标准：${t ? `${OPERATOR[t[1]]} ${t[2]}` : figure.target}${unit}）`;
}

function measured(m: RegExpExecArray, programme: Pick<ProgrammeTemplate, 'metrics'>): string {
  const [, aggregate, metricId, where, period] = m;
  const metric = programme.metrics?.find((x) => x.id === metricId);
  const dims = (where ?? '')
    .split(',')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const [dim, values] = pair.split('=');
      const dimension = metric?.dimensions?.find((d) => d.id === dim);
      return values.split('|').map((v) => dimension?.values.find((x) => x.id === v)?.label ?? v).join('或');
    });
  return `${periodWords(period)}${metric?.label ?? metricId}${dims.length ? `（${dims.join('，')}）` : ''}${AGGREGATE[aggregate] ?? ''}`;
}

const SUFFIX: Record<string, string> = { H1: '上半年', H2: '下半年', Q1: '第一季度', Q2: '第二季度', Q3: '第三季度', Q4: '第四季度', '9M': '前三季度' };

/** 2021-H1 → 2021年上半年, 2021-07 → 2021年7月, 2021 → 2021年. */
function periodWords(period: string): string {
  const [year, suffix] = period.split('-');
  if (!suffix) return `${year}年`;
  return `${year}年${SUFFIX[suffix] ?? `${Number(suffix)}月`}`;
}
