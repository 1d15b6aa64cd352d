import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '../../src/event-sourcing/canonical-json';
import { chainMetadata } from '../../src/event-sourcing/hash-chain';
import { signCheckpoint } from '../../src/evidence/checkpoint-note';
import { leafHash, nodesOfLeaves, treeRoot } from '../../src/evidence/merkle';
import { loadSigningKey } from '../../src/evidence/signing-key';
import type { EventRow as Row } from '../../src/event-store/sqlite/schema';
import { cli } from '../support/cli-in-process';

const UNITS = 'id,name,role,parent\ngd-energy,广东省能源局,energy-authority,\ngd-grid,广东电网有限责任公司,supply-company,\ngz-grid,广州供电局,supply-company,gd-grid\n';
const metric = (unit: string, service: string, value: number) =>
  JSON.stringify({ type: 'metric', ledger: 'gd-2021', unit, period: '2021-H1', metric: 'benefit.households', dimensions: { service }, value });
const RECORDS = [
  JSON.stringify({ type: 'progress', ledger: 'gd-2021', unit: 'gd-grid', task: '4', status: 'completed', on: '2021-06-30', note: '已完成' }),
  metric('gd-grid', 'sanling-residential', 1520),
  metric('gd-grid', 'sansheng', 77),
  metric('gz-grid', 'sanling-residential', 300),
  metric('gz-grid', 'sansheng', 12),
];

