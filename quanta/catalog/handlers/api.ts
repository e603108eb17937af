import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  createObservability,
  createRouter,
  httpHandler,
  isTracingAvailable,
  parseEnvironment,
} from '@quanta/runtime';
import { DynamoDbProductRepository } from '../adapters/DynamoDbProductRepository';
import catalog from '../quantum';
import { ProductCatalog } from '../service/ProductCatalog';
import { apiRoutes } from './apiRoutes';
import { apiEnvironmentSchema } from './catalogEnvironment';

// Composition root of catalog's `api` function: runs once per cold start.
const processEnv = process.env;
const env = parseEnvironment(apiEnvironmentSchema, processEnv);
const observability = createObservability({
  serviceName: catalog.name,
  tracingEnabled: isTracingAvailable(processEnv),
});
const products = new DynamoDbProductRepository({
  client: observability.tracer.captureAWSv3Client(new DynamoDBClient({})),
  tableName: env.TABLE_NAME,
  ttlAttribute: env.TTL_ATTRIBUTE,
});

/** `api`: catalog's public routes (list and get products; admin: create, update, restock). */
export const handler = httpHandler(
  createRouter(catalog.routes ?? [], apiRoutes(new ProductCatalog({ products }))),
  { observability },
);
