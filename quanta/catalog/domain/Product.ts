/** A product of the catalog, with its available stock. */
export interface Product {
  readonly productId: string;
  readonly name: string;
  readonly description: string;
  /** Price in the currency's minor unit. */
  readonly priceCents: number;
  /** ISO 4217 code. */
  readonly currency: string;
  /** Units available now: not reserved by any order. Never negative. */
  readonly stock: number;
  /**
   * Version of the name and price: 1 at creation, +1 on every rename or reprice. Events about the
   * name or price carry it, so consumers keep the newest whatever order they receive them in.
   */
  readonly version: number;
  /** ISO-8601. */
  readonly createdAt: string;
  /** ISO-8601; last change of name, price or stock by an administrator. */
  readonly updatedAt: string;
}
