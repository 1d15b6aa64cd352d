import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { IssueTokenCommand, type IssueTokenResult } from '../../src/access/issue-token/issue-token.command';
import { adminPrincipal } from '../../src/access/principal';
import { operatorContext } from '../../src/cli/operator-context';
import { FixedClock } from '../../src/event-sourcing/clock';
import { HistoryQuery, type HistoryPage } from '../../src/ledgers/queries/history.query';
import { BulkSubmitCommand } from '../../src/ledgers/submit/bulk-submit.command';
import { startWebApp, type WebApp } from '../support/web-app';

/** The web's moments: the as-of control in the programme's time zone kept across pages, local times, the board after a change, history paged both ways. */
describe('web moments: as-of in the programme’s zone, the board after a change, history back and forth (HTTP)', () => {
  let web: WebApp;
  let regulator: string;
  const clock = new FixedClock(new Date('2021-03-01T09:00:00+08:00'));

  const get = async (path: string) => {
    const response = await fetch(`${web.base}${path}`, { headers: { Authorization: `Bearer ${regulator}`, 'Accept-Language': 'vi' } });
    return { status: response.status, text: await response.text() };
  };
  const progress = (task: string, status: string, on: string) =>
    web.app.get(CommandBus).execute(new BulkSubmitCommand(JSON.stringify({ type: 'progress', ledger: 'gd-2021', unit: 'gd-grid', task, status, on }), 'p.ndjson', operatorContext()));

  beforeAll(async () => {
    web = await startWebApp({ clock });
    await web.openLedger('gd-2021', 'nea-2021-37', '广东省', [
      { id: 'gd-energy', name: '广东省能源局', role: 'energy-authority', parent: null },
      { id: 'gd-grid', name: '广东电网有限责任公司', role: 'supply-company', parent: 'gd-energy' },
    ]);
    const issued: IssueTokenResult = await web.app.get(CommandBus).execute(new IssueTokenCommand({ unit: 'gd-energy', role: 'regulator', ledger: 'gd-2021', label: 'bảng' }, adminPrincipal('system:test')));
    regulator = issued.token;
  });
  afterAll(() => web?.close());

  it('reads the as-of moment typed in the programme’s zone and keeps it in the links to other pages', async () => {
    // 2021-03-01 10:00 in Beijing (the NEA programme's zone; the ledger was opened at 09:00), typed in the Vietnamese date form of the page.
    const page = await get(`/ledgers/gd-2021/board?asOfLocal=${encodeURIComponent('01/03/2021 10:00')}&asOfZone=Asia%2FShanghai`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="01/03/2021 10:00"');
    expect(page.text).toContain('UTC+08:00');
    const kept = `asOf=${encodeURIComponent('2021-03-01T10:00:00+08:00')}`;
    expect(page.text).toContain(`href="/ledgers/gd-2021/history?${kept}"`);
    expect(page.text).toContain(`href="/?${kept}"`);
    // Text that is no moment is refused by name, nothing shown as of a wrong moment.
    const wrong = await get(`/ledgers/gd-2021/board?asOfLocal=${encodeURIComponent('31/02/2021')}&asOfZone=Asia%2FShanghai`);
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('asOf');
  });

  it('draws the board afresh once the log moves, though it keeps it for the next pages', async () => {
    const cell = (text: string) => /<tr><th scope="row"><a[^>]*>广东电网有限责任公司<\/a><\/th>(.*?)<\/tr>/s.exec(text)?.[1].match(/data-status="([a-z-]+)"/)?.[1];
    const before = await get('/ledgers/gd-2021/board?task=1');
    expect(cell(before.text)).toBe('not-started');
    expect(cell((await get('/ledgers/gd-2021/board?task=1')).text)).toBe('not-started');
    await progress('1', 'in-progress', '2021-02-20');
    expect(cell((await get('/ledgers/gd-2021/board?task=1')).text)).toBe('in-progress');
  });

  it('pages history backward as well as forward, and shows recorded times in the programme’s zone', async () => {
    for (let day = 10; day < 16; day++) await progress('1', 'in-progress', `2021-01-${day}`);
    const queries = web.app.get(QueryBus);
    const all: HistoryPage = await queries.execute(new HistoryQuery('gd-2021', { limit: 1000 }));
    const positions = all.entries.map((e) => e.position);
    expect(all.previous).toBeNull();
    const second: HistoryPage = await queries.execute(new HistoryQuery('gd-2021', { after: positions[2], limit: 3 }));
    expect(second.entries.map((e) => e.position)).toEqual(positions.slice(3, 6));
    expect(second.previous).toBe(positions[3]);
    const back: HistoryPage = await queries.execute(new HistoryQuery('gd-2021', { before: second.previous!, limit: 3 }));
    expect(back.entries.map((e) => e.position)).toEqual(positions.slice(0, 3));
    expect(back.previous).toBeNull();
    expect(back.next).toBe(positions[2]);

    const page = await get('/ledgers/gd-2021/history?unit=gd-grid');
    expect(page.status).toBe(200);
    // The clock stands at 09:00 in Beijing: the progress reports were recorded then, shown in local time, Vietnamese form.
    expect(page.text).toContain('01/03/2021 09:00:00');
    expect(page.text).not.toContain('2021-03-01 01:00:00');
  });
});
