import { randomUUID } from 'node:crypto';
import {
  type CreateProductRequest,
  type GetProductsResponse,
  PriceChanged,
  ProductCreated,
  type ProductPage,
  ProductRenamed,
  type Product as ProductView,
  type UpdateProductRequest,
} from '@quanta/contracts/catalog';
import type { PageQuery } from '@quanta/contracts/common';
import type { AnyEventEnvelope } from '@quanta/contracts/envelope';
import { createEnvelope, type EnvelopeOrigin } from '@quanta/runtime/events';
import type { Product } from '../domain/Product';
import type { ProductRepository } from '../domain/ProductRepository';
import { ProductNotFoundError, ProductUpdateConflictError } from '../errors';

/**
 * Where a change comes from (the request, or the message that caused it), propagated into the events
 * it causes. `causationId` defaults to the correlation id: a client request is its own cause.
 */
type RequestOrigin = Pick<EnvelopeOrigin, 'correlationId' | 'causationId'>;

/** Dependencies and settings of {@link ProductCatalog}. */
interface ProductCatalogOptions {
  readonly products: ProductRepository;
  /** Clock. @default () => new Date() */
  readonly now?: () => Date;
  /** Product id generator. @default crypto.randomUUID */
  readonly newId?: () => string;
  /** Attempts of an update that keeps meeting a concurrent one. @default 3 */
  readonly maxUpdateAttempts?: number;
}

/**
 * catalog's product use cases: the public reads, the administrator's writes (each publishing its
 * event through the outbox in the same write) and the `GetProducts` facade. Depends only on the
 * {@link ProductRepository} port.
 *
 * @example
 * ```ts
 * const catalog = new ProductCatalog({ products });
 * const product = await catalog.create({ name: 'Mug', description: '', priceCents: 1200, currency: 'EUR', stock: 10 }, { correlationId });
 * await catalog.update(product.productId, { name: 'Big mug' }, { correlationId }); // ProductRenamed, version 2
 * ```
 */
export class ProductCatalog {
  readonly #o: Required<ProductCatalogOptions>;

  constructor(options: ProductCatalogOptions) {
    this.#o = { now: () => new Date(), newId: randomUUID, maxUpdateAttempts: 3, ...options };
  }

  /** Creates a product (version 1) and emits `ProductCreated`. */
  async create(request: CreateProductRequest, origin: RequestOrigin): Promise<ProductView> {
    const now = this.#o.now().toISOString();
    const product: Product = {
      productId: this.#o.newId(),
      name: request.name,
      description: request.description,
      priceCents: request.priceCents,
      currency: request.currency,
      stock: request.stock,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    const event = createEnvelope(
      ProductCreated,
      {
        productId: product.productId,
        name: product.name,
        priceCents: product.priceCents,
        currency: product.currency,
        stock: product.stock,
      },
      this.#origin(origin),
    );
    await this.#o.products.create(product, event);
    return productViewOf(product);
  }

  /** The product, or a 404 {@link ProductNotFoundError}. */
  async get(productId: string): Promise<ProductView> {
    return productViewOf(await this.#existing(productId));
  }

  /** A page of products in creation order; a bad cursor is a 400 `INVALID_CURSOR`. */
  async list(query: PageQuery): Promise<ProductPage> {
    const page = await this.#o.products.list({ limit: query.limit, cursor: query.cursor });
    return {
      items: page.items.map(productViewOf),
      ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
    };
  }

  /**
   * Renames and/or reprices a product. A real change bumps its version and emits `ProductRenamed`
   * and/or `PriceChanged` carrying that version; a no-op change writes nothing. Concurrent updates
   * are applied one after the other (optimistic concurrency on the version), never lost.
   */
  async update(
    productId: string,
    request: UpdateProductRequest,
    origin: RequestOrigin,
  ): Promise<ProductView> {
    for (let attempt = 1; attempt <= this.#o.maxUpdateAttempts; attempt++) {
      const current = await this.#existing(productId);
      const renamed = request.name !== undefined && request.name !== current.name;
      const repriced = request.priceCents !== undefined && request.priceCents !== current.priceCents;
      if (!renamed && !repriced) return productViewOf(current);
      const updated: Product = {
        ...current,
        name: request.name ?? current.name,
        priceCents: request.priceCents ?? current.priceCents,
        version: current.version + 1,
        updatedAt: this.#o.now().toISOString(),
      };
      const events: AnyEventEnvelope[] = [];
      if (renamed) {
        events.push(
          createEnvelope(
            ProductRenamed,
            { productId, name: updated.name, previousName: current.name, version: updated.version },
            this.#origin(origin),
          ),
        );
      }
      if (repriced) {
        events.push(
          createEnvelope(
            PriceChanged,
            {
              productId,
              priceCents: updated.priceCents,
              previousPriceCents: current.priceCents,
              currency: current.currency,
              version: updated.version,
            },
            this.#origin(origin),
          ),
        );
      }
      const result = await this.#o.products.update(productId, current.version, updated, events);
      if (result === 'UPDATED') return productViewOf(updated);
    }
    throw new ProductUpdateConflictError(productId, this.#o.maxUpdateAttempts);
  }

  /** Adds `quantity` units to a product's stock. */
  async restock(productId: string, quantity: number): Promise<ProductView> {
    const product = await this.#o.products.restock(productId, quantity, this.#o.now().toISOString());
    if (product === undefined) throw new ProductNotFoundError(productId);
    return productViewOf(product);
  }

  /**
   * The facade's `GetProducts`: name, price and available stock of the known products, in the order
   * asked (each once), and the ids that do not exist.
   */
  async getProducts(productIds: readonly string[]): Promise<GetProductsResponse> {
    const ids = [...new Set(productIds)];
    const found = new Map((await this.#o.products.getMany(ids)).map((p) => [p.productId, p]));
    const products: GetProductsResponse['products'] = [];
    const missing: string[] = [];
    for (const id of ids) {
      const p = found.get(id);
      if (p === undefined) missing.push(id);
      else
        products.push({
          productId: p.productId,
          name: p.name,
          priceCents: p.priceCents,
          currency: p.currency,
          available: p.stock,
        });
    }
    return { products, missing };
  }

  async #existing(productId: string): Promise<Product> {
    const product = await this.#o.products.get(productId);
    if (product === undefined) throw new ProductNotFoundError(productId);
    return product;
  }

  #origin(origin: RequestOrigin) {
    return { correlationId: origin.correlationId, causationId: origin.causationId };
  }
}

/** The public API's view of a product (the internal `version` stays inside catalog). */
function productViewOf(product: Product): ProductView {
  return {
    productId: product.productId,
    name: product.name,
    description: product.description,
    priceCents: product.priceCents,
    currency: product.currency,
    stock: product.stock,
    createdAt: product.createdAt,
    updatedAt: product.updatedAt,
  };
}
