import { setTimeout as sleep } from 'node:timers/promises';
import type { MessageAttributeValue, SQSClient } from '@aws-sdk/client-sqs';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { TargetDeliveryError } from './errors';

/** What one delivery needs to know. */
export interface TargetDelivery {
  /** The event JSON, sent as the message body. */
  readonly body: string;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl?: string;
  readonly ruleArn: string;
  readonly targetArn: string;
  /** Retries after the first failed attempt. */
  readonly maximumRetryAttempts: number;
}

/** Backoff between attempts: exponential from `baseDelayMs`, capped at `maxDelayMs`, full jitter. */
export interface RetryBackoff {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** How a delivery ended. `undeliverable`: neither the target nor the DLQ took the event. */
export type DeliveryOutcome =
  | { readonly kind: 'delivered'; readonly attempts: number }
  | { readonly kind: 'dead-lettered'; readonly attempts: number; readonly error: TargetDeliveryError }
  | {
      readonly kind: 'undeliverable';
      readonly attempts: number;
      readonly error: TargetDeliveryError;
      readonly deadLetterError?: TargetDeliveryError;
    };

/**
 * Delivers one event to one SQS target like EventBridge: retryable failures are retried with
 * exponential backoff and jitter; a failure AWS does not retry (missing queue, no permission), or
 * the last retry, sends the event to the target's DLQ with AWS's attributes (`RULE_ARN`,
 * `TARGET_ARN`, `ERROR_CODE`, `ERROR_MESSAGE`, `RETRY_ATTEMPTS`, and `EXHAUSTED_RETRY_CONDITION`
 * when retries ran out). Never rejects: the outcome says where the event ended up.
 *
 * @example
 * const outcome = await deliverToTarget(sender, { body, queueUrl, deadLetterQueueUrl, ruleArn, targetArn,
 *   maximumRetryAttempts: 2 }, { baseDelayMs: 50, maxDelayMs: 1000 });
 * if (outcome.kind === 'undeliverable') keepForInspection(outcome);
 */
export async function deliverToTarget(
  sender: QueueSender,
  delivery: TargetDelivery,
  backoff: RetryBackoff,
): Promise<DeliveryOutcome> {
  let attempts = 0;
  let lastError: TargetDeliveryError;
  for (;;) {
    attempts++;
    try {
      await sender.send({ queueUrl: delivery.queueUrl, body: delivery.body });
      return { kind: 'delivered', attempts };
    } catch (error) {
      lastError = asDeliveryError(error);
    }
    if (!lastError.retryable || attempts > delivery.maximumRetryAttempts) break;
    const ceiling = Math.min(backoff.maxDelayMs, backoff.baseDelayMs * 2 ** (attempts - 1));
    await sleep(Math.random() * ceiling);
  }

  if (delivery.deadLetterQueueUrl === undefined) return { kind: 'undeliverable', attempts, error: lastError };
  const attributes: Record<string, string> = {
    RULE_ARN: delivery.ruleArn,
    TARGET_ARN: delivery.targetArn,
    ERROR_CODE: lastError.errorCode,
    ERROR_MESSAGE: lastError.message,
    RETRY_ATTEMPTS: String(attempts - 1),
  };
  if (lastError.retryable) attributes.EXHAUSTED_RETRY_CONDITION = 'MaximumRetryAttempts';
  try {
    await sender.send({ queueUrl: delivery.deadLetterQueueUrl, body: delivery.body, attributes });
    return { kind: 'dead-lettered', attempts, error: lastError };
  } catch (error) {
    return { kind: 'undeliverable', attempts, error: lastError, deadLetterError: asDeliveryError(error) };
  }
}

/** One message for an SQS queue. */
export interface QueueMessage {
  readonly queueUrl: string;
  readonly body: string;
  /** String message attributes (the DLQ envelope uses them). */
  readonly attributes?: Readonly<Record<string, string>>;
}

/**
 * The port through which the bus hands events to SQS targets and DLQs. Production wiring uses
 * `SqsQueueSender` (the real SQS client against fauxqs); tests may inject failures.
 */
export interface QueueSender {
  /**
   * Sends one message; resolves once the queue has accepted it.
   * @throws {TargetDeliveryError} saying whether the failure is worth retrying.
   */
  send(message: QueueMessage): Promise<void>;
}

// Failures AWS does not retry: the target is gone or EventBridge may not write to it.
const NOT_RETRIED: Readonly<Record<string, string>> = {
  QueueDoesNotExist: 'NO_RESOURCE',
  'AWS.SimpleQueueService.NonExistentQueue': 'NO_RESOURCE',
  AccessDenied: 'NO_PERMISSIONS',
  AccessDeniedException: 'NO_PERMISSIONS',
  KMSAccessDeniedException: 'NO_PERMISSIONS',
};

/**
 * Sends through a real `@aws-sdk/client-sqs` client (pointed at fauxqs locally), translating SDK
 * errors into {@link TargetDeliveryError}s.
 *
 * @example
 * const sender = new SqsQueueSender(new SQSClient({ endpoint: fauxqs.address, region: 'us-east-1' }));
 */
export class SqsQueueSender implements QueueSender {
  readonly #client: SQSClient;

  constructor(client: SQSClient) {
    this.#client = client;
  }

  async send(message: QueueMessage): Promise<void> {
    const attributes: Record<string, MessageAttributeValue> = {};
    for (const [name, value] of Object.entries(message.attributes ?? {})) {
      attributes[name] = { DataType: 'String', StringValue: value };
    }
    try {
      await this.#client.send(
        new SendMessageCommand({
          QueueUrl: message.queueUrl,
          MessageBody: message.body,
          ...(Object.keys(attributes).length > 0 ? { MessageAttributes: attributes } : {}),
        }),
      );
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      const reason = error instanceof Error ? error.message : String(error);
      const code = NOT_RETRIED[name];
      throw new TargetDeliveryError(
        code ?? 'SDK_CLIENT_ERROR',
        `SendMessage to ${message.queueUrl} failed: ${name}: ${reason}`,
        code === undefined,
        { cause: error },
      );
    }
  }
}

function asDeliveryError(error: unknown): TargetDeliveryError {
  if (error instanceof TargetDeliveryError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new TargetDeliveryError('SDK_CLIENT_ERROR', message, true, { cause: error });
}
