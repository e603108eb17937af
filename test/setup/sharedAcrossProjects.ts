/** What {@link sharedAcrossProjects} hands each project's global setup. */
export interface SharedResource<T> {
  readonly value: T;
  /** The project's teardown: the last project to release closes the resource. */
  release(): Promise<void>;
}

interface Entry<T> {
  readonly value: T;
  users: number;
}

/**
 * One resource for every project of a test run. Vitest calls each project's global setup in its own
 * process, one after the other, and their teardowns at the end, so the resource is kept on
 * `globalThis` under `key`: the first project's setup opens it, the last teardown closes it.
 *
 * @example
 * ```ts
 * export default function setup() {
 *   const { value, release } = sharedAcrossProjects('quanta.test.example', () => open(), (r) => r.close());
 *   return release;
 * }
 * ```
 */
export function sharedAcrossProjects<T>(
  key: string,
  open: () => T,
  close: (value: T) => void | Promise<void>,
): SharedResource<T> {
  const symbol = Symbol.for(key);
  const shared = globalThis as { [k: symbol]: Entry<T> | undefined };
  const entry = shared[symbol] ?? { value: open(), users: 0 };
  shared[symbol] = entry;
  entry.users += 1;
  return {
    value: entry.value,
    async release() {
      entry.users -= 1;
      if (entry.users > 0) return;
      shared[symbol] = undefined;
      await close(entry.value);
    },
  };
}
