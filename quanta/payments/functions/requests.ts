import { SQSClient } from '@aws-sdk/client-sqs';
import { messageBatchHandler, replyQueueUrlsFrom, SqsReplySender } from '@quanta/runtime/messaging';
import { DynamoDbPaymentRepository } from '../adapters/DynamoDbPaymentRepository';
import { SimulatedCardProcessor } from '../adapters/SimulatedCardProcessor';
import { PaymentService } from '../service/PaymentService';
import { cardSafeContext, requestsEnvironment } from './environment';
import { messages } from './messages';

// Composition root of payments' `requests` function (request queue consumer): once per cold start.
const { env, observability, table } = cardSafeContext(requestsEnvironment, process.env);
const replyQueueUrls = replyQueueUrlsFrom(process.env);
if (Object.keys(replyQueueUrls).length === 0) {
  // Legitimate when no registered quantum sends requests to payments (then nothing arrives either).
  observability.logger.warn('No REPLY_QUEUE_URL_<SENDER> is set: payments cannot answer any request');
}
const service = new PaymentService({
  payments: new DynamoDbPaymentRepository(table),
  processor: new SimulatedCardProcessor({ latencyMs: env.PROCESSOR_LATENCY_MS }),
  leaseSeconds: env.PAYMENT_LEASE_SECONDS,
  maxProcessingAttempts: env.PAYMENT_MAX_PROCESSING_ATTEMPTS,
});
const replies = new SqsReplySender({
  client: observability.awsClient(new SQSClient({})),
  replier: env.QUANTUM,
  replyQueueUrls,
});

/** `requests`: answers `AuthorizePayment` and `RefundPayment` from the request queue. */
export const handler = messageBatchHandler({
  handlers: messages({ service, replies, metrics: observability.metrics }),
  observability,
});
