import { describe, expect, it } from 'vitest';
import { Ring } from '../Ring';

describe('Ring', () => {
  it('keeps the newest items up to its capacity and says when a push overwrote the oldest', () => {
    const ring = new Ring<number>(2);

    const overwrote = [ring.push(1), ring.push(2), ring.push(3)];

    expect(overwrote).toEqual([false, false, true]);
    expect(ring.size).toBe(2);
    expect(ring.toArray()).toEqual([2, 3]);
    expect([...ring.newestFirst()]).toEqual([3, 2]);
  });

  it('starts again empty once cleared', () => {
    const ring = new Ring<string>(3);
    ring.push('a');
    ring.push('b');

    ring.clear();
    ring.push('c');

    expect(ring.toArray()).toEqual(['c']);
    expect(ring.size).toBe(1);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new Ring(0)).toThrow(RangeError);
    expect(() => new Ring(2.5)).toThrow(RangeError);
  });
});
