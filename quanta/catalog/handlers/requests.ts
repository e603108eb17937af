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
import { DynamoDbStockLedger } from '../adapters/DynamoDbStockLedger';
import catalog from '../quantum';
import { StockReservations } from '../service/StockReservations';
import { requestsEnvironmentSchema } from './catalogEnvironment';
import { requestHandlers } from './requestHandlers';

// Composition root of catalog's `requests` function (its request queue): once per cold start.
const processEnv = process.env;
const env = parseEnvironment(requestsEnvironmentSchema, processEnv);
const observability = createObservability({
  serviceName: catalog.name,
  tracingEnabled: isTracingAvailable(processEnv),
});
const { tracer } = observability;
const replyQueueUrls = replyQueueUrlsFrom(processEnv);
if (Object.keys(replyQueueUrls).length === 0) {
  // Not fatal (nobody may be registered to send yet), but every reply would fail: say so once.
  observability.logger.warn('No REPLY_QUEUE_URL_<SENDER> is set: replies to requests will fail');
}
const reservations = new StockReservations({
  ledger: new DynamoDbStockLedger({
    client: tracer.captureAWSv3Client(new DynamoDBClient({})),
    tableName: env.TABLE_NAME,
    ttlAttribute: env.TTL_ATTRIBUTE,
    retentionSeconds: env.RESERVATION_RETENTION_SECONDS,
  }),
});
const replies = new SqsReplySender({
  client: tracer.captureAWSv3Client(new SQSClient({})),
  replier: catalog.name,
  replyQueueUrls,
});

/** `requests`: answers ReserveStock and ReleaseStock from catalog's request queue. */
export const handler = messageBatchHandler({
  handlers: requestHandlers(reservations, replies),
  observability,
});
