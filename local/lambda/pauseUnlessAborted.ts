import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waits `ms` milliseconds, or less when `signal` aborts first; never rejects. The event source
 * mapping pollers (SQS, DynamoDB streams) back off with it, so stopping one (which aborts) never
 * waits out a pause.
 *
 * @example
 * ```ts
 * await pauseUnlessAborted(1_000, this.abort.signal); // retry the receive a second later
 * ```
 */
export async function pauseUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    // Aborted: the poller is stopping.
  }
}
