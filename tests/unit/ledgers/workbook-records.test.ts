import type { FilledWorkbook } from '../../../src/ledgers/workbook/read-workbook';
import { LAYOUT_VERSION, statusOfLabel, WORKBOOK_KIND } from '../../../src/ledgers/workbook/workbook-layout';
import {
  dateOfCell,
  locateProblems,
  numberOfCell,
  orderProblems,
  readMeta,
  unexpectedMeta,
  withIds,
  workbookRecords,
  type WorkbookMeta,
} from '../../../src/ledgers/workbook/workbook-records';

/** The pure mapping of a filled-in workbook: cells → records, and problems → sheet!cell. */

const META: WorkbookMeta = { ledger: 'gd-2021', unit: 'gd-grid', period: '2021-H1', programme: 'nea-2021-37', programmeVersion: 1, language: 'zh-CN', layoutVersion: LAYOUT_VERSION };
const VI_META: WorkbookMeta = { ...META, ledger: 'ag-2022', unit: 'ag-chau-doc', period: '2022-Q2', programme: 'angiang-ocop-2022', language: 'vi' };

function metaSheet(overrides: Record<string, string | number | null> = {}) {
  const values: Record<string, string | number | null> = {
    kind: WORKBOOK_KIND,
    layoutVersion: LAYOUT_VERSION,
    ledger: 'gd-2021',
    unit: 'gd-grid',
    period: '2021-H1',
    programme: 'nea-2021-37',
    programmeVersion: 1,
    language: 'zh-CN',
    pinnedAt: '2021-01-01T00:00:00.000Z',
    ...overrides,
  };
  const cells: Record<string, string | number> = {};
  Object.entries(values).forEach(([key, value], i) => {
    cells[`A${i + 1}`] = key;
    if (value !== null) cells[`B${i + 1}`] = value;
  });
  return cells;
}

const workbook = (sheets: FilledWorkbook['sheets']): FilledWorkbook => ({ sheets: { meta: metaSheet(), 任务: {}, 指标: {}, ...sheets } });

describe('workbook meta', () => {
  it('reads what the workbook is for', () => {
    expect(readMeta(workbook({}))).toEqual({ meta: META, problems: [] });
  });

  it('refuses a workbook without a meta sheet, or with a changed one, naming the cell', () => {
    expect(readMeta({ sheets: { 任务: {} } }).problems).toEqual([expect.objectContaining({ field: '(workbook)', reason: expect.stringMatching(/^has no "meta" sheet/) })]);
    const changed = readMeta({ sheets: { meta: metaSheet({ ledger: null, layoutVersion: 9, period: '2021-H3' }) } });
    expect(changed.meta).toBeNull();
    expect(changed.problems.map((p) => p.field)).toEqual(['meta!B3 ledger']);
    const versions = readMeta({ sheets: { meta: metaSheet({ layoutVersion: 9, period: '2021-H3' }) } });
    expect(versions.problems.map((p) => `${p.field}: ${p.reason}`)).toEqual([
      `meta!B2 layoutVersion: is 9; this server reads layout version ${LAYOUT_VERSION} only: download the workbook again`,
      expect.stringMatching(/^meta!B5 period: half-year H3 out of range/),
    ]);
  });

  it('names a workbook for another ledger, unit or period', () => {
    expect(unexpectedMeta(META, { ledgerId: 'gd-2021', unitId: 'gd-grid', period: '2021-h1' }).map((p) => p.field)).toEqual(['meta!B5 period']);
    expect(unexpectedMeta(META, { ledgerId: 'gd-2021', unitId: 'gd-grid', period: '2021-H1' })).toEqual([]);
    expect(unexpectedMeta(META, { ledgerId: 'sc-2021', unitId: 'gz-grid', period: '2021' }).map((p) => `${p.field}: ${p.reason}`)).toEqual([
      'meta!B3 ledger: the workbook is for ledger "gd-2021", not "sc-2021"',
      'meta!B4 unit: the workbook is for unit "gd-grid", not "gz-grid"',
      'meta!B5 period: the workbook is for period "2021-H1", not "2021"',
    ]);
  });
});

