import type { ProductNameRepository } from '../../domain/ProductCatalog';

/** {@link ProductNameRepository} in memory (highest version wins). */
export class InMemoryProductNames implements ProductNameRepository {
  readonly names = new Map<string, { name: string; version: number }>();

  async rename(productId: string, name: string, version: number): Promise<'UPDATED' | 'STALE'> {
    const current = this.names.get(productId);
    if (current !== undefined && current.version >= version) return 'STALE';
    this.names.set(productId, { name, version });
    return 'UPDATED';
  }

  async namesOf(productIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const found = new Map<string, string>();
    for (const id of productIds) {
      const entry = this.names.get(id);
      if (entry !== undefined) found.set(id, entry.name);
    }
    return found;
  }
}
