import { randomUUID } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

/** An SQS record as the event source mapping delivers it, with `body` as the message body. */
export function sqsRecord(body: unknown): SQSRecord {
  return {
    messageId: randomUUID(),
    receiptHandle: 'handle',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: 'AIDA',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:111111111111:quanta-chat-inbox',
    awsRegion: 'eu-west-1',
  };
}

/** An SQS event of `bodies` (objects are JSON-encoded). */
export function sqsEvent(...bodies: unknown[]): SQSEvent {
  return { Records: bodies.map((b) => sqsRecord(b)) };
}

/** An EventBridge event as an SQS rule target delivers it (the message body), around an envelope. */
export function eventBridgeBody(envelope: {
  readonly type: string;
  readonly source: string;
}): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': envelope.type,
    source: envelope.source,
    account: '111111111111',
    time: new Date().toISOString(),
    region: 'eu-west-1',
    resources: [],
    detail: envelope,
  };
}
