import type { MessageAttributeValue, SQSClient } from '@aws-sdk/client-sqs';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { TargetDeliveryError } from './errors';
import type { QueueMessage, QueueSender } from './QueueSender';

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
