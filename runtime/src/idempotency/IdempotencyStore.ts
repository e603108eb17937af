/** Outcome of {@link IdempotencyStore.once}. */
export type IdempotencyOutcome = 'PROCESSED' | 'DUPLICATE';

/**
 * Port: runs a piece of work at most once per key (to completion), so an at-least-once consumer
 * has exactly-once effects. While one invocation holds a key, another gets an
 * `IdempotencyInProgressError` (retry later); if the work throws, the key is released.
 *
 * @example
 * ```ts
 * const outcome = await store.once(envelope.id, () => applyEvent(envelope)); // 'PROCESSED' | 'DUPLICATE'
 * ```
 */
export interface IdempotencyStore {
  once(key: string, work: () => Promise<void>): Promise<IdempotencyOutcome>;
}