describe('cells → values', () => {
  it('maps status labels of either language, and the status ids, back to the statuses', () => {
    expect(['已完成', ' 进行中 ', 'Đã hoàn thành', 'gặp vướng mắc', 'not-started', 'Blocked'].map(statusOfLabel)).toEqual(['completed', 'in-progress', 'completed', 'blocked', 'not-started', 'blocked']);
    expect(statusOfLabel('完成了')).toBeUndefined();
  });

  it('reads dates as Excel stores them and as people type them', () => {
    expect(dateOfCell(new Date(Date.UTC(2021, 5, 30)), 'zh-CN')).toEqual({ date: '2021-06-30' });
    expect(dateOfCell(44377, 'zh-CN')).toEqual({ date: '2021-06-30' });
    // Text as every channel reads it: ISO, or the programme's local form (full-width digits too); nothing else.
    expect(dateOfCell('2021年6月30日', 'zh-CN')).toEqual({ date: '2021-06-30' });
    expect(dateOfCell('２０２１年６月３０日', 'zh-CN')).toEqual({ date: '2021-06-30' });
    expect(dateOfCell('30/6/2022', 'vi')).toEqual({ date: '2022-06-30' });
    expect(dateOfCell('2021/6/30', 'zh-CN')).toMatchObject({ problem: '"2021/6/30" is not a date: write it as YYYY-MM-DD or YYYY年M月D日' });
    expect(dateOfCell('30/6/2022', 'zh-CN')).toMatchObject({ problem: '"30/6/2022" is not a date: write it as YYYY-MM-DD or YYYY年M月D日' });
    expect(dateOfCell('2021-02-29', 'zh-CN')).toMatchObject({ problem: '"2021-02-29" is not a real date' });
    expect(dateOfCell('上半年', 'zh-CN')).toMatchObject({ problem: '"上半年" is not a date: write it as YYYY-MM-DD or YYYY年M月D日' });
  });

  it('reads numbers, and refuses text where a number is expected', () => {
    expect(numberOfCell(1520, 'zh-CN')).toEqual({ value: 1520 });
    expect(numberOfCell(' 12.5 ', 'zh-CN')).toEqual({ value: 12.5 });
    expect(numberOfCell('１，５２０．５', 'zh-CN')).toEqual({ value: 1520.5 });
    expect(numberOfCell('1.520,5', 'vi')).toEqual({ value: 1520.5 });
    expect(numberOfCell('约1500', 'zh-CN')).toMatchObject({ problem: '"约1500" is not a number: write digits like 1234.5 or 1,234.5' });
    expect(numberOfCell('1,5', 'zh-CN')).toMatchObject({ problem: '"1,5" is not a number: write digits like 1234.5 or 1,234.5' });
    expect(numberOfCell(new Date(Date.UTC(2021, 0, 5)), 'zh-CN')).toMatchObject({ problem: '2021-01-05 is a date, not a number' });
    expect(numberOfCell({ error: '#DIV/0!' }, 'zh-CN')).toMatchObject({ problem: 'holds the error #DIV/0!, not a number' });
  });
});

