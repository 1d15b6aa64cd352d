import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli-in-process';

const UNITS = 'id,name,role,parent\ngd-energy,广东省能源局,energy-authority,\ngd-grid,广东电网有限责任公司,supply-company,\ngz-grid,广州供电局,supply-company,gd-grid\n';
const RECORDS = [
  { type: 'progress', ledger: 'gd-2021', unit: 'gd-grid', task: '4', status: 'completed', on: '2021-06-30', note: '已完成' },
  { type: 'metric', ledger: 'gd-2021', unit: 'gd-grid', period: '2021-H1', metric: 'benefit.households', dimensions: { service: 'sanling-residential' }, value: 1520 },
  { type: 'metric', ledger: 'gd-2021', unit: 'gd-grid', period: '2021-H1', metric: 'benefit.households', dimensions: { service: 'sansheng' }, value: 77 },
  { type: 'metric', ledger: 'gd-2021', unit: 'gz-grid', period: '2021-H1', metric: 'benefit.households', dimensions: { service: 'sanling-residential' }, value: 300 },
];

describe('audit: tamper evidence, export and import', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-audit-'));
  const original = join(directory, 'original.db');
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  beforeAll(async () => {
    const store = `sqlite:${original}`;
    writeFileSync(join(directory, 'units.csv'), UNITS);
    writeFileSync(join(directory, 'a.ndjson'), RECORDS.slice(0, 2).map((r) => JSON.stringify(r)).join('\n'));
    writeFileSync(join(directory, 'b.ndjson'), RECORDS.slice(2).map((r) => JSON.stringify(r)).join('\n'));
    expect((await cli(store, 'programme', 'import', join(__dirname, '../../templates/programmes/nea-2021-37.yaml'))).code).toBe(0);
    expect((await cli(store, 'ledger', 'open', 'gd-2021', '--programme', 'nea-2021-37', '--units', join(directory, 'units.csv'))).code).toBe(0);
    expect((await cli(store, 'submit', join(directory, 'a.ndjson'))).code).toBe(0);
    expect((await cli(store, 'submit', join(directory, 'b.ndjson'))).code).toBe(0);
  });

  /** A copy of the log to tamper with, and `verify` run on it. */
  const tampered = async (name: string, tamper: (db: Database.Database) => void) => {
    const path = join(directory, `${name}.db`);
    copyFileSync(original, path);
    const db = new Database(path);
    tamper(db);
    db.close();
    return cli(`sqlite:${path}`, 'verify');
  };
  const rowOf = (db: Database.Database, where: string) => db.prepare(`SELECT * FROM events WHERE ${where}`).get() as { position: number; id: string; data: string; metadata: string };

  it('passes an intact log with a one-line summary and the head digest', async () => {
    const result = await cli(`sqlite:${original}`, 'verify');
    expect(result.code).toBe(0);
    expect(result.out).toHaveLength(1);
    expect(result.out[0]).toMatch(/^intact: 6 events in 4 streams up to position 6; log digest sha256:[0-9a-f]{64}; tree size 6 root \S+ /);
  });

  it('catches an altered payload, naming the event', async () => {
    let id = '';
    const result = await tampered('payload', (db) => {
      const row = rowOf(db, `type = 'MetricReported' AND data LIKE '%1520%'`);
      id = row.id;
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(row.data.replace('1520', '1500'), row.position);
    });
    expect(result.code).toBe(1);
    expect(result.err).toEqual([expect.stringMatching(new RegExp(`^error: event ${id} \\(stream unit-gd-2021\\.gd-grid, revision 1, position \\d+\\) fails: hash does not match`))]);
  });

  it('catches altered metadata (who recorded it)', async () => {
    const result = await tampered('metadata', (db) => {
      const row = rowOf(db, `type = 'ProgressReported'`);
      db.prepare('UPDATE events SET metadata = ? WHERE position = ?').run(row.metadata.replace(/"actor":"[^"]*"/, '"actor":"someone-else"'), row.position);
    });
    expect(result.code).toBe(1);
    expect(result.err[0]).toMatch(/ProgressReported|hash does not match the event content/);
  });

  it('catches a removed event', async () => {
    const result = await tampered('removed', (db) => {
      db.prepare(`DELETE FROM events WHERE type = 'ProgressReported'`).run();
    });
    expect(result.code).toBe(1);
    expect(result.err[0]).toMatch(/revision 1 where 0 was expected: an event of the stream was removed or reordered/);
  });

  it('catches events reordered within a stream', async () => {
    const result = await tampered('reordered', (db) => {
      const a = rowOf(db, `type = 'ProgressReported'`);
      const b = rowOf(db, `stream = 'unit-gd-2021.gd-grid' AND revision = 1`);
      db.transaction(() => {
        db.prepare('UPDATE events SET position = -1 WHERE position = ?').run(a.position);
        db.prepare('UPDATE events SET position = ? WHERE position = ?').run(a.position, b.position);
        db.prepare('UPDATE events SET position = ? WHERE position = -1').run(b.position);
      })();
    });
    expect(result.code).toBe(1);
    expect(result.err[0]).toMatch(/removed or reordered/);
  });

  it('catches events moved in the global order across streams', async () => {
    const result = await tampered('moved', (db) => {
      const early = rowOf(db, `stream = 'ledger-gd-2021'`);
      const late = rowOf(db, `stream = 'unit-gd-2021.gz-grid'`);
      db.transaction(() => {
        db.prepare('UPDATE events SET position = -1 WHERE position = ?').run(early.position);
        db.prepare('UPDATE events SET position = ? WHERE position = ?').run(early.position, late.position);
        db.prepare('UPDATE events SET position = ? WHERE position = -1').run(late.position);
      })();
    });
    expect(result.code).toBe(1);
    expect(result.err[0]).toMatch(/the global order was changed/);
  });

  it('history filters by unit, task or metric, and exports as xlsx', async () => {
    const store = `sqlite:${original}`;
    const byTask = JSON.parse((await cli(store, 'history', 'gd-2021', '--task', '4', '--json')).stdout) as { type: string; data: { task: string } }[];
    expect(byTask.map((e) => [e.type, e.data.task])).toEqual([['ProgressReported', '4']]);
    const byMetric = JSON.parse((await cli(store, 'history', 'gd-2021', '--metric', 'benefit.households', '--unit', 'gz-grid', '--json')).stdout) as { unit: string }[];
    expect(byMetric.map((e) => e.unit)).toEqual(['gz-grid']);
    const file = join(directory, 'history.xlsx');
    expect((await cli(store, 'history', 'gd-2021', '--out', file)).out).toEqual([expect.stringMatching(new RegExp(`^wrote ${file}: the history of gd-2021 as of \\S+ \\(log position \\d+\\); sha256:[0-9a-f]{64}$`))]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const values = workbook.worksheets[0].getSheetValues().flat().map(String);
    // Event labels in the programme's language, units by name, times in its zone (Asia/Shanghai).
    expect(values).toEqual(expect.arrayContaining(['建立台账', '报送任务进展', '报送指标数据', '日志位置', '广东电网有限责任公司', '记录时间（Asia/Shanghai）']));
    expect(values.filter((v) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(v))).toHaveLength(5);
    expect(values).not.toContain('ProgressReported');
    // Each event's content as a person reads it: the metric's name, dimension label, period, value and unit; the task by its words.
    expect(values).toEqual(expect.arrayContaining(['受益户数（居民用户），2021年上半年：1520 户', '管理员']));
    expect(values.some((v) => /^任务 4“将居民用户.*”：已完成（2021年6月30日）；说明：已完成$/.test(v))).toBe(true);
    expect(values.filter((v) => /\w+=|object Object/.test(v))).toEqual([]);
    expect((await cli(store, 'history', 'gd-2021', '--out', join(directory, 'history.csv'))).code).toBe(2);
  });

  it('export then import into an empty store reproduces the log exactly, and refuses a store that is not empty', async () => {
    const exported = join(directory, 'log.ndjson');
    expect((await cli(`sqlite:${original}`, 'export', exported)).out).toEqual([`exported 6 events to ${exported}`]);
    const copy = `sqlite:${join(directory, 'imported.db')}`;
    expect((await cli(copy, 'import', exported)).code).toBe(0);
    const [before, after] = [await cli(`sqlite:${original}`, 'verify'), await cli(copy, 'verify')];
    expect(after.err).toEqual([]);
    // The same events, digest and tree; only the original has a kept checkpoint (its history export signed one), and timings differ.
    const summary = (line: string) => line.replace(/\(.*\)$/, '').replace(/; extends the kept checkpoint .*$/, '').trim();
    expect(summary(after.out[0])).toBe(summary(before.out[0]));
    const again = join(directory, 'again.ndjson');
    await cli(copy, 'export', again);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(exported, 'utf8'));
    const status = [await cli(`sqlite:${original}`, 'status', 'gd-2021', '--json', '--as-of', '6'), await cli(copy, 'status', 'gd-2021', '--json', '--as-of', '6')];
    expect(status[1].stdout).toBe(status[0].stdout);
    const refused = await cli(copy, 'import', exported);
    expect(refused.code).toBe(1);
    expect(refused.err).toEqual(['error: the store is not empty: import loads a log into an empty store only']);
  });

  it('refuses a malformed export file naming the line and field, leaving the store empty', async () => {
    const bad = join(directory, 'bad.ndjson');
    const lines = readFileSync(join(directory, 'log.ndjson'), 'utf8').trim().split('\n');
    writeFileSync(bad, [lines[0], lines[1].replace('"revision":0', '"revision":"zero"')].join('\n'));
    const result = await cli(`sqlite:${join(directory, 'bad.db')}`, 'import', bad);
    expect(result.code).toBe(1);
    expect(result.err[0]).toMatch(/bad\.ndjson:2 revision: must be a number/);
  });

  it('refuses a tampered export file before importing anything', async () => {
    const bad = join(directory, 'tampered.ndjson');
    writeFileSync(bad, readFileSync(join(directory, 'log.ndjson'), 'utf8').replace('"value":1520', '"value":1500'));
    const path = join(directory, 'tampered-import.db');
    const result = await cli(`sqlite:${path}`, 'import', bad);
    expect(result.code).toBe(1);
    expect(result.err[0]).toMatch(/fails verification: hash does not match the event content.*nothing imported/);
    expect((await cli(`sqlite:${path}`, 'stats', '--json')).stdout).toMatch(/"events":0/);
  });

  it('takes back the batches it wrote when a later event fails (one pass), so the store is empty and then imports the good file from position 1', async () => {
    const exported = join(directory, 'log.ndjson');
    const lines = readFileSync(exported, 'utf8').trim().split('\n');
    const bad = join(directory, 'tampered-last.ndjson');
    // The last event's own hash altered: batches of 2 have been written by the time it is read.
    writeFileSync(bad, [...lines.slice(0, -1), lines[lines.length - 1].replace(/"hash":"(.)/, (_, c: string) => `"hash":"${c === '0' ? '1' : '0'}`)].join('\n'));
    const path = join(directory, 'tampered-last.db');
    const result = await cli(`sqlite:${path}`, 'import', bad, '--batch', '2');
    expect(result.code).toBe(1);
    expect(result.err[0]).toMatch(/fails verification: hash does not match the event content.*nothing imported/);
    expect((await cli(`sqlite:${path}`, 'stats', '--json')).stdout).toMatch(/"events":0/);
    expect((await cli(`sqlite:${path}`, 'verify')).code).toBe(0);
    expect((await cli(`sqlite:${path}`, 'import', exported, '--batch', '2')).code).toBe(0);
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT MIN(position) AS first, COUNT(*) AS events FROM events').get()).toEqual({ first: 1, events: lines.length });
    db.close();
    const again = join(directory, 'tampered-last-again.ndjson');
    expect((await cli(`sqlite:${path}`, 'export', again)).code).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(exported, 'utf8'));
  });

  it('resumes an interrupted import only when the stored events are the file\'s first lines byte for byte', async () => {
    const exported = join(directory, 'log.ndjson');
    const path = join(directory, 'interrupted.db');
    expect((await cli(`sqlite:${path}`, 'import', exported)).code).toBe(0);
    const db = new Database(path);
    // What a killed import leaves (three events and the mark), but one stored event's recorded time differs from its line: no chain hash covers it, the tree does.
    db.prepare('DELETE FROM events WHERE position > 3').run();
    const fileDigest = createHash('sha256').update(readFileSync(exported)).digest('hex');
    db.prepare("INSERT INTO store_markers (name, value) VALUES ('import', ?)").run(JSON.stringify({ fileDigest, events: 6, startedAt: '2026-01-01T00:00:00.000Z' }));
    db.prepare("UPDATE events SET recorded_at = '2020-01-01T00:00:00.000Z' WHERE position = 1").run();
    db.close();
    const refused = await cli(`sqlite:${path}`, 'import', exported);
    expect(refused.code).toBe(1);
    expect(refused.err[0]).toMatch(/its first 3 events are not those the interrupted import loaded/);
    expect((await cli(`sqlite:${path}`, 'verify')).err.join('\n')).toMatch(/unfinished import/);
    const stored = new Database(path, { readonly: true });
    expect(stored.prepare('SELECT COUNT(*) AS events FROM events').get()).toEqual({ events: 3 });
    stored.close();
  });
});
