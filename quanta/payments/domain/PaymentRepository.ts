import type { AnyEventEnvelope } from '@quanta/contracts/envelope';
import type { PaymentIntent, PaymentLease } from './PaymentIntent';

/**
 * Port: where payment intents live, one per order. Every write is conditional, so concurrent
 * deliveries of requests for one order serialize on the intent: `false` (or `undefined`) means
 * "someone else changed it first; read it again".
 */
export interface PaymentRepository {
  /** The intent of `orderId` (strongly consistent), if any. */
  find(orderId: string): Promise<PaymentIntent | undefined>;
  /** Creates `intent` (PENDING with a lease, or a VOIDED tombstone) unless the order already has one. */
  create(intent: PaymentIntent): Promise<boolean>;
  /**
   * Takes the lease of a PENDING intent whose lease has expired or was released (`until < now`).
   * Returns the intent with the new lease, or undefined when it is not PENDING or someone holds it.
   */
  takeOver(orderId: string, lease: PaymentLease, now: Date): Promise<PaymentIntent | undefined>;
  /**
   * Replaces the PENDING intent held with `leaseOwner` by its settled state (AUTHORIZED or
   * DECLINED, no lease) and writes `event` to the outbox, atomically.
   */
  settle(intent: PaymentIntent, leaseOwner: string, event: AnyEventEnvelope): Promise<boolean>;
  /** Gives the lease back after a processing error, recording how many attempts failed so far. */
  release(orderId: string, leaseOwner: string, attempts: number, now: Date): Promise<void>;
  /** AUTHORIZED -> REFUNDED. */
  markRefunded(orderId: string, now: Date): Promise<boolean>;
  /** PENDING whose lease expired or was released -> VOIDED (an abandoned authorization). */
  voidAbandoned(orderId: string, now: Date): Promise<boolean>;
}