describe('rows → records', () => {
  const filled = workbook({
    任务: {
      A3: '序号',
      E3: '进展状态',
      A4: '3',
      A5: '4',
      E5: '已完成',
      F5: new Date(Date.UTC(2021, 5, 30)),
      G5: '居民用户办电时间压减至5个工作日',
      H5: '粤电营销〔2021〕12号；粤电营销〔2021〕13号\nhttps://example.org/x',
      A6: '5',
      E6: '进行中',
      F6: '2021-06-01',
      A7: '7',
      G7: '只写了备注',
    },
    指标: {
      A4: 1,
      E4: 1520,
      G4: 'benefit.households',
      H4: '{"service":"sanling-residential"}',
      A5: 2,
      G5: 'benefit.households',
      H5: '{"service":"sanling-enterprise"}',
      E6: '12.5',
      G6: 'benefit.investmentSaved',
      H6: '{"service":"sansheng"}',
      E8: 5,
      G8: 'connection.onlineShare',
      H8: '{}',
    },
  });

  it('makes a progress record of each row with a status, and a metric record of each row with a value', () => {
    const { records, problems } = workbookRecords(filled, META);
    expect(records).toEqual([
      {
        sheet: '任务',
        row: 5,
        key: 'task:4',
        record: {
          type: 'progress',
          ledger: 'gd-2021',
          unit: 'gd-grid',
          task: '4',
          status: 'completed',
          on: '2021-06-30',
          note: '居民用户办电时间压减至5个工作日',
          evidence: ['粤电营销〔2021〕12号', '粤电营销〔2021〕13号', 'https://example.org/x'],
        },
      },
      { sheet: '任务', row: 6, key: 'task:5', record: { type: 'progress', ledger: 'gd-2021', unit: 'gd-grid', task: '5', status: 'in-progress', on: '2021-06-01' } },
      {
        sheet: '指标',
        row: 4,
        key: 'metric:benefit.households:{"service":"sanling-residential"}',
        record: { type: 'metric', ledger: 'gd-2021', unit: 'gd-grid', period: '2021-H1', metric: 'benefit.households', value: 1520, dimensions: { service: 'sanling-residential' } },
      },
      {
        sheet: '指标',
        row: 6,
        key: 'metric:benefit.investmentSaved:{"service":"sansheng"}',
        record: { type: 'metric', ledger: 'gd-2021', unit: 'gd-grid', period: '2021-H1', metric: 'benefit.investmentSaved', value: 12.5, dimensions: { service: 'sansheng' } },
      },
      { sheet: '指标', row: 8, key: 'metric:connection.onlineShare:{}', record: { type: 'metric', ledger: 'gd-2021', unit: 'gd-grid', period: '2021-H1', metric: 'connection.onlineShare', value: 5 } },
    ]);
    // A row with a note but no status is not silently dropped.
    expect(problems.map((p) => `${p.field}: ${p.reason}`)).toEqual(['任务!E7 status: is empty, but G7 is filled in: choose one of 未开始, 进行中, 已完成, 受阻, or clear the row']);
  });

  it('names every cell that cannot be read, by sheet and cell', () => {
    const bad = workbook({
      任务: { A4: '4', E4: '完成了', F4: '2021-06-30', A5: '5', E5: '已完成', F5: '上半年', A6: '6', E6: '受阻', A7: '4', E7: '受阻', F7: 44377 },
      指标: { E4: '约1500', G4: 'benefit.households', H4: '{"service":"sansheng"}', E5: 3, G5: 'benefit.households', H5: '{"service":"sansheng"}', E9: 2 },
    });
    const { records, problems } = workbookRecords(bad, META);
    expect(records).toEqual([]);
    expect(problems.map((p) => `${p.field}: ${p.reason}`)).toEqual([
      '任务!E4 status: "完成了" is not one of 未开始, 进行中, 已完成, 受阻',
      '任务!F5 on: "上半年" is not a date: write it as YYYY-MM-DD or YYYY年M月D日',
      '任务!F6 on: is empty: the date the status was reached is required',
      '任务!A7 task: task 4 is already on row 4',
      '指标!E4 value: "约1500" is not a number: write digits like 1234.5 or 1,234.5',
      '指标!E5 value: the same metric and breakdown is already on row 4',
      '指标!E9 value: row 9 is not a metric row of the downloaded workbook (its hidden columns G–H are empty or changed)',
    ]);
    expect(problems[0]).toMatchObject({ sheet: '任务', cell: 'E4' });
  });

  it('names a missing sheet', () => {
    const { problems } = workbookRecords({ sheets: { meta: metaSheet() } }, META);
    expect(problems.map((p) => p.reason)).toEqual([expect.stringMatching(/^has no sheet "任务"/), expect.stringMatching(/^has no sheet "指标"/)]);
  });

  it('gives each record an id stable for the same workbook, row and content, and new for changed content', () => {
    const first = withIds(workbookRecords(filled, META).records, META);
    const again = withIds(workbookRecords(filled, META).records, META);
    expect(again.map((r) => r.record.id)).toEqual(first.map((r) => r.record.id));
    expect(new Set(first.map((r) => r.record.id)).size).toBe(first.length);
    first.forEach((r) => expect(r.record.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/));
    // Sorting the rows keeps the ids; another value, period or unit gives another.
    const moved = workbook({ 指标: { E20: 1520, G20: 'benefit.households', H20: '{"service":"sanling-residential"}' } });
    expect(withIds(workbookRecords(moved, META).records, META)[0].record.id).toBe(first[2].record.id);
    const changed = workbook({ 指标: { E4: 1521, G4: 'benefit.households', H4: '{"service":"sanling-residential"}' } });
    expect(withIds(workbookRecords(changed, META).records, META)[0].record.id).not.toBe(first[2].record.id);
    expect(withIds(workbookRecords(filled, { ...META, period: '2021' }).records, { ...META, period: '2021' })[2].record.id).not.toBe(first[2].record.id);
  });
});

