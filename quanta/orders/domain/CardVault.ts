import type { Card } from '@quanta/contracts';

/**
 * Port: keeps a card only in sealed (encrypted, authenticated) form, bound to one order, so that
 * neither the table nor a backup ever holds a card number in clear.
 */
export interface CardVault {
  /** Encrypts `card` for `orderId`; the result is opaque text safe to store. */
  seal(card: Card, orderId: string): Promise<string>;
  /** Decrypts what `seal` produced for the same `orderId`; fails if it was tampered with or belongs to another order. */
  open(sealed: string, orderId: string): Promise<Card>;
}
