/**
 * `Promise.all`, except that it rejects (with the first failure, in task order) only once every
 * task has settled. `LocalCloud.start` runs its slow start-up tasks with it: when one fails, the
 * cleanup that follows must not run while another can still start a server it would then miss.
 *
 * @example
 * ```ts
 * const [count, name] = await allSettledOrThrow([Promise.resolve(1), Promise.resolve('b')]); // [1, 'b']
 * ```
 */
export async function allSettledOrThrow<T extends readonly unknown[]>(
  tasks: {
    readonly [K in keyof T]: Promise<T[K]>;
  },
): Promise<T> {
  const results = await Promise.allSettled(tasks);
  for (const result of results) if (result.status === 'rejected') throw result.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