describe('BulkSubmitCommand problems → cells', () => {
  const records = withIds(
    workbookRecords(
      {
        sheets: {
          meta: metaSheet({ ledger: 'ag-2022', unit: 'ag-chau-doc', period: '2022-Q2', programme: 'angiang-ocop-2022', language: 'vi' }),
          'Nhiệm vụ': { A5: '1.4', E5: 'Đã hoàn thành', F5: '30/6/2022', H5: 'QĐ 12/2022' },
          'Chỉ tiêu': { E7: 2.5, G7: 'poverty.households', H7: '{"area":"rural"}' },
        },
      },
      VI_META,
    ).records,
    VI_META,
  );

  it('puts each line’s field at its cell, and facts of the whole workbook at the meta sheet once', () => {
    const located = locateProblems(
      [
        { field: 'workbook:1 on', reason: '2022-06-30 is in the future (today is 2022-06-01 in Asia/Ho_Chi_Minh)' },
        { field: 'workbook:1 evidence.0', reason: 'must be shorter than or equal to 500 characters' },
        { field: 'workbook:2 value', reason: 'must be a whole number of hộ' },
        { field: 'workbook:2 dimensions.area', reason: '"rural" is not one of urban' },
        { field: 'workbook:1 unit', reason: 'unit "ag-chau-doc" is retired from ledger "ag-2022"' },
        { field: 'workbook:2 unit', reason: 'unit "ag-chau-doc" is retired from ledger "ag-2022"' },
        { field: 'workbook:2 period', reason: '2022-Q2 has not started yet (today is 2022-03-01)' },
        { field: 'workbook:3 (record)', reason: 'must be a JSON object' },
        { reason: 'something about no line' },
      ],
      records,
    );
    expect(orderProblems(located, 'vi').map((p) => `${p.field}: ${p.reason}`)).toEqual([
      '(workbook): something about no line',
      'meta!B4 unit: unit "ag-chau-doc" is retired from ledger "ag-2022"',
      'meta!B5 period: 2022-Q2 has not started yet (today is 2022-03-01)',
      'Nhiệm vụ!F5 on: 2022-06-30 is in the future (today is 2022-06-01 in Asia/Ho_Chi_Minh)',
      'Nhiệm vụ!H5 evidence.0: must be shorter than or equal to 500 characters',
      'Chỉ tiêu!C7 dimensions.area: "rural" is not one of urban',
      'Chỉ tiêu!E7 value: must be a whole number of hộ',
    ]);
    expect(located.find((p) => p.field === 'Chỉ tiêu!E7 value')).toMatchObject({ sheet: 'Chỉ tiêu', cell: 'E7' });
  });
});
