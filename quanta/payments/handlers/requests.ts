import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  createObservability,
  isTracingAvailable,
  messageBatchHandler,
  parseEnvironment,
  replyQueueUrlsFrom,
  SqsReplySender,
} from '@quanta/runtime';
import { DynamoDbPaymentRepository } from '../adapters/DynamoDbPaymentRepository';
import { SimulatedCardProcessor } from '../adapters/SimulatedCardProcessor';
import payments from '../quantum';
import { PaymentService } from '../service/PaymentService';
import { createCardSafeLogger } from './createCardSafeLogger';
import { requestsEnvironmentSchema } from './paymentsEnvironment';
import { requestHandlers } from './requestHandlers';

// Composition root of payments' `requests` function (request queue consumer): once per cold start.
const processEnv = process.env;
const env = parseEnvironment(requestsEnvironmentSchema, processEnv);
const replyQueueUrls = replyQueueUrlsFrom(processEnv);
const observability = createObservability({
  serviceName: payments.name,
  tracingEnabled: isTracingAvailable(processEnv),
  logger: createCardSafeLogger(payments.name),
});
if (Object.keys(replyQueueUrls).length === 0) {
  // Legitimate when no registered quantum sends requests to payments (then nothing arrives either).
  observability.logger.warn('No REPLY_QUEUE_URL_<SENDER> is set: payments cannot answer any request');
}
const { tracer } = observability;
const service = new PaymentService({
  payments: new DynamoDbPaymentRepository({
    client: tracer.captureAWSv3Client(new DynamoDBClient({})),
    tableName: env.TABLE_NAME,
    ttlAttribute: env.TTL_ATTRIBUTE,
  }),
  processor: new SimulatedCardProcessor({ latencyMs: env.PROCESSOR_LATENCY_MS }),
  leaseSeconds: env.PAYMENT_LEASE_SECONDS,
  maxProcessingAttempts: env.PAYMENT_MAX_PROCESSING_ATTEMPTS,
});

/** `requests`: answers `AuthorizePayment` and `RefundPayment` from the request queue. */
export const handler = messageBatchHandler({
  handlers: requestHandlers({
    service,
    replies: new SqsReplySender({
      client: tracer.captureAWSv3Client(new SQSClient({})),
      replier: payments.name,
      replyQueueUrls,
    }),
    metrics: observability.metrics,
  }),
  observability,
});