describe('evidence: a regulator\'s checkpoint catches every tampering of the stored log', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-evidence-'));
  const original = join(directory, 'ledger.db');
  const anchor = join(directory, 'regulator-checkpoint.txt');
  const report = join(directory, 'attachment-3.pdf');
  let verifierKey = '';
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  beforeAll(async () => {
    const store = `sqlite:${original}`;
    writeFileSync(join(directory, 'units.csv'), UNITS);
    writeFileSync(join(directory, 'records.ndjson'), RECORDS.join('\n'));
    expect((await cli(store, 'programme', 'import', join(__dirname, '../../templates/programmes/nea-2021-37.yaml'))).code).toBe(0);
    expect((await cli(store, 'ledger', 'open', 'gd-2021', '--programme', 'nea-2021-37', '--units', join(directory, 'units.csv'))).code).toBe(0);
    expect((await cli(store, 'submit', join(directory, 'records.ndjson'))).code).toBe(0);
    expect((await cli(store, 'report', 'gd-2021', 'nea-attachment-3', '--period', '2021-H1', '--format', 'pdf', '--out', report)).code).toBe(0);
    expect((await cli(store, 'checkpoint', '--out', anchor)).code).toBe(0);
    verifierKey = (await cli(store, 'checkpoint', '--public-key')).out[0];
  }, 120_000);

  /** A copy of the log alone (no key file, no kept checkpoints: a regulator's machine), tampered with, then verified against the regulator's checkpoint. */
  const tampered = async (name: string, tamper: (db: Database.Database) => void) => {
    mkdirSync(join(directory, name));
    const path = join(directory, name, 'ledger.db');
    copyFileSync(original, path);
    const db = new Database(path);
    db.transaction(() => tamper(db))();
    db.close();
    const result = await cli(`sqlite:${path}`, 'verify', '--checkpoint', anchor, '--key', verifierKey);
    // The report's own checkpoint (in its metadata) catches the same tampering, on its own.
    const byReport = await cli(`sqlite:${path}`, 'verify', '--report', report, '--key', verifierKey);
    expect(byReport.code).toBe(1);
    expect(byReport.err[0]).toMatch(/attachment-3\.pdf: | fails: /);
    return result;
  };
  const row = (db: Database.Database, where: string) => db.prepare(`SELECT * FROM events WHERE ${where}`).get() as Row;
  const notExtended = /^error: checkpoint .*regulator-checkpoint\.txt: the log does not extend this checkpoint: its first 7 events have the root \S+, the checkpoint signs \S+/;

  it('prints a signed checkpoint in the C2SP format and its verifier key, and the intact log extends it', async () => {
    const note = readFileSync(anchor, 'utf8');
    expect(note).toMatch(/^compliance-ledger\/ledger\n7\n[A-Za-z0-9+/]{43}=\n\n— compliance-ledger\/ledger [A-Za-z0-9+/]{91}=\n$/);
    expect(verifierKey).toMatch(/^compliance-ledger\/ledger\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    expect(readFileSync(join(directory, 'ledger.checkpoints', 'checkpoint-7.txt'), 'utf8')).toBe(note);
    const result = await cli(`sqlite:${original}`, 'verify', '--checkpoint', anchor);
    expect(result.code).toBe(0);
    expect(result.out[0]).toMatch(/^intact: 7 events in 4 streams up to position 7; log digest sha256:[0-9a-f]{64}; tree size 7 root \S+; extends checkpoint .*regulator-checkpoint\.txt \(7 events\), the kept checkpoint .*checkpoint-7\.txt \(7 events\)/);
    expect(result.out[0]).toContain(note.split('\n')[2]);
  });

  it('catches an edited byte of a stored event, naming it', async () => {
    let id = '';
    const result = await tampered('byte', (db) => {
      const r = row(db, `data LIKE '%1520%'`);
      id = r.id;
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(r.data.replace('1520', '1529'), r.position);
    });
    expect(result.code).toBe(1);
    expect(result.err[0]).toMatch(new RegExp(`^error: event ${id} .* fails: hash does not match`));
  });

  it('catches the deleted tail of one stream, which the hash chains cannot see', async () => {
    const result = await tampered('stream-tail', (db) => {
      db.prepare(`DELETE FROM events WHERE position = (SELECT MAX(position) FROM events WHERE stream = 'unit-gd-2021.gd-grid')`).run();
    });
    expect(result.code).toBe(1);
    expect(result.err[0]).toMatch(/^error: checkpoint .*: the log holds 6 events, fewer than the 7 this checkpoint signs: events were removed/);
  });

  it('catches the cut tail of the log (a log shorter than the checkpoint)', async () => {
    const result = await tampered('log-tail', (db) => db.prepare('DELETE FROM events WHERE position > 5').run());
    expect(result.code).toBe(1);
    expect(result.err[0]).toMatch(/the log holds 5 events, fewer than the 7 this checkpoint signs/);
  });

  it('catches events reordered across streams with their recorded times swapped to keep the order plausible', async () => {
    const result = await tampered('reordered', (db) => {
      const a = row(db, `stream = 'unit-gd-2021.gz-grid' AND revision = 0`);
      const b = row(db, `stream = 'unit-gd-2021.gd-grid' AND revision = 2`);
      db.prepare('UPDATE events SET position = -1 WHERE position = ?').run(a.position);
      db.prepare('UPDATE events SET position = ?, recorded_at = ? WHERE position = ?').run(a.position, a.recorded_at, b.position);
      db.prepare('UPDATE events SET position = ?, recorded_at = ? WHERE position = -1').run(b.position, b.recorded_at);
    });
    expect(result.code).toBe(1);
    expect(result.err[0]).toMatch(notExtended);
  });

  it('catches a changed recorded time that keeps the order (the time is not in the hash chain)', async () => {
    const result = await tampered('re-timed', (db) => {
      // The last event a second later: still after every other one.
      const r = row(db, 'position = (SELECT MAX(position) FROM events)');
      db.prepare('UPDATE events SET recorded_at = ? WHERE position = ?').run(new Date(Date.parse(r.recorded_at) + 1000).toISOString(), r.position);
    });
    expect(result.code).toBe(1);
    expect(result.err[0]).toMatch(notExtended);
  });

  it('catches a forged event with a valid chain inserted into the middle of the log', async () => {
    const result = await tampered('forged', (db) => {
      const before = row(db, 'position = 4');
      db.prepare('UPDATE events SET position = position + 100 WHERE position > 4').run();
      const forged = { id: '00000000-0000-4000-8000-00000000f0f0', type: 'MetricReported', data: { ledger: 'gd-2021', unit: 'gd-energy', value: 1 }, metadata: { actor: 'cli:someone' } };
      const metadata = chainMetadata(forged, 'unit-gd-2021.gd-energy', 0, null);
      db.prepare('INSERT INTO events (position, id, stream, revision, type, data, metadata, recorded_at) VALUES (5, ?, ?, 0, ?, ?, ?, ?)').run(
        forged.id,
        'unit-gd-2021.gd-energy',
        forged.type,
        // In the store's own format (canonical text), as a forger who knows it writes it.
        canonicalJson(forged.data),
        canonicalJson(metadata),
        before.recorded_at,
      );
    });
    expect(result.code).toBe(1);
    expect(result.err[0]).toMatch(notExtended);
  });

  it('catches a full rewrite with every hash recomputed', async () => {
    const result = await tampered('rewrite', (db) => {
      // Change a figure, then relink the rest of its stream so every hash and prevHash holds again.
      const rows = db.prepare(`SELECT * FROM events WHERE stream = 'unit-gd-2021.gd-grid' ORDER BY revision`).all() as Row[];
      let prevHash: string | null = null;
      for (const r of rows) {
        const data = JSON.parse(r.data.replace('1520', '1600'));
        const metadata = chainMetadata({ id: r.id, type: r.type, data, metadata: JSON.parse(r.metadata) }, r.stream, r.revision, prevHash);
        prevHash = String(metadata.hash);
        // In the store's own format (canonical text): text in another form would fail its hash even without a checkpoint.
        db.prepare('UPDATE events SET data = ?, metadata = ? WHERE position = ?').run(canonicalJson(data), canonicalJson(metadata), r.position);
      }
    });
    expect(result.code).toBe(1);
    expect(result.err[0]).toMatch(notExtended);
    // Without an anchor, the rewritten chains verify: only a checkpoint held outside catches this.
    expect((await cli(`sqlite:${join(directory, 'rewrite', 'ledger.db')}`, 'verify')).code).toBe(0);
  });

  it('a report carries the checkpoint of the log it was drawn from, and verifies against the intact log', async () => {
    const pdf = readFileSync(report).toString('latin1');
    const note = Buffer.from(/ note:([A-Za-z0-9+/]+=*)/.exec(pdf)![1], 'base64').toString('utf8');
    expect(note).toMatch(/^compliance-ledger\/ledger\n7\n\S{44}\n\n— compliance-ledger\/ledger \S+\n$/);
    expect(pdf).toContain(`tree 7 ${note.split('\n')[2]}`);
    const result = await cli(`sqlite:${original}`, 'verify', '--report', report, '--key', verifierKey);
    expect(result.out).toEqual([expect.stringMatching(/attachment-3\.pdf: nea-attachment-3 2021-H1 of gd-2021, .*tree size 7 root \S+ signed\); regenerated identically/)]);
    const status = [await cli(`sqlite:${original}`, 'status', 'gd-2021', '--json', '--as-of', 'size:4'), await cli(`sqlite:${original}`, 'status', 'gd-2021', '--json', '--as-of', '4')];
    expect(status[0].code).toBe(0);
    expect(status[0].stdout).toBe(status[1].stdout);
  });

  it('refuses a checkpoint whose signature does not verify, naming it', async () => {
    const forged = join(directory, 'forged-checkpoint.txt');
    writeFileSync(forged, readFileSync(anchor, 'utf8').replace(/^(.*\n)7\n/, '$16\n'));
    const result = await cli(`sqlite:${original}`, 'verify', '--checkpoint', forged, '--key', verifierKey);
    expect(result.code).toBe(1);
    expect(result.err[0]).toMatch(/forged-checkpoint\.txt: its signature by compliance-ledger\/ledger does not verify/);
  });

  it('refuses a checkpoint of another log: its origin is not the ledger\'s (LEDGER_ORIGIN)', async () => {
    mkdirSync(join(directory, 'renamed'));
    const path = join(directory, 'renamed', 'other.db');
    copyFileSync(original, path);
    // A copy alone under another name, with the ledger's key: the signature ties the checkpoint to it.
    expect((await cli(`sqlite:${path}`, 'verify', '--checkpoint', anchor, '--key', verifierKey)).code).toBe(0);
    process.env.LEDGER_ORIGIN = 'compliance-ledger/other';
    try {
      const result = await cli(`sqlite:${path}`, 'verify', '--checkpoint', anchor, '--key', verifierKey);
      expect(result.code).toBe(1);
      expect(result.err[0]).toMatch(/regulator-checkpoint\.txt.*signs the log "compliance-ledger\/ledger", not this ledger's log "compliance-ledger\/other" \(LEDGER_ORIGIN\)/);
    } finally {
      delete process.env.LEDGER_ORIGIN;
    }
  });

  it('answers 3, not 1, when the store cannot be read at all', async () => {
    const path = join(directory, 'garbage.db');
    writeFileSync(path, 'this is not a SQLite database, not even a little bit'.repeat(100));
    const result = await cli(`sqlite:${path}`, 'verify', '--checkpoint', anchor, '--key', verifierKey);
    expect(result.code).toBe(3);
  });

  it('proves an event and the log\'s growth, and an auditor checks the proof offline with the exported line', async () => {
    const store = `sqlite:${original}`;
    const exported = join(directory, 'log.ndjson');
    expect((await cli(store, 'export', exported)).code).toBe(0);
    const lines = readFileSync(exported, 'utf8').trimEnd().split('\n');
    const line = lines[5];
    const { id } = JSON.parse(line) as { id: string };
    const proof = await cli(store, 'prove', id);
    expect(JSON.parse(proof.stdout)).toEqual({ index: 5, size: 7, leaf: expect.any(String), path: expect.any(Array) });
    writeFileSync(join(directory, 'proof.json'), proof.stdout);
    writeFileSync(join(directory, 'line.json'), `${line}\n`);
    const offline = ['verify-proof', '--checkpoint', anchor, '--proof', join(directory, 'proof.json'), '--key', verifierKey];
    const ok = await cli(store, ...offline, '--line', join(directory, 'line.json'));
    expect(ok.out).toEqual([expect.stringMatching(/^included: the event at index 5 is in the log of 7 events that compliance-ledger\/ledger signed/)]);
    writeFileSync(join(directory, 'altered.json'), line.replace('"value":', '"value":1'));
    const altered = await cli(store, ...offline, '--line', join(directory, 'altered.json'));
    expect(altered.code).toBe(1);
    expect(altered.err[0]).toMatch(/does not hash to the proof's leaf/);
    const consistency = JSON.parse((await cli(store, 'prove', '--from', '3', '--size', '7')).stdout) as { from: number; size: number; path: string[] };
    expect(consistency).toEqual({ from: 3, size: 7, path: expect.any(Array) });
    expect(consistency.path.length).toBeGreaterThan(0);
    // Offline, the auditor holding a checkpoint of the first 3 events checks that the anchor's 7 extend them.
    const key = loadSigningKey(join(directory, 'checkpoint-key.pem'), 'compliance-ledger/ledger');
    const older = join(directory, 'checkpoint-3.txt');
    writeFileSync(older, signCheckpoint({ origin: key.name, size: 3, root: treeRoot(nodesOfLeaves(lines.map((l) => leafHash(l))), 3) }, key.name, key.privateKey, key.publicKey));
    writeFileSync(join(directory, 'consistency.json'), JSON.stringify(consistency));
    const extending = ['verify-proof', '--checkpoint', older, '--checkpoint', anchor, '--proof', join(directory, 'consistency.json'), '--key', verifierKey];
    expect((await cli(store, ...extending)).out).toEqual([expect.stringMatching(/^extends: the log of 7 events \(root \S+\) extends the log of 3 events \(root \S+\) that compliance-ledger\/ledger signed$/)]);
    const swapped = await cli(store, 'verify-proof', '--checkpoint', anchor, '--checkpoint', older, '--proof', join(directory, 'consistency.json'), '--key', verifierKey);
    expect(swapped.code).toBe(1);
    expect(swapped.err[0]).toMatch(/the proof is from 3 to 7 events, the checkpoints sign 7 and 3/);
    writeFileSync(join(directory, 'bent.json'), JSON.stringify({ ...consistency, path: [...consistency.path].reverse() }));
    const bent = await cli(store, 'verify-proof', '--checkpoint', older, '--checkpoint', anchor, '--proof', join(directory, 'bent.json'), '--key', verifierKey);
    expect(bent.code).toBe(1);
    expect(bent.err[0]).toMatch(/does not extend the log of 3 events by this proof/);
    expect((await cli(store, 'prove', '00000000-0000-4000-8000-000000000bad')).code).toBe(1);
    expect((await cli(store, 'prove', id, '--size', '8')).code).toBe(1);
    expect((await cli(store, 'prove')).code).toBe(2);
  });

  it('import reproduces the checkpoint given with the file (the tree is the lines\' own), and refuses a file that does not', async () => {
    const exported = join(directory, 'for-import.ndjson');
    expect((await cli(`sqlite:${original}`, 'export', exported)).code).toBe(0);
    const cut = join(directory, 'cut.ndjson');
    writeFileSync(cut, readFileSync(exported, 'utf8').trimEnd().split('\n').slice(0, -1).join('\n') + '\n');
    mkdirSync(join(directory, 'import-cut'));
    const refused = await cli(`sqlite:${join(directory, 'import-cut', 'ledger.db')}`, 'import', cut, '--checkpoint', anchor, '--key', verifierKey);
    expect(refused.code).toBe(1);
    expect(refused.err[0]).toMatch(/cut\.ndjson does not reproduce checkpoint .*: the log holds 6 events, fewer than the 7 this checkpoint signs.*; nothing imported$/);
    mkdirSync(join(directory, 'import-whole'));
    const copy = `sqlite:${join(directory, 'import-whole', 'ledger.db')}`;
    expect((await cli(copy, 'import', exported, '--checkpoint', anchor, '--key', verifierKey)).code).toBe(0);
    const verified = await cli(copy, 'verify', '--checkpoint', anchor, '--key', verifierKey);
    expect(verified.out[0]).toMatch(/^intact: 7 events .*extends checkpoint/);
  });
});
