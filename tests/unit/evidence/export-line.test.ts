import { canonicalLineOf, encodeEvent, exportLine, type ExportedEvent } from '../../../src/audit/log-file';
import { encodeStoredEvent } from '../../../src/event-sourcing/encoded-event';
import { canonicalJson } from '../../../src/event-sourcing/canonical-json';
import type { StoredEvent } from '../../../src/event-sourcing/event-store.port';
import { chainedText } from '../../../src/event-sourcing/hash-chain';

const EVENT: StoredEvent = {
  id: '0b9f0c1e-0000-4000-8000-000000000001',
  stream: 'unit-gd_2021.gd_grid',
  revision: 3,
  position: 17,
  type: 'MetricReported',
  recordedAt: '2021-07-01T02:03:04.005Z',
  data: { z: [1, { b: 'ü\u2028"', a: null }], a: 1.5e-7, 'é': '广东', '\u00ff': true, A: -0 },
  metadata: { actor: 'cli:王', prevHash: null, hash: 'ab'.repeat(32), causationId: 'x' },
};

describe('an event\'s export line and chained text', () => {
  it('equal canonicalJson of the same objects (keys sorted at every depth, RFC 8785 numbers), without the store\'s position', () => {
    const { position: _position, ...rest } = EVENT;
    void _position;
    const { chained, line } = encodeEvent(EVENT, 16);
    expect(line).toBe(canonicalJson({ ...rest, index: 16 }));
    expect(exportLine(EVENT, 16)).toBe(line);
    expect(chained).toBe(chainedText(EVENT));
    expect(line).not.toContain('position');
    expect(JSON.parse(line)).toEqual({ ...rest, index: 16, data: { ...EVENT.data, A: 0 } });
  });

  it('give back their encodings and texts cut from a canonical line (what import stores), and nothing from a line of another form', () => {
    const { position: _position, ...rest } = EVENT;
    void _position;
    /** The line as readExportFile hands it over: parsed, `index` taken out, the store's position put in. */
    const exported = (line: string): ExportedEvent => {
      const parsed = JSON.parse(line);
      const { index, ...fields } = parsed;
      return { event: { ...fields, position: index + 1 }, index, line, legacy: false, parsed };
    };
    const line = exportLine(EVENT, 16);
    const cut = canonicalLineOf(exported(line));
    const { position: _again, ...again } = exported(line).event;
    void _again;
    expect(cut).toEqual({ encoded: encodeStoredEvent({ ...again, position: 17 }), data: canonicalJson(EVENT.data), metadata: canonicalJson(EVENT.metadata) });
    expect(canonicalLineOf(exported(JSON.stringify({ ...rest, index: 16 })))).toBeNull();
    expect(canonicalLineOf(exported(canonicalJson({ ...rest, index: 16, extra: 1 })))).toBeNull();
    expect(canonicalLineOf(exported(line.replace('"data":{', '"data":{ ')))).toBeNull();
    // Canonical, but JSON.parse puts integer-like keys first: left to the caller's full encoding.
    expect(canonicalLineOf(exported(canonicalJson({ ...rest, data: { '10': 1, '9': 2 }, index: 16 })))).toBeNull();
  });
});
