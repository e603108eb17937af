/** What orders remembers of an `Idempotency-Key` (per user): the order it created and the body's fingerprint. */
export interface IdempotencyRecord {
  readonly userId: string;
  readonly key: string;
  /** SHA-256 (hex) of the canonical request body, without the card number (see `fingerprintOf`). */
  readonly fingerprint: string;
  readonly orderId: string;
  /** ISO-8601. */
  readonly createdAt: string;
}
