import { ProductRenamed } from '@quanta/contracts/catalog';
import { functionContext, tableEnvironment } from '@quanta/runtime/config';
import { sqsBatchHandler } from '@quanta/runtime/messaging';
import { DynamoDbProductNameRepository } from '../adapters/DynamoDbProductNameRepository';

// Composition root of orders' `productRenamed` function (inbox of catalog.ProductRenamed): once per cold start.
const { observability, table } = functionContext(tableEnvironment, process.env);
const names = new DynamoDbProductNameRepository(table);

/** `productRenamed`: keeps orders' copy of product names current (versioned, so idempotent and order-safe). */
export const handler = sqsBatchHandler({
  parse: ProductRenamed.envelope,
  handle: async ({ data }) => {
    await names.rename(data.productId, data.name, data.version);
  },
  observability,
});
