import { functionContext, tableEnvironment } from '@quanta/runtime/config';
import { httpHandler } from '@quanta/runtime/http';
import { createRouter } from '@quanta/runtime/http/router';
import { DynamoDbProductRepository } from '../adapters/DynamoDbProductRepository';
import manifest from '../quantum';
import { ProductCatalog } from '../service/ProductCatalog';
import { routes } from './routes';

// Composition root of catalog's `api` function: runs once per cold start.
const { observability, table } = functionContext(tableEnvironment, process.env);
const catalog = new ProductCatalog({ products: new DynamoDbProductRepository(table) });

/** `api`: catalog's public routes (list and get products; admin: create, update, restock). */
export const handler = httpHandler(createRouter(manifest.routes ?? [], routes(catalog)), { observability });
