import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  createFacadeRouter,
  createObservability,
  httpHandler,
  isTracingAvailable,
  parseEnvironment,
} from '@quanta/runtime';
import { DynamoDbPaymentRepository } from '../adapters/DynamoDbPaymentRepository';
import payments from '../quantum';
import { PaymentLookup } from '../service/PaymentLookup';
import { createCardSafeLogger } from './createCardSafeLogger';
import { facadeOperations } from './facadeOperations';
import { facadeEnvironmentSchema } from './paymentsEnvironment';

// Composition root of payments' `facade` function (REST API, IAM-authorized): once per cold start.
const processEnv = process.env;
const env = parseEnvironment(facadeEnvironmentSchema, processEnv);
const observability = createObservability({
  serviceName: payments.name,
  tracingEnabled: isTracingAvailable(processEnv),
  logger: createCardSafeLogger(payments.name),
});
const lookup = new PaymentLookup(
  new DynamoDbPaymentRepository({
    client: observability.tracer.captureAWSv3Client(new DynamoDBClient({})),
    tableName: env.TABLE_NAME,
    ttlAttribute: env.TTL_ATTRIBUTE,
  }),
);

/** `facade`: `POST /ops/GetPayment`, called by orders with SigV4. */
export const handler = httpHandler(createFacadeRouter(payments.facade ?? [], facadeOperations(lookup)), {
  observability,
});
