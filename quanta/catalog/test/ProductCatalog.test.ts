import { PriceChanged, ProductCreated, ProductRenamed } from '@quanta/contracts/catalog';
import { describe, expect, it } from 'vitest';
import { InvalidCursorError, ProductNotFoundError, ProductUpdateConflictError } from '../errors';
import { ProductCatalog } from '../service/ProductCatalog';
import { InMemoryProductRepository } from './fakes/InMemoryProductRepository';

const origin = { correlationId: 'corr-1' };
const mug = { name: 'Mug', description: 'A mug', priceCents: 1200, currency: 'EUR', stock: 10 };

function setup() {
  const products = new InMemoryProductRepository();
  let ids = 0;
  let clock = Date.parse('2026-01-01T00:00:00.000Z');
  const catalog = new ProductCatalog({
    products,
    newId: () => `p${++ids}`,
    now: () => {
      clock += 1000;
      return new Date(clock);
    },
  });
  return { products, catalog };
}

describe('ProductCatalog.create', () => {
  it('stores the product at version 1 and emits ProductCreated with the correlation id', async () => {
    // Arrange
    const { catalog, products } = setup();

    // Act
    const product = await catalog.create(mug, origin);

    // Assert
    expect(product).toEqual({
      productId: 'p1',
      ...mug,
      createdAt: '2026-01-01T00:00:01.000Z',
      updatedAt: '2026-01-01T00:00:01.000Z',
    });
    expect(products.products.get('p1')?.version).toBe(1);
    const event = ProductCreated.envelope.parse(products.outbox[0]);
    expect(event.data).toEqual({
      productId: 'p1',
      name: 'Mug',
      priceCents: 1200,
      currency: 'EUR',
      stock: 10,
    });
    expect(event.correlationId).toBe('corr-1');
  });
});

describe('ProductCatalog.get', () => {
  it('rejects an unknown product with ProductNotFoundError', async () => {
    // Arrange
    const { catalog } = setup();

    // Act
    const result = catalog.get('nope');

    // Assert
    await expect(result).rejects.toBeInstanceOf(ProductNotFoundError);
  });
});

