import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '../../../src/event-sourcing/domain-error';
import { parseTemplate } from '../../../src/programmes/load-template';
import type { ProgrammeTemplate } from '../../../src/programmes/template';
import type { CorrectionRecord, MetricRecord, ProgressRecord } from '../../../src/ledgers/submit/record-dtos';
import {
  recordedFigure,
  unitSubmissionsDecider,
  type SubmissionSetting,
  type UnitSubmissionEvent,
  type UnitSubmissionState,
} from '../../../src/ledgers/submit/unit-submissions.decider';

function template(name: string): ProgrammeTemplate {
  const file = join(__dirname, '../../../templates/programmes', `${name}.yaml`);
  const loaded = parseTemplate(readFileSync(file, 'utf8'), file);
  if (!loaded.ok) throw new Error(`the shipped template ${name} must load: ${JSON.stringify(loaded.errors.slice(0, 3))}`);
  return loaded.template;
}

const NEA = template('nea-2021-37');
const CAMAU = template('camau-ocop-2022');

const LEDGER = 'gd-2021';
const UNIT = 'gd-grid';
const TODAY = '2021-07-10';
const setting = (over: Partial<SubmissionSetting> = {}): SubmissionSetting => ({ programme: NEA, unitRole: 'supply-company', today: TODAY, ...over });

const ORIGINAL = '11111111-1111-4111-8111-111111111111';
const FIGURE = '22222222-2222-4222-8222-222222222222';
const FIX = '33333333-3333-4333-8333-333333333333';
const FIX_OF_FIX = '44444444-4444-4444-8444-444444444444';
const UNKNOWN = '99999999-9999-4999-8999-999999999999';

const ids = { ledgerId: LEDGER, unitId: UNIT };
const progress = (over: Partial<ProgressRecord> = {}) => ({ type: 'progress', ledger: LEDGER, unit: UNIT, task: '4', status: 'completed', on: '2021-06-30', ...over }) as ProgressRecord;
const metric = (over: Partial<MetricRecord> = {}) =>
  ({ type: 'metric', ledger: LEDGER, unit: UNIT, period: '2021-H1', metric: 'benefit.households', dimensions: { service: 'sanling-residential' }, value: 1520, ...over }) as MetricRecord;
const correction = (corrects: string, over: Partial<CorrectionRecord> = {}) =>
  ({ type: 'correction', ledger: LEDGER, unit: UNIT, corrects, reason: 'typo in the form', ...over }) as CorrectionRecord;

const reported = (id: string, facts: Partial<{ task: string; status: string; on: string; note: string | null; evidence: string[] }> = {}) =>
  ({ id, type: 'ProgressReported', data: { ...ids, task: '4', status: 'in-progress', on: '2021-05-31', note: null, evidence: [], ...facts } }) as UnitSubmissionEvent;
const figure = (id: string, value = 1520) =>
  ({ id, type: 'MetricReported', data: { ...ids, metric: 'benefit.households', period: '2021-H1', dimensions: { service: 'sanling-residential' }, value } }) as UnitSubmissionEvent;

const given = (events: UnitSubmissionEvent[]): UnitSubmissionState => events.reduce(unitSubmissionsDecider.evolve, unitSubmissionsDecider.initialState());
const when = (record: ProgressRecord | MetricRecord | CorrectionRecord, events: UnitSubmissionEvent[] = [], over: Partial<SubmissionSetting> = {}) =>
  unitSubmissionsDecider.decide({ record, setting: setting(over) }, given(events));

/** Runs `decide` expecting a DomainError; returns it for its code and problems. */
function refused(run: () => unknown): DomainError {
  let accepted: unknown;
  try {
    accepted = run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw new Error(`expected a DomainError, got ${String(error)}`);
  }
  throw new Error(`expected a DomainError, but the command was accepted: ${JSON.stringify(accepted)}`);
}

