import type { Message } from '@aws-sdk/client-sqs';

/** A message attribute as Lambda's SQS event spells it (binaries base64-encoded). */
export interface SqsEventMessageAttribute {
  readonly stringValue?: string;
  readonly binaryValue?: string;
  readonly stringListValues: readonly string[];
  readonly binaryListValues: readonly string[];
  readonly dataType: string;
}

/** One record of an `SQSEvent`, exactly as Lambda's event source mapping delivers it. */
export interface SqsEventRecord {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly messageAttributes: Readonly<Record<string, SqsEventMessageAttribute>>;
  readonly md5OfMessageAttributes?: string;
  readonly md5OfBody: string;
  readonly eventSource: 'aws:sqs';
  readonly eventSourceARN: string;
  readonly awsRegion: string;
}

/** The event a queue-triggered function receives. */
export interface SqsEvent {
  readonly Records: readonly SqsEventRecord[];
}

/** The system attributes Lambda copies into `attributes`, when the message has them. */
const SYSTEM_ATTRIBUTES = [
  'ApproximateReceiveCount',
  'SentTimestamp',
  'SenderId',
  'ApproximateFirstReceiveTimestamp',
  'SequenceNumber',
  'MessageGroupId',
  'MessageDeduplicationId',
  'AWSTraceHeader',
  'DeadLetterQueueSourceArn',
] as const;

/**
 * Turns a received SQS message into the record Lambda hands a function: camelCase fields,
 * system attributes as strings, message attributes with their list fields and base64 binaries,
 * `eventSource: 'aws:sqs'`, the queue ARN and region.
 *
 * @example
 * ```ts
 * const record = sqsEventRecordOf(message, 'arn:aws:sqs:eu-west-1:000000000000:inbox', 'eu-west-1');
 * record.attributes.ApproximateReceiveCount; // '1'
 * ```
 */
export function sqsEventRecordOf(message: Message, queueArn: string, region: string): SqsEventRecord {
  if (message.MessageId === undefined || message.ReceiptHandle === undefined) {
    throw new TypeError(`Received a message without id or receipt handle: ${JSON.stringify(message)}`);
  }
  const attributes: Record<string, string> = {};
  for (const name of SYSTEM_ATTRIBUTES) {
    const value = message.Attributes?.[name];
    if (value !== undefined) attributes[name] = value;
  }
  const messageAttributes: Record<string, SqsEventMessageAttribute> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
      ...(value.BinaryValue === undefined
        ? {}
        : { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
      dataType: value.DataType ?? 'String',
    };
  }
  return {
    messageId: message.MessageId,
    receiptHandle: message.ReceiptHandle,
    body: message.Body ?? '',
    attributes,
    messageAttributes,
    ...(message.MD5OfMessageAttributes === undefined
      ? {}
      : { md5OfMessageAttributes: message.MD5OfMessageAttributes }),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}
