import { describe, expect, it } from 'vitest';
import { TtlDeletionLog } from '../TtlDeletionLog';
import { toWireImage } from '../toWireAttributeValue';

describe('toWireImage', () => {
  it('spells every attribute type as the wire format does, with binaries in base64', () => {
    const wire = toWireImage({
      s: { S: 'text' },
      n: { N: '1.5' },
      b: { B: new Uint8Array([1, 2, 3]) },
      ss: { SS: ['a', 'b'] },
      ns: { NS: ['1', '2'] },
      bs: { BS: [new Uint8Array([255])] },
      m: { M: { inner: { BOOL: true } } },
      l: { L: [{ NULL: true }, { S: 'x' }] },
    });

    expect(wire).toEqual({
      s: { S: 'text' },
      n: { N: '1.5' },
      b: { B: 'AQID' },
      ss: { SS: ['a', 'b'] },
      ns: { NS: ['1', '2'] },
      bs: { BS: ['/w=='] },
      m: { M: { inner: { BOOL: true } } },
      l: { L: [{ NULL: true }, { S: 'x' }] },
    });
  });
});

describe('TtlDeletionLog', () => {
  it('recognizes a recorded deletion once, whatever the key attribute order', () => {
    const log = new TtlDeletionLog();
    log.record('table', { pk: { S: 'a' }, sk: { S: 'b' } });

    expect(log.claim('other', { pk: { S: 'a' }, sk: { S: 'b' } })).toBe(false);
    expect(log.claim('table', { sk: { S: 'b' }, pk: { S: 'a' } })).toBe(true);
    expect(log.claim('table', { pk: { S: 'a' }, sk: { S: 'b' } })).toBe(false);
  });

  it('forgets entries nobody claimed within its retention', () => {
    let now = 0;
    const log = new TtlDeletionLog(1_000, () => now);
    log.record('table', { pk: { S: 'old' } });
    now = 5_000;
    log.record('table', { pk: { S: 'new' } });

    expect(log.claim('table', { pk: { S: 'old' } })).toBe(false);
    expect(log.claim('table', { pk: { S: 'new' } })).toBe(true);
  });
});
