import type { AnyEventEnvelope } from '@quanta/contracts/envelope';
import type { Product } from '../../domain/Product';
import type { ProductChanges, ProductListPage, ProductRepository } from '../../domain/ProductRepository';
import { InvalidCursorError } from '../../errors';

/** In-memory {@link ProductRepository} for service tests; `outbox` collects the events it was given. */
export class InMemoryProductRepository implements ProductRepository {
  readonly products = new Map<string, Product>();
  readonly outbox: AnyEventEnvelope[] = [];
  /** Called before each update is applied (lets a test slip in a concurrent change). */
  beforeUpdate: (productId: string) => void = () => undefined;

  async create(product: Product, event: AnyEventEnvelope): Promise<void> {
    if (this.products.has(product.productId)) throw new Error(`duplicate product ${product.productId}`);
    this.products.set(product.productId, product);
    this.outbox.push(event);
  }

  async get(productId: string): Promise<Product | undefined> {
    return this.products.get(productId);
  }

  async getMany(productIds: readonly string[]): Promise<Product[]> {
    return productIds.flatMap((id) => this.products.get(id) ?? []);
  }

  async list(page: { readonly limit: number; readonly cursor?: string }): Promise<ProductListPage> {
    const sorted = [...this.products.values()].sort((a, b) =>
      `${a.createdAt}#${a.productId}`.localeCompare(`${b.createdAt}#${b.productId}`),
    );
    let start = 0;
    if (page.cursor !== undefined) {
      start = sorted.findIndex((p) => p.productId === page.cursor) + 1;
      if (start === 0) throw new InvalidCursorError(page.cursor);
    }
    const items = sorted.slice(start, start + page.limit);
    const last = items.at(-1);
    return start + page.limit < sorted.length && last !== undefined
      ? { items, nextCursor: last.productId }
      : { items };
  }

  async update(
    productId: string,
    expectedVersion: number,
    changes: ProductChanges,
    events: readonly AnyEventEnvelope[],
  ): Promise<'UPDATED' | 'STALE'> {
    this.beforeUpdate(productId);
    const current = this.products.get(productId);
    if (current === undefined || current.version !== expectedVersion) return 'STALE';
    this.products.set(productId, { ...current, ...changes });
    this.outbox.push(...events);
    return 'UPDATED';
  }

  async restock(productId: string, quantity: number, updatedAt: string): Promise<Product | undefined> {
    const current = this.products.get(productId);
    if (current === undefined) return undefined;
    const updated = { ...current, stock: current.stock + quantity, updatedAt };
    this.products.set(productId, updated);
    return updated;
  }
}