function expectProblem(run: () => unknown, code: DomainError['code'], field: string, reason: RegExp | string) {
  const error = refused(run);
  expect({ code: error.code, field: error.problems[0]?.field }).toMatchObject({ code, field });
  expect(error.problems).toHaveLength(1);
  if (typeof reason === 'string') expect(error.problems[0].reason).toBe(reason);
  else expect(error.problems[0].reason).toMatch(reason);
}

describe('unit submissions decider: progress', () => {
  it('reports progress on a task of the unit’s role, with its facts', () => {
    expect(when(progress({ note: 'done', evidence: ['粤电〔2021〕12号'] }))).toEqual([
      { type: 'ProgressReported', data: { ...ids, task: '4', status: 'completed', on: '2021-06-30', note: 'done', evidence: ['粤电〔2021〕12号'] } },
    ]);
  });

  it('stores a missing note as null and missing evidence as an empty list', () => {
    const [event] = when(progress({ status: 'in-progress' }));
    expect(event.data).toMatchObject({ status: 'in-progress', note: null, evidence: [] });
  });

  it('normalises the note and evidence to NFC', () => {
    const nfd = 'Đã hoàn thành, biên bản số 12'.normalize('NFD');
    const [event] = when(progress({ note: nfd, evidence: [nfd] }));
    expect(event.data).toMatchObject({ note: nfd.normalize('NFC'), evidence: [nfd.normalize('NFC')] });
  });

  it('accepts a task on which the role co-operates, and progress dated today', () => {
    // Task 1: energy-authority leads, supply-company co-operates.
    expect(when(progress({ task: '1', on: TODAY }))[0].data).toMatchObject({ task: '1', on: TODAY });
  });

  it('refuses an unknown task as not found', () => {
    expectProblem(() => when(progress({ task: '58' })), 'not-found', 'task', 'no task "58" in programme nea-2021-37');
    expectProblem(() => when(progress({ task: '4.1' })), 'not-found', 'task', /no task "4\.1"/);
  });

  it('refuses a task not assigned to the unit’s role as forbidden', () => {
    // Task 2: energy-authority only.
    expectProblem(() => when(progress({ task: '2' })), 'forbidden', 'task', /task 2 is not assigned to role "supply-company" \(lead: energy-authority; co-operating: none\)/);
    // Task 3: supply-company only.
    expectProblem(() => when(progress({ task: '3' }), [], { unitRole: 'energy-authority' }), 'forbidden', 'task', /not assigned to role "energy-authority"/);
  });

  it('refuses a date that is not a real date', () => {
    for (const on of ['2021-02-29', '2021-13-01', '2021-04-31', '2021-00-10']) {
      expectProblem(() => when(progress({ on })), 'invalid', 'on', `"${on}" is not a real date`);
    }
  });

  it('refuses a date after today in the programme’s time zone', () => {
    expectProblem(() => when(progress({ on: '2021-07-11' })), 'invalid', 'on', '2021-07-11 is in the future (today is 2021-07-10 in Asia/Shanghai)');
  });
});

