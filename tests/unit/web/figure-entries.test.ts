import type { HistoryEntry } from '../../../src/ledgers/queries/history.query';
import { changedFigures, figuresInForce, numberOfInput, problemsByCell } from '../../../src/web/units/figure-entries';
import { figureName, type FigureCell } from '../../../src/web/units/figures-grid';

const entry = (eventId: string, type: string, data: Record<string, unknown>, more: Partial<HistoryEntry> = {}): HistoryEntry => ({
  position: 0,
  eventId,
  type,
  stream: 'unit-gd_2021.gd_grid',
  revision: 0,
  unit: 'gd-grid',
  recordedAt: '2021-07-01T00:00:00.000Z',
  actor: 'person:chen.li',
  role: 'submitter',
  correlationId: null,
  data,
  replaced: null,
  supersededBy: null,
  ...more,
});
const residential = { service: 'sanling-residential' };
const metric = { id: 'benefit.households', label: '受益户数', unit: '户' };
const cell = (dimensions: Record<string, string>): FigureCell => ({ kind: 'figure', name: figureName(metric.id, dimensions), metric, dimensions, label: '' });

describe('a period’s figures form and the unit’s events', () => {
  it('holds the figures in force: a corrected figure by its correction, with the value it replaced; other periods and progress left out', () => {
    const entries = [
      entry('a', 'MetricReported', { metric: metric.id, period: '2021-H1', dimensions: residential, value: 1520 }, { supersededBy: 'c' }),
      entry('b', 'MetricReported', { metric: metric.id, period: '2021', dimensions: residential, value: 3000 }),
      entry('p', 'ProgressReported', { task: '4', status: 'completed', on: '2021-06-30' }),
      entry('c', 'SubmissionCorrected', { correctedType: 'MetricReported', reason: '重复', facts: { metric: metric.id, period: '2021-H1', dimensions: residential, value: 1500 } }, {
        replaced: { eventId: 'a', type: 'MetricReported', recordedAt: '', actor: null, data: { metric: metric.id, period: '2021-H1', dimensions: residential, value: 1520 } },
      }),
    ];
    expect([...figuresInForce(entries, '2021-H1').entries()]).toEqual([[figureName(metric.id, residential), { eventId: 'c', value: 1500, before: 1520, metric: metric.id, period: '2021-H1', dimensions: residential }]]);
  });

  it('asks one record per filled cell that differs from the figure in force, numbers read as people type them', () => {
    const cells = [cell(residential), cell({ service: 'sansheng' }), cell({ service: 'sanling-other' }), cell({ service: 'sanling-enterprise' })];
    const inForce = figuresInForce([entry('a', 'MetricReported', { metric: metric.id, period: '2021-H1', dimensions: residential, value: 1520 })], '2021-H1');
    const posted = { [cells[0].name]: '1,520', [cells[1].name]: ' 2 000 ', [cells[2].name]: '', [cells[3].name]: 'many' };
    const records = changedFigures(cells, posted, inForce, { ledger: 'gd-2021', unit: 'gd-grid', period: '2021-H1' });
    expect(records.map((r) => [r.cell, r.record.value])).toEqual([
      [cells[1].name, 2000],
      [cells[3].name, 'many'],
    ]);
    expect(numberOfInput('-1.5e3')).toBe(-1500);
    expect(numberOfInput('1.2.3')).toBe('1.2.3');
  });

  it('maps the bulk check’s problems back to the cells of the lines they name', () => {
    const records = changedFigures([cell(residential), cell({ service: 'sansheng' })], { [cell(residential).name]: '-1', [cell({ service: 'sansheng' }).name]: '1.5' }, new Map(), { ledger: 'l', unit: 'u', period: '2021-H1' });
    const { byCell, other } = problemsByCell(
      [
        { field: 'figures:1 value', reason: 'must be at least 0 户' },
        { field: 'figures:2 value', reason: 'must be a whole number of 户' },
        { field: 'figures:2 period', reason: 'is locked' },
        { reason: 'the store is busy' },
      ],
      records,
      'figures',
    );
    expect([...byCell.entries()]).toEqual([
      [cell(residential).name, ['must be at least 0 户']],
      [cell({ service: 'sansheng' }).name, ['must be a whole number of 户', 'period: is locked']],
    ]);
    expect(other).toEqual(['the store is busy']);
  });
});
