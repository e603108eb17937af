/** A quantity of one product, as an order asks for it. */
export interface OrderLine {
  readonly productId: string;
  /** Positive. */
  readonly quantity: number;
}
