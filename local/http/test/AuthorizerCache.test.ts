import { describe, expect, it } from 'vitest';
import { AuthorizerCache } from '../LambdaAuthorizer';

describe('AuthorizerCache', () => {
  it('returns an entry until its TTL has elapsed', () => {
    // Arrange
    const cache = new AuthorizerCache<string>(1000);
    cache.set('k', 'allow', 10_000);

    // Act / Assert
    expect(cache.get('k', 10_999)).toBe('allow');
    expect(cache.get('k', 11_000)).toBeUndefined();
  });

  it('stores nothing when the TTL is 0', () => {
    const cache = new AuthorizerCache<string>(0);
    cache.set('k', 'allow', 0);
    expect(cache.get('k', 0)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('stays within its size bound by dropping expired entries first, then the oldest', () => {
    // Arrange
    const cache = new AuthorizerCache<number>(1000, 3);
    cache.set('old', 1, 0);
    cache.set('a', 2, 500);
    cache.set('b', 3, 600);

    // Act: 'old' has expired by now, so it goes and 'a' stays
    cache.set('c', 4, 1200);
    // then the cache is full of live entries: the oldest, 'a', goes
    cache.set('d', 5, 1300);

    // Assert
    expect(cache.size).toBe(3);
    expect([cache.get('a', 1300), cache.get('b', 1300), cache.get('c', 1300), cache.get('d', 1300)]).toEqual([
      undefined,
      3,
      4,
      5,
    ]);
  });
});
