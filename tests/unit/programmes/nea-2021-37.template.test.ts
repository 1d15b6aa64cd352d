import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  Deadline,
  Indicator,
  IndicatorRule,
  Metric,
  ProgrammeTemplate,
  Task,
} from '../../../src/programmes/template';

/**
 * Transcription check of templates/programmes/nea-2021-37.yaml against
 * /work/shared/seeds/003_db26c66cfd61d63f.txt (国能综通监管〔2021〕37号).
 * Literal strings below are copied from the source.
 */
const template = parse(
  readFileSync(join(__dirname, '../../../templates/programmes/nea-2021-37.yaml'), 'utf8'),
) as ProgrammeTemplate;

const task = (n: string): Task => {
  const t = template.tasks.find((x) => x.number === n);
  if (!t) throw new Error(`task ${n} missing`);
  return t;
};
const indicator = (n: string): Indicator => {
  const i = (template.indicators ?? []).find((x) => x.number === n);
  if (!i) throw new Error(`indicator ${n} missing`);
  return i;
};
const metric = (id: string): Metric => {
  const m = (template.metrics ?? []).find((x) => x.id === id);
  if (!m) throw new Error(`metric ${id} missing`);
  return m;
};
const sectionTitle = (n: string): string | undefined =>
  template.sections?.find((s) => s.id === task(n).section)?.title;

const EOY = (year: number): Deadline => ({ kind: 'end-of-year', year, text: `${year}年底前` });
const ONGOING: Deadline = { kind: 'ongoing', every: 'half-year', text: '持续推进' };

