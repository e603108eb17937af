import { functionContext } from '@quanta/runtime/config';
import { CircuitBreaker, FacadeClient } from '@quanta/runtime/facade';
import { httpHandler } from '@quanta/runtime/http';
import { createRouter } from '@quanta/runtime/http/router';
import { CatalogFacadeProducts } from '../adapters/CatalogFacadeProducts';
import { DynamoDbProductNameRepository } from '../adapters/DynamoDbProductNameRepository';
import orders from '../quantum';
import { OrderService } from '../service/OrderService';
import { apiEnvironment, sagaOf } from './environment';
import { routes } from './routes';

// Composition root of orders' `api` function: runs once per cold start.
const context = functionContext(apiEnvironment, process.env);
const { env } = context;
const catalog = new FacadeClient({
  target: 'catalog',
  baseUrl: env.FACADE_URL_CATALOG,
  region: env.AWS_REGION,
  timeoutMs: env.FACADE_TIMEOUT_MS,
  // Module scope on purpose: the breaker must remember failures across warm invocations.
  breaker: new CircuitBreaker({
    failureThreshold: env.FACADE_FAILURE_THRESHOLD,
    resetTimeoutMs: env.FACADE_RESET_TIMEOUT_MS,
  }),
});
const service = new OrderService({
  ...sagaOf(context),
  names: new DynamoDbProductNameRepository(context.table),
  catalog: new CatalogFacadeProducts(catalog),
  deadlineSeconds: env.ORDER_DEADLINE_SECONDS,
});

/** `api`: orders' public routes (place, get, list, cancel). */
export const handler = httpHandler(createRouter(orders.routes ?? [], routes(service)), {
  observability: context.observability,
});
