import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  createFacadeRouter,
  createObservability,
  httpHandler,
  isTracingAvailable,
  parseEnvironment,
} from '@quanta/runtime';
import { DynamoDbProductRepository } from '../adapters/DynamoDbProductRepository';
import catalog from '../quantum';
import { ProductCatalog } from '../service/ProductCatalog';
import { facadeEnvironmentSchema } from './catalogEnvironment';
import { facadeOperations } from './facadeOperations';

// Composition root of catalog's `facade` function (REST API, IAM-authorized): once per cold start.
const processEnv = process.env;
const env = parseEnvironment(facadeEnvironmentSchema, processEnv);
const observability = createObservability({
  serviceName: catalog.name,
  tracingEnabled: isTracingAvailable(processEnv),
});
const products = new DynamoDbProductRepository({
  client: observability.tracer.captureAWSv3Client(new DynamoDBClient({})),
  tableName: env.TABLE_NAME,
  ttlAttribute: env.TTL_ATTRIBUTE,
});

/** `facade`: `POST /ops/GetProducts`, called by orders with SigV4. */
export const handler = httpHandler(
  createFacadeRouter(catalog.facade ?? [], facadeOperations(new ProductCatalog({ products }))),
  { observability },
);
