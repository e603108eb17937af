import { describe, expect, it } from 'vitest';
import { gcra, gcraParameters } from '../domain/RateLimiter';

const limit = { perSecond: 10, burst: 20 };

/** How many of `count` requests at instant `now` are allowed, from `tat`. */
function allowedOf(count: number, now: number, start?: number): { allowed: number; tat: number | undefined } {
  let tat = start;
  let allowed = 0;
  for (let i = 0; i < count; i++) {
    const next = gcra(limit, tat, now);
    if (next !== undefined) {
      tat = next;
      allowed++;
    }
  }
  return { allowed, tat };
}

describe('the GCRA token bucket', () => {
  it('lets a full bucket spend its burst of 20 at once and refuses the 21st', () => {
    // Act
    const { allowed } = allowedOf(21, 1_000);

    // Assert
    expect(allowed).toBe(20);
  });

  it('refills one token every 100 ms at 10 per second', () => {
    // Arrange
    const { tat } = allowedOf(20, 0);

    // Act
    const at99 = gcra(limit, tat, 99);
    const at100 = gcra(limit, tat, 100);

    // Assert
    expect(at99).toBeUndefined();
    expect(at100).toBe(2100);
  });

  it('sustains exactly its rate: one request every 100 ms is never refused', () => {
    // Arrange
    let tat: number | undefined;
    let refused = 0;

    // Act
    for (let now = 0; now < 60_000; now += 100) {
      const next = gcra(limit, tat, now);
      if (next === undefined) refused++;
      else tat = next;
    }

    // Assert
    expect(refused).toBe(0);
  });

  it('is full again after an idle second or two', () => {
    // Arrange
    const { tat } = allowedOf(20, 0);

    // Act
    const { allowed } = allowedOf(25, 2_000, tat);

    // Assert
    expect(allowed).toBe(20);
  });

  it('refuses a rate that is not positive or a burst below 1, naming the values', () => {
    expect(() => gcraParameters({ perSecond: 0, burst: 20 })).toThrow(/perSecond > 0.*"perSecond":0/);
    expect(() => gcraParameters({ perSecond: 10, burst: 0 })).toThrow(/burst >= 1/);
  });
});
