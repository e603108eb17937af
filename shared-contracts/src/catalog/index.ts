export type {
  CreateProductRequest,
  Product,
  ProductPage,
  RestockRequest,
  UpdateProductRequest,
} from './api';
export {
  createProductRequestSchema,
  productPageSchema,
  productSchema,
  restockRequestSchema,
  updateProductRequestSchema,
} from './api';
export { PriceChanged, ProductCreated, ProductRenamed, StockDepleted } from './events';
export type { GetProductsRequest, GetProductsResponse } from './facade';
export { getProductsRequestSchema, getProductsResponseSchema } from './facade';
export { ReleaseStock, ReserveStock, StockReleased, StockReserved, StockUnavailable } from './requests';
