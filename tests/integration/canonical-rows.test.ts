import Database from 'better-sqlite3';
import { exportLine } from '../../src/audit/log-file';
import { verifyLog } from '../../src/evidence/verify-log';
import { canonicalJson } from '../../src/event-sourcing/canonical-json';
import { appendChained } from '../../src/event-sourcing/chained-appender';
import { encodedEvents, lineOf } from '../../src/event-sourcing/encoded-event';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { collect, freshStream, newEvent } from '../support/streams';
import { tempStore } from '../support/temp-store';

/** Keys in reverse order at every depth, as JSON.stringify kept them for events built that way: the text of a store written before the canonical format. */
function reversedJson(value: unknown): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return JSON.stringify(value);
  const keys = Object.keys(value).sort().reverse();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${reversedJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
}

const events = (n: number) => Array.from({ length: n }, (_, i) => newEvent('MetricReported', { value: i, unitId: `u-${i}`, dims: { service: 'b', area: 'a' } }, { actor: 'cli:test', role: 'x' }));

/** Rewrites each row's data and metadata as other text meaning the same (what the old format stored), and forgets the canonical-format mark. */
function makeLegacy(path: string): void {
  const db = new Database(path);
  const rows = db.prepare('SELECT position, data, metadata FROM events').all() as { position: number; data: string; metadata: string }[];
  const update = db.prepare('UPDATE events SET data = ?, metadata = ? WHERE position = ?');
  db.transaction(() => {
    for (const row of rows) update.run(reversedJson(JSON.parse(row.data)), reversedJson(JSON.parse(row.metadata)), row.position);
    db.prepare("DELETE FROM store_markers WHERE name = 'canonical-from'").run();
  })();
  db.close();
}

describe('the embedded store keeps data and metadata as canonical text', () => {
  it('stores the canonical text, and its encoded reading gives the same chain texts, lines, root and digest as parsing and re-encoding', async () => {
    const fixture = tempStore();
    const stream = freshStream('canonical');
    await appendChained(fixture.store, stream, events(5), 'no-stream');
    const rows = fixture.store.db.prepare('SELECT data, metadata FROM events').all() as { data: string; metadata: string }[];
    for (const row of rows) {
      expect(row.data).toBe(canonicalJson(JSON.parse(row.data)));
      expect(row.metadata).toBe(canonicalJson(JSON.parse(row.metadata)));
    }
    const parsed = await collect(fixture.store.readAll());
    const encoded = await collect(encodedEvents(fixture.store));
    expect(encoded.map((e, i) => lineOf(e, i))).toEqual(parsed.map((e, i) => exportLine(e, i)));
    const fast = await verifyLog(encodedEvents(fixture.store));
    const slow = await verifyLog(fixture.store.readAll());
    expect(fast).toMatchObject({ ok: true, events: 5 });
    expect(fast.ok && slow.ok && fast.root.equals(slow.root) && fast.logDigest === slow.logDigest).toBe(true);
    await fixture.dispose();
  });

  it('fails a canonical row edited to other text that means the same (keys reordered), which a parse-and-re-encode check would let pass', async () => {
    const fixture = tempStore();
    const stream = freshStream('edited');
    await appendChained(fixture.store, stream, events(3), 'no-stream');
    const { data, position } = fixture.store.db.prepare('SELECT data, position FROM events WHERE revision = 1 AND stream = ?').get(stream) as { data: string; position: number };
    fixture.store.db.prepare('UPDATE events SET data = ? WHERE position = ?').run(reversedJson(JSON.parse(data)), position);
    expect(await verifyLog(fixture.store.readAll())).toMatchObject({ ok: true });
    const result = await verifyLog(encodedEvents(fixture.store));
    expect(result).toMatchObject({ ok: false, failure: { event: { position }, reason: expect.stringMatching(/^hash does not match/) } });
    // A spaced hash member is no way round it either.
    fixture.store.db.prepare('UPDATE events SET data = ? WHERE position = ?').run(data, position);
    const { metadata } = fixture.store.db.prepare('SELECT metadata FROM events WHERE position = ?').get(position) as { metadata: string };
    fixture.store.db.prepare('UPDATE events SET metadata = ? WHERE position = ?').run(metadata.replace('"hash":', '"hash": '), position);
    expect(await verifyLog(encodedEvents(fixture.store))).toMatchObject({ ok: false, failure: { event: { position }, reason: expect.stringMatching(/^hash does not match/) } });
    // Nor is the hash member moved to the end, where the chain hash (which leaves it out) cannot see it.
    const { hash, ...unhashed } = JSON.parse(metadata) as Record<string, unknown>;
    fixture.store.db.prepare('UPDATE events SET metadata = ? WHERE position = ?').run(`${canonicalJson(unhashed).slice(0, -1)},"hash":${JSON.stringify(hash)}}`, position);
    expect(await verifyLog(fixture.store.readAll())).toMatchObject({ ok: true });
    expect(await verifyLog(encodedEvents(fixture.store))).toMatchObject({ ok: false, failure: { event: { position }, reason: expect.stringMatching(/^hash does not match/) } });
    await fixture.dispose();
  });

  it('reads a store written before the format: its old rows are parsed and re-encoded, rows appended since are canonical, and both verify', async () => {
    const fixture = tempStore();
    const stream = freshStream('legacy');
    await appendChained(fixture.store, stream, events(4), 'no-stream');
    const before = await verifyLog(fixture.store.readAll());
    await fixture.store.close();
    makeLegacy(fixture.path);

    const reopened = new SqliteEventStore(fixture.path);
    const marker = reopened.db.prepare("SELECT value FROM store_markers WHERE name = 'canonical-from'").get() as { value: string };
    expect(Number(marker.value)).toBe(5);
    const legacyRows = await verifyLog(encodedEvents(reopened));
    expect(legacyRows.ok && before.ok && legacyRows.root.equals(before.root)).toBe(true);
    await appendChained(reopened, stream, events(2), 3);
    const fast = await verifyLog(encodedEvents(reopened));
    const slow = await verifyLog(reopened.readAll());
    expect(fast).toMatchObject({ ok: true, events: 6 });
    expect(fast.ok && slow.ok && fast.root.equals(slow.root)).toBe(true);
    const newRow = reopened.db.prepare('SELECT data FROM events WHERE position = 6').get() as { data: string };
    expect(newRow.data).toBe(canonicalJson(JSON.parse(newRow.data)));
    // An old row's bytes changed to text meaning something else is still caught.
    const old = reopened.db.prepare('SELECT data FROM events WHERE position = 2').get() as { data: string };
    reopened.db.prepare('UPDATE events SET data = ? WHERE position = 2').run(old.data.replace('"value":1', '"value":7'));
    expect(await verifyLog(encodedEvents(reopened))).toMatchObject({ ok: false, failure: { event: { position: 2 } } });
    await reopened.close();
    await fixture.dispose();
  });
});
