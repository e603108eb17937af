import type { SQSClient } from '@aws-sdk/client-sqs';
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { QueueProvisioningError } from './errors';

/** A queue the local cloud creates. */
export interface QueueSpec {
  readonly name: string;
  /** @default 30 (SQS's default) */
  readonly visibilityTimeoutSeconds?: number;
  /** FIFO queue (the name must end in `.fifo`). @default false */
  readonly fifo?: boolean;
  /** A DLQ receiving the messages received more than `maxReceiveCount` times. */
  readonly deadLetter?: {
    readonly maxReceiveCount: number;
    /** @default `<name>-dlq` (`<base>-dlq.fifo` for a FIFO queue), as `ResourceNames.dlq` */
    readonly name?: string;
  };
}

/** A queue consumed by a function through an event source mapping. */
export interface QueueBinding {
  readonly queue: QueueSpec;
  readonly functionId: string;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
}

/** A created (or found) queue. */
export interface ProvisionedQueue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly deadLetter?: { readonly name: string; readonly url: string; readonly arn: string };
}

/**
 * Creates `spec`'s DLQ (if any), then the queue with a `RedrivePolicy` pointing at it. Uses only
 * the SQS API, so it provisions fauxqs, LocalStack or a real account alike; `CreateQueue` is
 * idempotent for equal attributes.
 *
 * @example
 * ```ts
 * const inbox = await ensureQueue(sqs, { name: 'quanta-platform-session-revoked', deadLetter: { maxReceiveCount: 5 } });
 * inbox.deadLetter?.url; // '.../quanta-platform-session-revoked-dlq'
 * ```
 */
export async function ensureQueue(client: SQSClient, spec: QueueSpec): Promise<ProvisionedQueue> {
  const fifo = spec.fifo ?? false;
  if (fifo !== spec.name.endsWith('.fifo')) {
    throw new QueueProvisioningError(
      `Queue '${spec.name}': a FIFO queue's name must end in .fifo, and only a FIFO queue's`,
    );
  }
  const fifoAttributes: Record<string, string> = fifo ? { FifoQueue: 'true' } : {};
  let deadLetter: ProvisionedQueue['deadLetter'];
  if (spec.deadLetter !== undefined) {
    const dlqName =
      spec.deadLetter.name ?? (fifo ? `${spec.name.slice(0, -'.fifo'.length)}-dlq.fifo` : `${spec.name}-dlq`);
    const dlq = await create(client, dlqName, { ...fifoAttributes, MessageRetentionPeriod: '1209600' });
    deadLetter = { name: dlqName, ...dlq };
  }
  const attributes: Record<string, string> = {
    ...fifoAttributes,
    ...(spec.visibilityTimeoutSeconds === undefined
      ? {}
      : { VisibilityTimeout: String(spec.visibilityTimeoutSeconds) }),
    ...(deadLetter === undefined || spec.deadLetter === undefined
      ? {}
      : {
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: deadLetter.arn,
            maxReceiveCount: spec.deadLetter.maxReceiveCount,
          }),
        }),
  };
  const queue = await create(client, spec.name, attributes);
  return { name: spec.name, ...queue, ...(deadLetter === undefined ? {} : { deadLetter }) };
}

async function create(
  client: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<{ url: string; arn: string }> {
  try {
    const { QueueUrl: url } = await client.send(
      new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
    );
    if (url === undefined) throw new Error('CreateQueue returned no QueueUrl');
    const { Attributes: read } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
    );
    const arn = read?.QueueArn;
    if (arn === undefined) throw new Error('GetQueueAttributes returned no QueueArn');
    return { url, arn };
  } catch (cause) {
    throw new QueueProvisioningError(`Could not create queue '${name}': ${(cause as Error).message}`, {
      cause,
    });
  }
}
