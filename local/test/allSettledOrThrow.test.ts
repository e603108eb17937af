import { describe, expect, it } from 'vitest';
import { allSettledOrThrow } from '../allSettledOrThrow';

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('allSettledOrThrow', () => {
  it('resolves with every task’s value, in task order', async () => {
    // Arrange
    const later = deferred<string>();
    const all = allSettledOrThrow([later.promise, Promise.resolve(2)] as const);

    // Act
    later.resolve('first');

    // Assert
    await expect(all).resolves.toEqual(['first', 2]);
  });

  it('does not reject while another task is still running', async () => {
    // Arrange
    const slow = deferred<number>();
    let settled = false;
    const all = allSettledOrThrow([Promise.reject(new Error('boom')), slow.promise]);
    all
      .catch(() => undefined)
      .finally(() => {
        settled = true;
      });

    // Act
    await new Promise((resolve) => setTimeout(resolve, 20));
    const settledBeforeTheSlowTask = settled;
    slow.resolve(1);

    // Assert
    expect(settledBeforeTheSlowTask).toBe(false);
    await expect(all).rejects.toThrow('boom');
  });

  it('rejects with the first failure in task order, not in time order', async () => {
    // Arrange
    const first = new Promise<number>((_, reject) => setTimeout(() => reject(new Error('first')), 20));
    const second = Promise.reject(new Error('second'));
    second.catch(() => undefined);

    // Act
    const all = allSettledOrThrow([first, second]);

    // Assert
    await expect(all).rejects.toThrow('first');
  });
});