describe('nea-2021-37 template', () => {
  it('identifies the programme and its source', () => {
    expect(template.id).toBe('nea-2021-37');
    expect(template.title).toBe('全面提升“获得电力”服务水平工作任务台账');
    expect(template.language).toBe('zh-CN');
    expect(template.timeZone).toBe('Asia/Shanghai');
    expect(template.issuer).toBe('国家能源局综合司');
    expect(template.source).toEqual({
      document: '国能综通监管〔2021〕37号',
      file: '003_db26c66cfd61d63f.txt',
      date: '2021-03-29',
    });
    expect(template.years).toEqual({ from: 2020, to: 2022 });
    expect(template.reports).toEqual([
      'nea-attachment-2',
      'nea-attachment-3',
      'task-status',
      'submission-timeliness',
    ]);
  });

  it('has the 57 tasks of Attachment 1, numbered 1..57 and unique', () => {
    expect(template.tasks).toHaveLength(57);
    const numbers = template.tasks.map((t) => t.number);
    expect(new Set(numbers).size).toBe(57);
    expect(numbers).toEqual(Array.from({ length: 57 }, (_, i) => String(i + 1)));
  });

  it('declares the roles, with note 1 on 各供电企业', () => {
    const roles = Object.fromEntries(template.roles.map((r) => [r.id, r.name]));
    expect(roles).toEqual({
      'supply-company': '各供电企业',
      'energy-authority': '各省级能源（电力）主管部门',
      'nea-regional-office': '国家能源局各派出机构',
      'price-authority': '各省级价格主管部门',
      'connection-approval-department': '各地电力接入工程审批相关部门',
      'cec-media': '中电传媒集团',
    });
    expect(template.roles.find((r) => r.id === 'supply-company')?.note).toBe(
      '各供电企业指国家电网有限公司、中国南方电网有限责任公司、内蒙古电力（集团）有限责任公司及下属供电公司，地方供电企业，增量配电企业；',
    );
    expect(new Set(template.roles.map((r) => r.id)).size).toBe(template.roles.length);
  });

  it('uses only declared roles and declared sections', () => {
    const roles = new Set(template.roles.map((r) => r.id));
    const sections = new Set((template.sections ?? []).map((s) => s.id));
    for (const t of template.tasks) {
      expect(t.lead.length).toBeGreaterThan(0);
      for (const r of [...t.lead, ...t.cooperating]) expect(roles).toContain(r);
      expect(sections).toContain(t.section);
    }
  });

  it('assigns each task its 分类', () => {
    const byTitle: Record<string, string[]> = {};
    for (const t of template.tasks) (byTitle[sectionTitle(t.number)!] ??= []).push(t.number);
    const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => String(a + i));
    expect(byTitle).toEqual({
      工作目标: range(1, 11),
      压缩办电时间: range(12, 20),
      提高办电便利度: range(21, 28),
      降低办电成本: range(29, 38),
      提升供电能力和供电可靠性: range(39, 45),
      加大信息公开力度: range(46, 50),
      强化组织实施: range(51, 57),
    });
  });

  it('copies task texts, units and deadlines from the source', () => {
    expect(task('1').text).toBe(
      '各地区全面实现居民用户和低压小微企业用电报装“三零”服务、高压用户用电报装“三省”服务。',
    );
    expect(task('1').lead).toEqual(['energy-authority']);
    expect(task('1').cooperating).toEqual(['nea-regional-office', 'supply-company']);
    expect(task('1').responsibleText).toBe(
      '各省级能源（电力）主管部门牵头，国家能源局各派出机构，各供电企业按职责分工负责',
    );
    expect(task('1').deadline).toEqual(EOY(2022));

    expect(task('2').text).toBe('将低压、20kV 及以下高压电力接入工程审批时间分别压减至 5 个、10 个工作日内。');
    expect(task('2').lead).toEqual(['energy-authority']);
    expect(task('2').deadline).toEqual(EOY(2020));

    expect(task('4').lead).toEqual(['supply-company', 'energy-authority']);
    expect(task('4').cooperating).toEqual([]);
    expect(task('5').deadline).toEqual(EOY(2021));

    // joined across the page break
    expect(task('10').text).toBe('各地区实现 160kW 及以下的小微企业用电报装“零投资”。');
    expect(task('10').deadline).toEqual(EOY(2022));

    expect(task('13').text).toBe('鼓励实行配套电网接入工程“项目经理+客户经理”双经理负责制，实现网格化全过程跟进。');
    expect(task('13').deadline).toEqual(ONGOING);

    expect(task('40').lead).toEqual(['energy-authority']);
    expect(task('40').cooperating).toEqual(['nea-regional-office']);

    expect(task('45').text).toBe(
      '牵头建立健全相关工作机制，加大对违章作业、野蛮施工、违规用电等行为的查处力度，减少因违规施工导致的停电时间和次数。',
    );
    expect(task('45').lead).toEqual(['energy-authority']);

    expect(task('48').lead).toEqual(['energy-authority']);
    expect(task('48').cooperating).toEqual(['price-authority', 'supply-company']);
    expect(task('48').responsibleText).toBe(
      '各省级能源（电力）主管部门牵头，各省级价格主管部门，各供电企业等按职责分工负责',
    );
    expect(task('50').cooperating).toEqual(['cec-media', 'supply-company']);

    expect(task('52').lead).toEqual(['energy-authority', 'nea-regional-office', 'supply-company']);
    expect(task('52').deadline).toEqual({ kind: 'date', date: '2021-04-30', text: '2021年4月底前' });
    expect(task('53').deadline).toEqual({ kind: 'date', date: '2021-05-15', text: '2021年5月15日前' });
    expect(task('53').text.startsWith('作为优化用电营商环境、提升“获得电力”服务水平的责任主体')).toBe(true);
    expect(task('54').deadline).toEqual({ kind: 'date', date: '2021-04-30', text: '2021年4月底前' });
    expect(task('56').lead).toEqual(['nea-regional-office']);
    expect(task('56').deadline).toEqual(ONGOING);
  });

  it('counts deadlines as the source writes them', () => {
    const count = (pred: (d: Deadline) => boolean) => template.tasks.filter((t) => pred(t.deadline)).length;
    expect(count((d) => d.kind === 'end-of-year' && d.year === 2020)).toBe(21);
    expect(count((d) => d.kind === 'end-of-year' && d.year === 2021)).toBe(7);
    expect(count((d) => d.kind === 'end-of-year' && d.year === 2022)).toBe(6);
    expect(count((d) => d.kind === 'date')).toBe(3);
    expect(count((d) => d.kind === 'ongoing' && d.every === 'half-year')).toBe(20);
  });

  it('holds the outage-hour targets of task 11', () => {
    const rule = task('11').rule as Extract<IndicatorRule, { kind: 'all' }>;
    expect(rule.kind).toBe('all');
    expect(rule.rules).toHaveLength(8);
    const expected: Array<[string, string, number]> = [
      ['major', 'central', 1],
      ['major', 'urban', 2],
      ['major', 'town', 5],
      ['major', 'rural', 11],
      ['other', 'central', 2],
      ['other', 'urban', 5],
      ['other', 'town', 9],
      ['other', 'rural', 15],
    ];
    expected.forEach(([cityClass, area, hours], i) => {
      expect(rule.rules[i]).toEqual({
        kind: 'any',
        rules: [
          {
            kind: 'compare',
            metric: 'reliability.outageHours',
            where: { cityClass, area },
            aggregate: 'latest',
            op: '<=',
            value: hours,
          },
          {
            kind: 'change',
            metric: 'reliability.outageHours',
            where: { cityClass, area },
            aggregate: 'latest',
            baseline: 'previous-year',
            op: '<=',
            percent: -8,
          },
        ],
      });
    });
    expect(task('11').responsibleText).toBe('各省级能源（电力）主管部门、各供电企业按职责分工负责');
  });

  it('has the 38 indicators of Attachment 2-2 in their deadline groups', () => {
    const indicators = template.indicators ?? [];
    expect(indicators).toHaveLength(38);
    expect(indicators.map((i) => i.number)).toEqual(Array.from({ length: 38 }, (_, i) => String(i + 1)));
    const groups: Record<string, number> = {};
    for (const i of indicators) groups[i.group!] = (groups[i.group!] ?? 0) + 1;
    expect(groups).toEqual({ '2020年底前': 21, '2021年底前': 12, '2022年底前': 3, 持续推进: 2 });
    // 30, 31, 32 and 33 are judged on the date their standard writes, not on the group heading.
    const ownDate = new Set(['30', '31', '32', '33']);
    for (const i of indicators) {
      if (i.group === '持续推进') expect(i.deadline).toEqual(ONGOING);
      else if (!ownDate.has(i.number)) expect(i.deadline).toEqual(EOY(Number(i.group!.slice(0, 4))));
    }
    expect(indicators.filter((i) => i.starred).map((i) => i.number)).toEqual(['21', '27', '29', '30', '33', '37', '38']);
    const taskNumbers = new Set(template.tasks.map((t) => t.number));
    for (const i of indicators) for (const n of i.tasks ?? []) expect(taskNumbers).toContain(n);
  });

  it('copies indicator texts and standards from the source', () => {
    expect(indicator('2').text).toBe(
      '各省级能源（电力）主管部门牵头将 20kV 及以下高压电力接入工程审批时间压减至 10 个工作日以内。',
    );
    expect(indicator('1').standard).toBe(
      '1.本省（自治区、直辖市）出台政策文件；2.已出台的文件和配套政策向社会公开；3.每个接入工程审批时间达到政策的规定时限标准。',
    );
    expect(indicator('4').standard).toBe(
      '高压单电源用户业务受理、供电方案答复、设计审查、中间检查、竣工检验和装表接电环节办理时间分别为1、10、3、2、3、3个工作日以内。',
    );
    expect(indicator('21').text).toBe('各省级价格主管部门提前一个月向社会公布制定或调整涉及终端电力用户用电价格政策文件。');
    expect(indicator('30').standard).toBe('2021年4月30日前完成机制的建立。');
    expect(indicator('33').standard).toBe('2021年4月30日前完成三年行动方案和台帐的制定。');
    expect(indicator('35').text).toBe('实现全国范围160kW及以下的小微企业用电报装“零投资”。');
    expect(indicator('37').standard).toBe('/');
    expect(indicator('38').text).toBe('鼓励供电企业推广临时用电的租赁共享服务。');
    expect(indicator('38').standard).toBe('/');
    expect(indicator('1').tasks).toEqual(['2']);
    expect(indicator('34').tasks).toEqual(['6']);
    expect(indicator('37').tasks).toEqual(['28']);
  });

  it('gives quantitative standards a rule and qualitative ones none', () => {
    const withRule = (template.indicators ?? []).filter((i) => i.rule).map((i) => i.number);
    expect(withRule).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '16', '22', '23', '24', '25', '34', '35']);
    expect(indicator('1').rule).toEqual({
      kind: 'compare',
      metric: 'approval.workingDays',
      where: { voltage: 'low' },
      aggregate: 'max',
      op: '<=',
      value: 5,
    });
    expect(indicator('22').rule).toMatchObject({ metric: 'connection.workingDays', op: '<=', value: 20 });
    expect(indicator('10').rule).toMatchObject({ metric: 'connection.steps', where: { userClass: 'lv-nonres-other' }, value: 3 });

    // every rule points at a declared metric and declared dimension values
    const check = (r: IndicatorRule | undefined): void => {
      if (!r) return;
      if (r.kind === 'any' || r.kind === 'all') return r.rules.forEach(check);
      const selectors = r.kind === 'ratio' ? [r.numerator, r.denominator] : [r];
      for (const s of selectors) {
        const m = metric(s.metric);
        for (const [dim, value] of Object.entries(s.where ?? {})) {
          const d = (m.dimensions ?? []).find((x) => x.id === dim);
          expect(d?.values.map((v) => v.id)).toContain(value);
        }
      }
    };
    template.tasks.forEach((t) => check(t.rule));
    (template.indicators ?? []).forEach((i) => check(i.rule));
  });

  it('has the Attachment 3 benefit metrics exactly as CONTRACT.md names them', () => {
    const expected: Array<[string, string, string]> = [
      ['benefit.households', '受益户数', '户'],
      ['benefit.investmentSaved', '节省投资', '万元'],
      ['benefit.salesAdded', '增加售电量', '万千瓦时'],
      ['benefit.capacityAdded', '增加容量', '万千瓦安'],
    ];
    for (const [id, label, unit] of expected) {
      const m = metric(id);
      expect(m.label).toBe(label);
      expect(m.unit).toBe(unit);
      expect(m.min).toBe(0);
      expect(m.aggregate).toBe('sum');
      expect(m.integer ?? false).toBe(id === 'benefit.households');
      expect(m.dimensions).toHaveLength(1);
      expect(m.dimensions![0].id).toBe('service');
      expect(m.dimensions![0].values).toEqual([
        { id: 'sanling-residential', label: '居民用户' },
        { id: 'sanling-enterprise', label: '160kW及以下的企业用户' },
        { id: 'sanling-other', label: '其他用户' },
        { id: 'sansheng', label: '“三省”服务效益' },
      ]);
    }
  });

  it('has the outage-hours metric by city class and area', () => {
    const m = metric('reliability.outageHours');
    expect(m.label).toBe('用户年均停电时间');
    expect(m.unit).toBe('小时');
    expect(m.aggregate).toBe('latest');
    expect(m.min).toBe(0);
    expect(m.dimensions!.map((d) => [d.id, d.values.map((v) => [v.id, v.label])])).toEqual([
      ['cityClass', [['major', '直辖市、计划单列市、省会城市'], ['other', '其他地级行政区']]],
      ['area', [['central', '中心区'], ['urban', '市区'], ['town', '城镇'], ['rural', '农村地区']]],
    ]);
    const ids = (template.metrics ?? []).map((x) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('follows the NEA reporting calendar', () => {
    expect(template.calendar).toHaveLength(2);
    const [h1, year] = template.calendar;
    expect(h1).toMatchObject({ period: 'half-year', only: ['H1'], due: { kind: 'fixed', month: 7, day: 15, yearOffset: 0 } });
    expect(year).toMatchObject({ period: 'year', due: { kind: 'fixed', month: 1, day: 15, yearOffset: 1 } });
    expect(h1.text).toContain('于每年7月15日前向国家能源局报送本年度上半年情况');
    expect(year.text).toContain('次年1月15日前向国家能源局报送上年度全年情况');
  });
});
