import type { QuantumManifest } from '@quanta/runtime/manifest';
import { DEFAULT_PREFIX, namesOf } from '@quanta/runtime/manifest';
import { functionIdOf } from '../lambda/FunctionInvoker';
import type { QueueBinding } from './QueueSpec';

/**
 * The queues `manifest` consumes, each with its DLQ and the function that consumes it: one inbox
 * per subscription, the request queue (request handlers), the reply queue (reply handler). The
 * visibility timeout is 6 x the function's timeout, AWS's advice for queues behind Lambda, so a
 * slow invocation never lets its messages reappear while it still runs.
 *
 * @example
 * ```ts
 * queueBindingsOf(platform).map((b) => b.queue.name); // ['quanta-platform-session-revoked']
 * ```
 */
export function queueBindingsOf(manifest: QuantumManifest, prefix: string = DEFAULT_PREFIX): QueueBinding[] {
  const names = namesOf(manifest.name, prefix);
  const visibilityOf = (fn: string): number => 6 * (manifest.functions[fn]?.timeoutSeconds ?? 10);
  const bindings: QueueBinding[] = [];
  for (const subscription of manifest.subscriptions ?? []) {
    bindings.push({
      queue: {
        name: names.inbox(subscription.id),
        visibilityTimeoutSeconds: visibilityOf(subscription.function),
        deadLetter: {
          maxReceiveCount: subscription.maxReceiveCount ?? 5,
          name: names.dlq(names.inbox(subscription.id)),
        },
      },
      functionId: functionIdOf(manifest.name, subscription.function),
      batchSize: subscription.batchSize ?? 10,
      maxBatchingWindowSeconds: subscription.maxBatchingWindowSeconds ?? 0,
    });
  }
  const requestFunction = manifest.requestHandlers?.[0]?.function;
  if (requestFunction !== undefined) {
    bindings.push({
      queue: {
        name: names.requestQueue,
        visibilityTimeoutSeconds: visibilityOf(requestFunction),
        deadLetter: { maxReceiveCount: 5, name: names.dlq(names.requestQueue) },
      },
      functionId: functionIdOf(manifest.name, requestFunction),
      batchSize: 10,
      maxBatchingWindowSeconds: 0,
    });
  }
  if (manifest.replyHandler !== undefined) {
    bindings.push({
      queue: {
        name: names.replyQueue,
        visibilityTimeoutSeconds: visibilityOf(manifest.replyHandler),
        deadLetter: { maxReceiveCount: 5, name: names.dlq(names.replyQueue) },
      },
      functionId: functionIdOf(manifest.name, manifest.replyHandler),
      batchSize: 10,
      maxBatchingWindowSeconds: 0,
    });
  }
  return bindings;
}
