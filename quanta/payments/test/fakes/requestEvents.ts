import { randomUUID } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

/** Options of {@link requestEnvelope}. */
export interface RequestEnvelopeInput<P = unknown> {
  readonly type: 'AuthorizePayment' | 'RefundPayment' | (string & {});
  readonly payload: P;
  readonly messageId?: string;
  readonly correlationId?: string;
  /** @default one minute from now */
  readonly deadline?: Date;
  readonly version?: number;
}

/** A request envelope as orders would send it. */
export function requestEnvelope<P>(input: RequestEnvelopeInput<P>) {
  return {
    messageId: input.messageId ?? randomUUID(),
    correlationId: input.correlationId ?? `corr-${randomUUID()}`,
    replyTo: 'orders',
    deadline: (input.deadline ?? new Date(Date.now() + 60_000)).toISOString(),
    type: input.type,
    version: input.version ?? 1,
    payload: input.payload,
  };
}

/** An `AuthorizePayment` envelope for `orderId` with `number`. */
export function authorizeRequest(
  orderId: string,
  number: string,
  options: Omit<RequestEnvelopeInput, 'type' | 'payload'> & { amountCents?: number } = {},
) {
  return requestEnvelope({
    ...options,
    type: 'AuthorizePayment',
    payload: { orderId, amountCents: options.amountCents ?? 1999, currency: 'EUR', card: { number } },
  });
}

/** A `RefundPayment` envelope for `orderId`. */
export function refundRequest(orderId: string, options: Omit<RequestEnvelopeInput, 'type' | 'payload'> = {}) {
  return requestEnvelope({ ...options, type: 'RefundPayment', payload: { orderId } });
}

/**
 * One SQS record whose body is `body` (JSON-encoded unless a string), delivered `receiveCount`
 * times; pass the same `messageId` to simulate a redelivery of one message.
 */
export function sqsRecord(body: unknown, receiveCount = 1, messageId: string = randomUUID()): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: String(Date.now()),
      SenderId: 'AROAEXAMPLE',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:111111111111:quanta-payments-requests',
    awsRegion: 'eu-west-1',
  };
}

/** An SQS event with `records`. */
export function sqsEvent(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}
