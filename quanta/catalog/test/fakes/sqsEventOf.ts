import type { SQSEvent } from 'aws-lambda';

/**
 * An SQS event as Lambda's event source mapping delivers it, one record per body.
 *
 * @example
 * ```ts
 * await handler(sqsEventOf([JSON.stringify(envelope)]), lambdaContext());
 * ```
 */
export function sqsEventOf(bodies: readonly string[], receiveCount = 1): SQSEvent {
  return {
    Records: bodies.map((body, i) => ({
      messageId: `m${i}-${Math.random().toString(36).slice(2, 8)}`,
      receiptHandle: `rh${i}`,
      body,
      attributes: {
        ApproximateReceiveCount: String(receiveCount),
        SentTimestamp: String(Date.now()),
        SenderId: 'AIDA',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:111111111111:quanta-catalog-requests',
      awsRegion: 'eu-west-1',
    })),
  };
}