describe('unit submissions decider: metric figures', () => {
  it('takes one figure per metric, period and dimensions: a second is refused, naming the event to correct', () => {
    expectProblem(() => when(metric({ value: 7 }), [figure(FIGURE)]), 'conflict', 'value', new RegExp(`already reported by event ${FIGURE}; to change it, send a correction`));
    expect(when(metric({ value: 7, period: '2021' }), [figure(FIGURE)])).toHaveLength(1);
    expect(when(metric({ value: 7, dimensions: { service: 'sansheng' } }), [figure(FIGURE)])).toHaveLength(1);
    // Once corrected, the figure is held by the correction: a new figure is still refused, naming it.
    const [fix] = when(correction(FIGURE, { value: 1500 }), [figure(FIGURE)]);
    expectProblem(() => when(metric({ value: 7 }), [figure(FIGURE), { ...fix, id: FIX }]), 'conflict', 'value', new RegExp(`already reported by event ${FIX}`));
  });

  it('records nothing for a resend identical in every fact, and names the event that holds it (a locked period too)', () => {
    expect(when(metric(), [figure(FIGURE)])).toEqual([]);
    const locked = { lockOf: () => ({ since: '2021-07-16', why: 'H1 report generated', because: { key: 'phrase.lock.generated', params: { report: 'nea-attachment-3', period: '2021-H1' } } }) };
    expect(when(metric(), [figure(FIGURE)], locked)).toEqual([]);
    expect(recordedFigure({ record: metric(), setting: setting() }, given([figure(FIGURE)]))).toBe(FIGURE);
    expect(recordedFigure({ record: metric({ value: 1 }), setting: setting() }, given([figure(FIGURE)]))).toBeNull();
    const [fix] = when(correction(FIGURE, { value: 1500 }), [figure(FIGURE)]);
    // After a correction the figure in force is the correction's: resending the original value is a new value, refused.
    expect(recordedFigure({ record: metric({ value: 1500 }), setting: setting() }, given([figure(FIGURE), { ...fix, id: FIX }]))).toBe(FIX);
    expectProblem(() => when(metric(), [figure(FIGURE), { ...fix, id: FIX }]), 'conflict', 'value', new RegExp(`already reported by event ${FIX}`));
  });

  it('reports a figure with its canonical period and declared dimensions', () => {
    expect(when(metric())).toEqual([
      { type: 'MetricReported', data: { ...ids, metric: 'benefit.households', period: '2021-H1', dimensions: { service: 'sanling-residential' }, value: 1520 } },
    ]);
  });

  it('accepts a metric without dimensions, and a fraction where the metric is not a count', () => {
    expect(when(metric({ metric: 'connection.onlineShare', dimensions: undefined, value: 99.5, period: '2021' }), [], { today: '2022-01-05' })[0].data).toMatchObject({
      metric: 'connection.onlineShare',
      period: '2021',
      dimensions: {},
      value: 99.5,
    });
    expect(when(metric({ metric: 'benefit.investmentSaved', value: 12.75 }))[0].data).toMatchObject({ value: 12.75 });
  });

  it('keeps the dimensions in declared order whatever the order given', () => {
    const [event] = when(
      metric({ metric: 'connection.stageDays', dimensions: { stage: 'metering', userClass: 'hv-single' }, value: 3 }),
    );
    expect(Object.keys((event.data as { dimensions: object }).dimensions)).toEqual(['userClass', 'stage']);
  });

  it('refuses an unknown metric as not found', () => {
    expectProblem(() => when(metric({ metric: 'benefit.nothing' })), 'not-found', 'metric', 'no metric "benefit.nothing" in programme nea-2021-37');
  });

  it('refuses a metric counted from OCOP product events', () => {
    expectProblem(
      () => when(metric({ metric: 'ocop.registered', period: '2022-06', dimensions: { kind: 'new' }, value: 3 }), [], { programme: CAMAU, unitRole: 'so-nong-nghiep-ptnt', today: '2022-07-01' }),
      'invalid',
      'metric',
      /"ocop\.registered" is counted from OCOP product events, not submitted as a figure/,
    );
  });

  it('refuses a malformed period, naming why', () => {
    expectProblem(() => when(metric({ period: '21-H1' })), 'invalid', 'period', /malformed period "21-H1"/);
    expectProblem(() => when(metric({ period: '2021-H3' })), 'invalid', 'period', /half-year H3 out of range/);
    expectProblem(() => when(metric({ period: '2021-13' })), 'invalid', 'period', /month 13 out of range/);
    expectProblem(() => when(metric({ period: '2021-h1' })), 'invalid', 'period', /malformed/);
  });

  it('refuses a period of a kind the programme does not report on', () => {
    expectProblem(() => when(metric({ period: '2021-Q1' })), 'invalid', 'period', '2021-Q1: programme nea-2021-37 reports on half-year (H1), year periods only');
    expectProblem(() => when(metric({ period: '2021-03' })), 'invalid', 'period', /2021-03: programme nea-2021-37 reports on half-year \(H1\), year periods only/);
    // The NEA owes half-year reports for H1 only (due 15 July); the year covers H2.
    expectProblem(() => when(metric({ period: '2020-H2' })), 'invalid', 'period', '2020-H2: programme nea-2021-37 reports on half-year (H1), year periods only');
  });

  it('refuses a period that has not started yet, and accepts one that has', () => {
    expectProblem(() => when(metric({ period: '2022' })), 'invalid', 'period', '2022 has not started yet (today is 2021-07-10)');
    expect(when(metric({ period: '2021-H1' }), [], { today: '2021-01-01' })).toHaveLength(1);
  });

  it('refuses a missing dimension, an unknown one, and a value not allowed', () => {
    expectProblem(() => when(metric({ dimensions: undefined })), 'invalid', 'dimensions.service', /is required: one of sanling-residential, sanling-enterprise, sanling-other, sansheng/);
    expectProblem(() => when(metric({ dimensions: {} })), 'invalid', 'dimensions.service', /is required/);
    expectProblem(() => when(metric({ dimensions: { service: 'sansheng', region: 'north' } })), 'invalid', 'dimensions.region', /is not a dimension of benefit\.households \(service\)/);
    expectProblem(() => when(metric({ dimensions: { service: 'sanling' } })), 'invalid', 'dimensions.service', /"sanling" is not one of sanling-residential/);
    expectProblem(() => when(metric({ metric: 'connection.onlineShare', dimensions: { service: 'sansheng' }, value: 50 })), 'invalid', 'dimensions.service', /it has none/);
  });

  it('refuses a fraction of a count, a value below the minimum and one above the maximum', () => {
    expectProblem(() => when(metric({ value: 1520.5 })), 'invalid', 'value', '1520.5 has more decimals than 户 takes; allowed: 0 ≤ value ≤ 1000000000 户, a whole number');
    expectProblem(() => when(metric({ value: -1 })), 'invalid', 'value', '-1 is out of range; allowed: 0 ≤ value ≤ 1000000000 户, a whole number');
    expectProblem(() => when(metric({ metric: 'benefit.investmentSaved', value: -0.01 })), 'invalid', 'value', '-0.01 is out of range; allowed: 0 ≤ value ≤ 1000000000 万元, at most 4 decimals');
    expectProblem(() => when(metric({ metric: 'connection.onlineShare', dimensions: undefined, value: 100.1 })), 'invalid', 'value', '100.1 is out of range; allowed: 0 ≤ value ≤ 100 %, at most 2 decimals');
    expectProblem(() => when(metric({ metric: 'connection.onlineShare', dimensions: undefined, value: 99.999 })), 'invalid', 'value', /99\.999 has more decimals than % takes/);
    expectProblem(() => when(metric({ value: 1e308 })), 'invalid', 'value', /1e\+308 is out of range/);
    expectProblem(() => when(metric({ value: Number.NaN })), 'invalid', 'value', /must be a finite number/);
    expect(when(metric({ value: 0 }))[0].data).toMatchObject({ value: 0 });
  });
});

