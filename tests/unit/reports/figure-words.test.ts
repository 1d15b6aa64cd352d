import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTemplate } from '../../../src/programmes/load-template';
import { evaluateRule } from '../../../src/programmes/indicator-rules';
import { figureWords } from '../../../src/reports/data/figure-words';

const file = join(__dirname, '../../../templates/programmes/nea-2021-37.yaml');
const loaded = parseTemplate(readFileSync(file, 'utf8'), file);
if (!loaded.ok) throw new Error('the NEA template must load');
const NEA = loaded.template;

describe('判定依据 in the programme’s words', () => {
  it('names the metric, its dimensions and period, the value with its unit, and the standard’s limit — no rule ids', () => {
    const standard1 = NEA.indicators!.find((i) => i.number === '1')!;
    const result = evaluateRule(standard1.rule!, [{ metric: 'approval.workingDays', period: '2021-H1', dimensions: { voltage: 'low' }, value: 7, unit: '个工作日' }], { period: '2021-H1' });
    expect(result.verdict).toBe('not-met');
    expect(result.figures.map((f) => figureWords(f, NEA))).toEqual(['2021年上半年电力接入工程审批时间（低压）最大值 7 个工作日（标准：不超过 5 个工作日）']);
  });

  it('words a change against its base period, and a figure with no data', () => {
    expect(figureWords({ label: 'change %', value: -9.5, target: '<= -8%' }, NEA)).toBe('同比变化 -9.5%（标准：不超过 -8%）');
    expect(figureWords({ label: 'sum benefit.households [service=sansheng|sanling-other] 2021', value: null, target: null, unit: '户' }, NEA)).toBe('2021年受益户数（“三省”服务效益或其他用户）合计 无数据');
    // No figure, no unit on it: the standard's limit is still in the metric's unit.
    expect(figureWords({ label: 'max connection.workingDays [userClass=residential] 2021-H1', value: null, target: '<= 5' }, NEA)).toBe('2021年上半年全过程办电时间（居民用户）最大值 无数据（标准：不超过 5 个工作日）');
  });
});
