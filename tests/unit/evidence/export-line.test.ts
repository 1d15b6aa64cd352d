import { dataTextOf, encodeEvent, exportLine } from '../../../src/audit/log-file';
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

  it('give back the data\'s text cut from a canonical line (what import stores), and nothing from a line of another form', () => {
    const { position: _position, ...rest } = EVENT;
    void _position;
    const line = exportLine(EVENT, 16);
    expect(dataTextOf({ event: EVENT, index: 16, line, legacy: false })).toBe(canonicalJson(EVENT.data));
    expect(dataTextOf({ event: EVENT, index: 16, line: JSON.stringify({ ...rest, index: 16 }), legacy: false })).toBeNull();
    expect(dataTextOf({ event: EVENT, index: 15, line, legacy: false })).toBeNull();
  });
});
