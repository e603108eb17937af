import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { MessagingError } from '../errors';

/**
 * Puts one request or reply envelope on a queue (body = the envelope as JSON, `type` as a message
 * attribute for filtering and tooling). A refusal becomes a {@link MessagingError} naming `what`.
 *
 * @example
 * ```ts
 * await sendEnvelope(client, queueUrl, envelope, 'ReserveStock to catalog');
 * ```
 */
export async function sendEnvelope(
  client: SQSClient,
  queueUrl: string,
  envelope: { readonly type: string },
  what: string,
): Promise<void> {
  try {
    await client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify(envelope),
        MessageAttributes: { type: { DataType: 'String', StringValue: envelope.type } },
      }),
    );
  } catch (cause) {
    throw new MessagingError(`Sending ${what} failed`, { cause });
  }
}
