import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  CircuitBreaker,
  createObservability,
  createRouter,
  FacadeClient,
  httpHandler,
  isTracingAvailable,
  parseEnvironment,
} from '@quanta/runtime';
import { CatalogFacadeProducts } from '../adapters/CatalogFacadeProducts';
import { DynamoDbProductNameRepository } from '../adapters/DynamoDbProductNameRepository';
import orders from '../quantum';
import { OrderService } from '../service/OrderService';
import { apiRoutes } from './apiRoutes';
import { buildSaga } from './buildSaga';
import { apiEnvironmentSchema } from './ordersEnvironment';

// Composition root of orders' `api` function: runs once per cold start.
const processEnv = process.env;
const env = parseEnvironment(apiEnvironmentSchema, processEnv);
const observability = createObservability({
  serviceName: orders.name,
  tracingEnabled: isTracingAvailable(processEnv),
});
const { tracer, logger } = observability;
const dynamodb = tracer.captureAWSv3Client(new DynamoDBClient({}));
const wiring = buildSaga(
  env,
  {
    dynamodb,
    sqs: tracer.captureAWSv3Client(new SQSClient({})),
    kms: () => tracer.captureAWSv3Client(new KMSClient({})),
  },
  logger,
);
// Module scope on purpose: the breaker must remember failures across warm invocations.
const catalogBreaker = new CircuitBreaker({
  failureThreshold: env.FACADE_FAILURE_THRESHOLD,
  resetTimeoutMs: env.FACADE_RESET_TIMEOUT_MS,
});
const service = new OrderService({
  orders: wiring.orders,
  names: new DynamoDbProductNameRepository({ client: dynamodb, tableName: env.TABLE_NAME }),
  catalog: new CatalogFacadeProducts(
    new FacadeClient({
      target: 'catalog',
      baseUrl: env.FACADE_URL_CATALOG,
      region: env.AWS_REGION,
      timeoutMs: env.FACADE_TIMEOUT_MS,
      breaker: catalogBreaker,
    }),
  ),
  vault: wiring.vault,
  saga: wiring.saga,
  deadlineSeconds: env.ORDER_DEADLINE_SECONDS,
});

/** `api`: orders' public routes (place, get, list, cancel). */
export const handler = httpHandler(createRouter(orders.routes ?? [], apiRoutes(service)), { observability });
