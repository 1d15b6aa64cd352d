/**
 * Transcription check of templates/programmes/cnipa-2021-2022.yaml against its source,
 * /work/shared/seeds/001_1aba404a7219ab97.txt (知识产权强国建设纲要和“十四五”规划实施年度推进计划).
 * The literal strings below are copied from the source document.
 */
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProgrammeTemplate, Task } from '../../../src/programmes/template';

const template = parse(
  readFileSync(join(__dirname, '../../../templates/programmes/cnipa-2021-2022.yaml'), 'utf8'),
) as ProgrammeTemplate;

const task = (n: string): Task => {
  const found = template.tasks.find((t) => t.number === n);
  if (!found) throw new Error(`task ${n} missing`);
  return found;
};
const roleName = (id: string): string => {
  const role = template.roles.find((r) => r.id === id);
  if (!role) throw new Error(`role ${id} not declared`);
  return role.name;
};
/** The department names of a bracket such as “市场监管总局、农业农村部、知识产权局负责”. */
const bracketDepartments = (text: string): string[] => text.replace(/(按职责分工)?负责$/, '').split('、');

describe('cnipa-2021-2022 template', () => {
  it('has the programme header of the source', () => {
    expect(template.id).toBe('cnipa-2021-2022');
    expect(template.language).toBe('zh-CN');
    expect(template.timeZone).toBe('Asia/Shanghai');
    expect(template.title).toBe('知识产权强国建设纲要和“十四五”规划实施年度推进计划');
    expect(template.issuer).toBe('国务院知识产权战略实施工作部际联席会议办公室');
    expect(template.source).toEqual({
      document:
        '国务院知识产权战略实施工作部际联席会议办公室关于印发《知识产权强国建设纲要和“十四五”规划实施年度推进计划》的通知',
      file: '001_1aba404a7219ab97.txt',
      date: '2021-12-27',
    });
    expect(template.years).toEqual({ from: 2021, to: 2022 });
    expect(template.reports).toEqual(['task-status', 'submission-timeliness']);
  });

  it('has 115 tasks numbered 1 … 115, each number unique', () => {
    expect(template.tasks).toHaveLength(115);
    const numbers = template.tasks.map((t) => t.number);
    expect(new Set(numbers).size).toBe(115);
    expect(numbers).toEqual(Array.from({ length: 115 }, (_, i) => String(i + 1)));
  });

  it('has 7 top-level sections with the source titles and valid sub-sections', () => {
    const sections = template.sections ?? [];
    const top = sections.filter((s) => !s.parent);
    expect(top.map((s) => s.id)).toEqual(['一', '二', '三', '四', '五', '六', '七']);
    expect(top.map((s) => s.title)).toEqual([
      '完善知识产权制度',
      '强化知识产权保护',
      '完善知识产权市场运行机制',
      '提高知识产权公共服务水平',
      '营造良好的知识产权人文社会环境',
      '深度参与全球知识产权治理',
      '加强组织保障',
    ]);
    expect(sections).toHaveLength(18);
    const ids = new Set(sections.map((s) => s.id));
    expect(ids.size).toBe(sections.length);
    for (const s of sections) if (s.parent) expect(top.map((t) => t.id)).toContain(s.parent);
    expect(sections.find((s) => s.id === '二（三）')).toEqual({ id: '二（三）', title: '加强保护长效机制建设', parent: '二' });
    expect(sections.find((s) => s.id === '五（二）')?.title).toBe('夯实知识产权事业发展基础');
    for (const t of template.tasks) expect(ids).toContain(t.section);
    expect(task('1').section).toBe('一（一）');
    expect(task('24').section).toBe('二（一）');
    expect(task('86').section).toBe('四');
    expect(task('101').section).toBe('六');
    expect(task('115').section).toBe('七');
  });

  it('declares every lead and cooperating unit as a role, with unique role ids', () => {
    const roleIds = template.roles.map((r) => r.id);
    expect(new Set(roleIds).size).toBe(roleIds.length);
    expect(new Set(template.roles.map((r) => r.name)).size).toBe(roleIds.length);
    for (const t of template.tasks) {
      expect(t.lead).toHaveLength(1);
      for (const id of [...t.lead, ...t.cooperating]) expect(roleIds).toContain(id);
    }
  });

  it('puts the first department of each bracket as lead and the rest as cooperating (上述各项任务分工中，由多个部门负责的，列第一位的部门为牵头部门，其他为参与部门。)', () => {
    for (const t of template.tasks) {
      const names = bracketDepartments(t.responsibleText ?? '');
      expect([t.lead, t.cooperating].flat().map(roleName)).toEqual(names);
    }
  });

  it('matches sampled responsible units literally', () => {
    expect(task('1').responsibleText).toBe('市场监管总局、农业农村部、知识产权局负责');
    expect(roleName(task('1').lead[0])).toBe('市场监管总局');
    expect(task('1').cooperating.map(roleName)).toEqual(['农业农村部', '知识产权局']);

    expect(task('2').responsibleText).toBe('中央宣传部负责');
    expect(roleName(task('2').lead[0])).toBe('中央宣传部');
    expect(task('2').cooperating).toEqual([]);

    expect(roleName(task('6').lead[0])).toBe('中央军委装备发展部');
    expect(task('6').cooperating.map(roleName)).toEqual(['国防科工局', '知识产权局']);

    expect(task('29').responsibleText).toBe('最高人民法院、最高人民检察院、公安部按职责分工负责');
    expect(roleName(task('29').lead[0])).toBe('最高人民法院');

    expect(roleName(task('40').lead[0])).toBe('农业农村部');
    expect(task('40').cooperating.map(roleName)).toEqual(['最高人民法院', '最高人民检察院', '公安部', '市场监管总局', '知识产权局']);

    expect(roleName(task('99').lead[0])).toBe('中央组织部');
    expect(roleName(task('101').lead[0])).toBe('中央宣传部');
    expect(task('101').cooperating.map(roleName)).toEqual(['最高人民法院', '外交部', '商务部', '市场监管总局', '知识产权局', '贸促会']);

    expect(task('111').responsibleText).toBe('联席会议办公室、联席会议成员单位负责');
    expect(roleName(task('111').lead[0])).toBe('联席会议办公室');
    expect(task('111').cooperating.map(roleName)).toEqual(['联席会议成员单位']);
    expect(roleName(task('114').lead[0])).toBe('联席会议办公室');
    expect(roleName(task('115').lead[0])).toBe('联席会议办公室');
  });

  it('copies sampled task texts exactly, without the bracket', () => {
    expect(task('3').text).toBe('推进修改《中华人民共和国植物新品种保护条例》。');
    expect(task('7').text).toBe('研究建立健全符合知识产权审判规律的特别程序法律制度。');
    expect(task('30').text).toBe('严厉打击各类侵犯知识产权犯罪，开展“昆仑”专项行动。');
    expect(task('45').text).toBe('启动国家知识产权保护示范区建设。');
    expect(task('68').text).toBe('启动实施地理标志助力乡村振兴行动。');
    expect(task('86').text).toBe(
      '落实《关于深化知识产权领域“放管服”改革 营造良好营商环境的实施意见》，持续配合做好中国营商环境评价体系知识产权评价工作，做好评价结果运用。',
    );
    expect(task('96').text).toBe('推动论证设置知识产权专业学位相关工作。');
    expect(task('102').text).toBe(
      '继续推进《保护广播组织条约》《保护传统文化表现形式条约》等谈判进程，推动《马拉喀什条约》国内落实工作，加快推进我国加入《工业品外观设计国际注册海牙协定》工作。',
    );
    expect(task('110').text).toBe(
      '实施我国自主数字版权保护与应急广播技术标准海外推广与应用项目，开展面向“一带一路”国家的技术标准宣传推广。',
    );
    expect(task('114').text).toBe('编制发布中国知识产权发展状况年度评价报告。');
    for (const t of template.tasks) expect(t.text).not.toMatch(/负责）$/);
  });

  it('uses the plan period as the deadline, and the task’s own year where it names one', () => {
    // The plan writes no completion date: the end of 2022 is an assumption, and the deadline's text says so.
    const planPeriod = { kind: 'end-of-year', year: 2022, text: '2021—2022年度（原文未规定完成时间：2022年底为本模板的假定）' };
    expect(task('1').deadline).toEqual(planPeriod);
    expect(task('115').deadline).toEqual(planPeriod);
    // 44: "2021 年新建 20 家左右 …，2022 年优化 …": one round a year.
    expect(task('44').deadline).toEqual({ kind: 'rounds', dates: ['2021-12-31', '2022-12-31'], text: '2021 年；2022 年（各以年底为期，本模板的假定）' });
    for (const t of template.tasks.filter((x) => x.number !== '44')) expect(t.deadline).toEqual(planPeriod);
  });

  it('turns the figures of the task texts into goals (20 centres in 2021, 100 TISC, 31 provinces, 100 university centres)', () => {
    const goal = (id: string) => template.goals!.find((g) => g.id === id)!;
    expect(goal('protection-centres-2021').rule).toBeUndefined(); // "20 家左右": about 20, a regulator's call
    expect(goal('tisc-100').rule).toMatchObject({ kind: 'compare', metric: 'ipr.tiscCentres', op: '>=', value: 100 });
    expect(goal('service-outlets-31-provinces').rule).toMatchObject({ op: '>=', value: 31 });
    expect(goal('university-centres-100').rule).toMatchObject({ op: '>=', value: 100 });
    // Each goal quotes its task's words.
    for (const g of template.goals!) {
      const [, words, number] = /^(.*)（第(\d+)项）$/.exec(g.text)!;
      expect(task(number).text.replace(/ /g, '')).toContain(words.replace(/ /g, ''));
    }
  });

  it('has one annual report a year, due 31 January of the next year (an assumption stated in the text)', () => {
    expect(template.calendar).toHaveLength(1);
    const [annual] = template.calendar;
    expect(annual.period).toBe('year');
    expect(annual.due).toEqual({ kind: 'fixed', month: 1, day: 31, yearOffset: 1 });
    expect(annual.text).toContain('开展年度监测，对工作任务落实情况开展督促检查');
    expect(annual.text).toContain('假定');
  });

  it('names the 40 roles as the source writes them', () => {
    expect(template.roles).toHaveLength(40);
    const names = template.roles.map((r) => r.name);
    for (const n of ['中央宣传部', '知识产权局', '市场监管总局', '最高人民检察院', '人力资源社会保障部', '中央军委装备发展部', '贸促会', '中国科协', '联席会议办公室'])
      expect(names).toContain(n);
  });
});