describe('unit submissions decider: corrections', () => {
  it('refuses a correction that replaces no fact', () => {
    expectProblem(() => when(correction(FIGURE, {}), [figure(FIGURE)]), 'invalid', '(record)', /at least one replacement fact \(value, dimensions, period\)/);
  });

  it('replaces a figure’s value, keeping its other facts', () => {
    expect(when(correction(FIGURE, { value: 1500 }), [figure(FIGURE)])).toEqual([
      {
        type: 'SubmissionCorrected',
        data: {
          ...ids,
          corrects: FIGURE,
          correctedType: 'MetricReported',
          reason: 'typo in the form',
          facts: { metric: 'benefit.households', period: '2021-H1', dimensions: { service: 'sanling-residential' }, value: 1500 },
        },
      },
    ]);
  });

  it('replaces a progress report’s status and date, keeping its task', () => {
    const [event] = when(correction(ORIGINAL, { status: 'completed', on: '2021-06-15', evidence: ['minutes'] }), [reported(ORIGINAL, { note: 'kept' })]);
    expect(event.data).toMatchObject({
      correctedType: 'ProgressReported',
      facts: { task: '4', status: 'completed', on: '2021-06-15', note: 'kept', evidence: ['minutes'] },
    });
  });

  it('refuses to correct an event the unit never submitted, as not found', () => {
    expectProblem(() => when(correction(UNKNOWN, { value: 1 }), [figure(FIGURE)]), 'not-found', 'corrects', new RegExp(`no event ${UNKNOWN} among unit "gd-grid"'s submissions to ledger "gd-2021"`));
  });

  it('refuses to correct an event already superseded, as a conflict naming the correction to correct instead', () => {
    const corrected = { id: FIX, type: 'SubmissionCorrected', data: { ...ids, corrects: FIGURE, correctedType: 'MetricReported', reason: 'r', facts: { metric: 'benefit.households', period: '2021-H1', dimensions: { service: 'sanling-residential' }, value: 1500 } } } as UnitSubmissionEvent;
    expectProblem(() => when(correction(FIGURE, { value: 1400 }), [figure(FIGURE), corrected]), 'conflict', 'corrects', `event ${FIGURE} is already superseded by ${FIX}; correct that one instead`);
  });

  it('corrects a correction, which then is superseded in turn', () => {
    const [first] = when(correction(FIGURE, { value: 1500 }), [figure(FIGURE)]);
    const history = [figure(FIGURE), { ...first, id: FIX }];
    const [second] = when(correction(FIX, { value: 1490, reason: 'second look' }), history);
    expect(second.data).toMatchObject({ corrects: FIX, correctedType: 'MetricReported', reason: 'second look', facts: { value: 1490, period: '2021-H1' } });
    const after = given([...history, { ...second, id: FIX_OF_FIX }]);
    expect(after.events.get(FIGURE)?.supersededBy).toBe(FIX);
    expect(after.events.get(FIX)?.supersededBy).toBe(FIX_OF_FIX);
    expect(after.events.get(FIX_OF_FIX)).toMatchObject({ kind: 'MetricReported', supersededBy: null, facts: { value: 1490 } });
    expectProblem(() => when(correction(FIX, { value: 1 }), [...history, { ...second, id: FIX_OF_FIX }]), 'conflict', 'corrects', /already superseded by 44444444/);
  });

  it('validates the replacement facts of a figure like the original', () => {
    const history = [figure(FIGURE)];
    expectProblem(() => when(correction(FIGURE, { value: 1.5 }), history), 'invalid', 'value', /whole number/);
    expectProblem(() => when(correction(FIGURE, { value: -3 }), history), 'invalid', 'value', /-3 is out of range; allowed: 0 ≤ value/);
    expectProblem(() => when(correction(FIGURE, { period: '2021-Q2' }), history), 'invalid', 'period', /reports on half-year \(H1\), year periods only/);
    expectProblem(() => when(correction(FIGURE, { period: '2022-H1' }), history), 'invalid', 'period', /has not started yet/);
    expectProblem(() => when(correction(FIGURE, { dimensions: { service: 'nope' } }), history), 'invalid', 'dimensions.service', /"nope" is not one of/);
    expectProblem(() => when(correction(FIGURE, { dimensions: {} }), history), 'invalid', 'dimensions.service', /is required/);
  });

  it('validates the replacement facts of a progress report like the original', () => {
    const history = [reported(ORIGINAL)];
    expectProblem(() => when(correction(ORIGINAL, { on: '2021-02-30' }), history), 'invalid', 'on', /not a real date/);
    expectProblem(() => when(correction(ORIGINAL, { on: '2021-07-11' }), history), 'invalid', 'on', /in the future/);
    // The unit's role changed since the original: the task must still be the role's.
    expectProblem(() => when(correction(ORIGINAL, { status: 'completed' }), history, { unitRole: 'cec-media' }), 'forbidden', 'task', /not assigned to role "cec-media"/);
  });

  it('refuses a fact of the other kind of record', () => {
    expectProblem(() => when(correction(ORIGINAL, { value: 3 }), [reported(ORIGINAL)]), 'invalid', 'value', 'is not a fact of the corrected progress report');
    expectProblem(() => when(correction(ORIGINAL, { period: '2021-H1' }), [reported(ORIGINAL)]), 'invalid', 'period', 'is not a fact of the corrected progress report');
    expectProblem(() => when(correction(FIGURE, { status: 'completed' }), [figure(FIGURE)]), 'invalid', 'status', 'is not a fact of the corrected metric figure');
    expectProblem(() => when(correction(FIGURE, { note: 'x' }), [figure(FIGURE)]), 'invalid', 'note', 'is not a fact of the corrected metric figure');
  });

  it('refuses a reason of only spaces', () => {
    expectProblem(() => when(correction(FIGURE, { value: 1500, reason: '   ' }), [figure(FIGURE)]), 'invalid', 'reason', /required/);
  });

  // `"value": null` and `"status": null` pass the record's shape check (@IsOptional lets null through), so the decider must refuse them.
  it('refuses a null replacement value rather than recording a figure without a number', () => {
    const investment = { ...figure(FIGURE), data: { ...figure(FIGURE).data, metric: 'benefit.investmentSaved' } } as UnitSubmissionEvent;
    expectProblem(() => when(correction(FIGURE, { value: null as unknown as number }), [investment]), 'invalid', 'value', /number/);
  });

  it('refuses a null replacement status rather than recording progress without a status', () => {
    expectProblem(() => when(correction(ORIGINAL, { status: null as unknown as 'completed' }), [reported(ORIGINAL)]), 'invalid', 'status', /one of/);
  });
});

