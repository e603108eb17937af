import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ProductRenamed } from '@quanta/contracts';
import { createObservability, isTracingAvailable, parseEnvironment, sqsBatchHandler } from '@quanta/runtime';
import { DynamoDbProductNameRepository } from '../adapters/DynamoDbProductNameRepository';
import orders from '../quantum';
import { ProductRenames } from '../service/ProductRenames';
import { productRenamedEnvironmentSchema } from './ordersEnvironment';

// Composition root of orders' `productRenamed` function (inbox of catalog.ProductRenamed): once per cold start.
const processEnv = process.env;
const env = parseEnvironment(productRenamedEnvironmentSchema, processEnv);
const observability = createObservability({
  serviceName: orders.name,
  tracingEnabled: isTracingAvailable(processEnv),
});
const renames = new ProductRenames(
  new DynamoDbProductNameRepository({
    client: observability.tracer.captureAWSv3Client(new DynamoDBClient({})),
    tableName: env.TABLE_NAME,
  }),
);

/** `productRenamed`: keeps orders' copy of product names current (versioned, so idempotent and order-safe). */
export const handler = sqsBatchHandler({
  parse: ProductRenamed.envelope,
  handle: async (event) => {
    await renames.apply(event.data);
  },
  observability,
});
