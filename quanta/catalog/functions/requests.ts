import { SQSClient } from '@aws-sdk/client-sqs';
import * as z from '@quanta/contracts/zod';
import { functionContext, tableEnvironment } from '@quanta/runtime/config';
import { messageBatchHandler, replyQueueUrlsFrom, SqsReplySender } from '@quanta/runtime/messaging';
import { DynamoDbStockLedger } from '../adapters/DynamoDbStockLedger';
import { StockReservations } from '../service/StockReservations';
import { requestHandlers } from './requestHandlers';

/**
 * Environment of catalog's `requests` function (set by the CDK stack and the local cloud from the
 * manifest). Its reply queues (`REPLY_QUEUE_URL_<SENDER>`) are read with the runtime's `replyQueueUrlsFrom`.
 */
const requestsEnvironment = z.extend(tableEnvironment, {
  /**
   * Seconds to keep released and refused reservations (override per deployment in cdk.json
   * `quanta:environment`). They must outlive every copy of a request for the order: at least the
   * request queue's retention (14 days at most). @default 30 days
   */
  RESERVATION_RETENTION_SECONDS: z._default(
    z.coerce.number().check(z.int(), z.minimum(14 * 24 * 3600)),
    30 * 24 * 3600,
  ),
});

// Composition root of catalog's `requests` function (its request queue): once per cold start.
const { env, observability, table } = functionContext(requestsEnvironment, process.env);
const replyQueueUrls = replyQueueUrlsFrom(process.env);
if (Object.keys(replyQueueUrls).length === 0) {
  // Not fatal (nobody may be registered to send yet), but every reply would fail: say so once.
  observability.logger.warn('No REPLY_QUEUE_URL_<SENDER> is set: replies to requests will fail');
}
const reservations = new StockReservations({
  ledger: new DynamoDbStockLedger(table, { retentionSeconds: env.RESERVATION_RETENTION_SECONDS }),
});
const replies = new SqsReplySender({
  client: observability.awsClient(new SQSClient({})),
  replier: env.QUANTUM,
  replyQueueUrls,
});

/** `requests`: answers ReserveStock and ReleaseStock from catalog's request queue. */
export const handler = messageBatchHandler({
  handlers: requestHandlers(reservations, replies),
  observability,
});