describe('back-filled history: reportedOn, an administrator’s declaration', () => {
  const problems = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return { code: (error as DomainError).code, problems: (error as DomainError).problems };
    }
    throw new Error('expected a DomainError');
  };

  it('an admin records progress and a figure with the date they were originally reported', () => {
    expect(when(progress({ reportedOn: '2021-07-05' }), [], { callerRole: 'admin' })).toEqual([
      { type: 'ProgressReported', data: { ...ids, task: '4', status: 'completed', on: '2021-06-30', note: null, evidence: [], reportedOn: '2021-07-05' } },
    ]);
    expect(when(metric({ reportedOn: '2021-07-10' }), [], { callerRole: 'admin' })[0].data).toMatchObject({ value: 1520, reportedOn: '2021-07-10' });
  });

  it('without reportedOn nothing is declared', () => {
    expect(when(progress(), [], { callerRole: 'submitter' })[0].data).not.toHaveProperty('reportedOn');
  });

  it('refuses it from anyone but an admin, naming the field', () => {
    expect(problems(() => when(progress({ reportedOn: '2021-07-05' }), [], { callerRole: 'submitter' }))).toMatchObject({
      code: 'forbidden', problems: [{ field: 'reportedOn', reason: 'only an administrator may back-fill history with the date it was originally reported' }],
    });
  });

  it('bounds it: a real date, not before what it reports on, not in the future', () => {
    const admin = { callerRole: 'admin' };
    expect(problems(() => when(progress({ reportedOn: '2021-02-30' }), [], admin)).problems).toMatchObject([{ field: 'reportedOn', reason: '"2021-02-30" is not a real date' }]);
    expect(problems(() => when(progress({ reportedOn: '2021-06-29' }), [], admin)).problems).toMatchObject([{ field: 'reportedOn', reason: '2021-06-29 is before the day the progress is about (2021-06-30)' }]);
    expect(problems(() => when(metric({ reportedOn: '2020-12-31' }), [], admin)).problems).toMatchObject([{ field: 'reportedOn', reason: '2020-12-31 is before the period 2021-H1 began' }]);
    expect(problems(() => when(metric({ reportedOn: '2021-07-11' }), [], admin)).problems).toMatchObject([{ field: 'reportedOn', reason: '2021-07-11 is in the future (today is 2021-07-10 in Asia/Shanghai)' }]);
  });
});
