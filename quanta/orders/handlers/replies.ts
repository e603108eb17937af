import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  createObservability,
  isTracingAvailable,
  messageBatchHandler,
  parseEnvironment,
} from '@quanta/runtime';
import orders from '../quantum';
import { buildSaga } from './buildSaga';
import { repliesEnvironmentSchema } from './ordersEnvironment';
import { replyHandlers } from './replyHandlers';

// Composition root of orders' `replies` function (its reply queue): once per cold start.
const processEnv = process.env;
const env = parseEnvironment(repliesEnvironmentSchema, processEnv);
const observability = createObservability({
  serviceName: orders.name,
  tracingEnabled: isTracingAvailable(processEnv),
});
const { tracer, logger } = observability;
const { saga } = buildSaga(
  env,
  {
    dynamodb: tracer.captureAWSv3Client(new DynamoDBClient({})),
    sqs: tracer.captureAWSv3Client(new SQSClient({})),
    kms: () => tracer.captureAWSv3Client(new KMSClient({})),
  },
  logger,
);

/** `replies`: the saga's steps, driven by catalog's and payments' replies. */
export const handler = messageBatchHandler({ handlers: replyHandlers(saga), observability });
