import { functionContext, tableEnvironment } from '@quanta/runtime/config';
import { httpHandler } from '@quanta/runtime/http';
import { createFacadeRouter } from '@quanta/runtime/http/router';
import { DynamoDbProductRepository } from '../adapters/DynamoDbProductRepository';
import manifest from '../quantum';
import { ProductCatalog } from '../service/ProductCatalog';
import { facadeOperations } from './facadeOperations';

// Composition root of catalog's `facade` function (REST API, IAM-authorized): once per cold start.
const { observability, table } = functionContext(tableEnvironment, process.env);
const catalog = new ProductCatalog({ products: new DynamoDbProductRepository(table) });

/** `facade`: `POST /ops/GetProducts`, called by orders with SigV4. */
export const handler = httpHandler(createFacadeRouter(manifest.facade ?? [], facadeOperations(catalog)), {
  observability,
});