describe('ProductCatalog.update', () => {
  it('renames with ProductRenamed carrying the previous name and the next version', async () => {
    // Arrange
    const { catalog, products } = setup();
    await catalog.create(mug, origin);

    // Act
    const updated = await catalog.update('p1', { name: 'Big mug' }, { correlationId: 'corr-2' });

    // Assert
    expect(updated.name).toBe('Big mug');
    const event = ProductRenamed.envelope.parse(products.outbox[1]);
    expect(event.data).toEqual({ productId: 'p1', name: 'Big mug', previousName: 'Mug', version: 2 });
    expect(event.correlationId).toBe('corr-2');
    expect(products.outbox).toHaveLength(2);
  });

  it('renames and reprices in one change: both events share the new version', async () => {
    // Arrange
    const { catalog, products } = setup();
    await catalog.create(mug, origin);

    // Act
    await catalog.update('p1', { name: 'Big mug', priceCents: 1500 }, origin);

    // Assert
    const renamed = ProductRenamed.envelope.parse(products.outbox[1]);
    const repriced = PriceChanged.envelope.parse(products.outbox[2]);
    expect(renamed.data.version).toBe(2);
    expect(repriced.data).toEqual({
      productId: 'p1',
      priceCents: 1500,
      previousPriceCents: 1200,
      currency: 'EUR',
      version: 2,
    });
  });

  it('gives successive renames increasing versions', async () => {
    // Arrange
    const { catalog, products } = setup();
    await catalog.create(mug, origin);

    // Act
    await catalog.update('p1', { name: 'Mug 2' }, origin);
    await catalog.update('p1', { priceCents: 999 }, origin);
    await catalog.update('p1', { name: 'Mug 3' }, origin);

    // Assert
    const versions = products.outbox.slice(1).map((e) => (e.data as { version: number }).version);
    expect(versions).toEqual([2, 3, 4]);
  });

  it('writes nothing and emits nothing when the values do not change', async () => {
    // Arrange
    const { catalog, products } = setup();
    await catalog.create(mug, origin);

    // Act
    const same = await catalog.update('p1', { name: 'Mug', priceCents: 1200 }, origin);

    // Assert
    expect(same.updatedAt).toBe('2026-01-01T00:00:01.000Z');
    expect(products.outbox).toHaveLength(1);
    expect(products.products.get('p1')?.version).toBe(1);
  });

  it('recomputes on top of a concurrent update instead of overwriting it', async () => {
    // Arrange
    const { catalog, products } = setup();
    await catalog.create(mug, origin);
    let raced = false;
    products.beforeUpdate = (id) => {
      if (raced) return;
      raced = true;
      const current = products.products.get(id);
      if (current !== undefined) products.products.set(id, { ...current, name: 'Their name', version: 2 });
    };

    // Act
    await catalog.update('p1', { priceCents: 2000 }, origin);

    // Assert
    expect(products.products.get('p1')).toMatchObject({ name: 'Their name', priceCents: 2000, version: 3 });
    expect(PriceChanged.envelope.parse(products.outbox[1]).data.version).toBe(3);
  });

  it('gives up with ProductUpdateConflictError when every attempt loses a race', async () => {
    // Arrange
    const { catalog, products } = setup();
    await catalog.create(mug, origin);
    products.beforeUpdate = (id) => {
      const current = products.products.get(id);
      if (current !== undefined) products.products.set(id, { ...current, version: current.version + 1 });
    };

    // Act
    const result = catalog.update('p1', { name: 'Never' }, origin);

    // Assert
    await expect(result).rejects.toBeInstanceOf(ProductUpdateConflictError);
  });

  it('rejects an unknown product with ProductNotFoundError', async () => {
    // Arrange
    const { catalog } = setup();

    // Act
    const result = catalog.update('nope', { name: 'X' }, origin);

    // Assert
    await expect(result).rejects.toBeInstanceOf(ProductNotFoundError);
  });
});

describe('ProductCatalog.restock', () => {
  it('adds to the stock and rejects an unknown product', async () => {
    // Arrange
    const { catalog } = setup();
    await catalog.create(mug, origin);

    // Act
    const restocked = await catalog.restock('p1', 5);
    const unknown = catalog.restock('nope', 5);

    // Assert
    expect(restocked.stock).toBe(15);
    await expect(unknown).rejects.toBeInstanceOf(ProductNotFoundError);
  });
});

describe('ProductCatalog.list', () => {
  it('passes the cursor through and surfaces an invalid one as InvalidCursorError', async () => {
    // Arrange
    const { catalog } = setup();
    await catalog.create(mug, origin);
    await catalog.create({ ...mug, name: 'Cup' }, origin);

    // Act
    const first = await catalog.list({ limit: 1 });
    const second = await catalog.list({ limit: 1, cursor: first.nextCursor });
    const bad = catalog.list({ limit: 1, cursor: 'bogus' });

    // Assert
    expect(first.items.map((p) => p.name)).toEqual(['Mug']);
    expect(second).toEqual({ items: [expect.objectContaining({ name: 'Cup' })] });
    await expect(bad).rejects.toBeInstanceOf(InvalidCursorError);
  });
});

describe('ProductCatalog.getProducts', () => {
  it('answers known products in the order asked, each once, and lists the missing ids', async () => {
    // Arrange
    const { catalog } = setup();
    await catalog.create(mug, origin);
    await catalog.create({ ...mug, name: 'Cup', stock: 0 }, origin);

    // Act
    const response = await catalog.getProducts(['p2', 'ghost', 'p1', 'p2']);

    // Assert
    expect(response).toEqual({
      products: [
        { productId: 'p2', name: 'Cup', priceCents: 1200, currency: 'EUR', available: 0 },
        { productId: 'p1', name: 'Mug', priceCents: 1200, currency: 'EUR', available: 10 },
      ],
      missing: ['ghost'],
    });
  });
});
