import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { appendChained } from '../../src/event-sourcing/chained-appender';
import { runCliProcess } from '../support/run-cli-process';
import { freshStream, newEvent } from '../support/streams';

describe('the CLI as a process', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-cli-'));
  const store = `sqlite:${join(directory, 'ledger.db')}`;
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('stats and rebuild work over a log written by another process, with --store', async () => {
    const log = new SqliteEventStore(join(directory, 'ledger.db'));
    await appendChained(log, freshStream('unit'), [newEvent(), newEvent(), newEvent()], 'no-stream');
    await log.close();

    const stats = runCliProcess(['stats', '--json', '--store', store]);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ position: 3, totals: { events: 3, streams: 1 } });

    const rebuild = runCliProcess(['rebuild', '--store', store]);
    expect(rebuild.code).toBe(0);
    expect(rebuild.stdout).toMatch(/rebuilt \d+ projection\(s\) to log position 3/);
  });

  it('takes the store from LEDGER_STORE', () => {
    const stats = runCliProcess(['stats'], { LEDGER_STORE: store });
    expect(stats.code).toBe(0);
    expect(stats.stdout).toMatch(/^log position 3: 3 events in 1 streams/);
  });

  it('exits 2 with a one-line error on a usage error', () => {
    for (const args of [['bogus'], ['stats', '--nope'], ['stats', 'extra'], ['stats', '--store', 'mysql://x'], []]) {
      const result = runCliProcess(args, { LEDGER_STORE: store });
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')[0]).toMatch(/^usage error: /);
    }
  });
});
