import type { AnyEventEnvelope } from '@quanta/contracts/envelope';
import type { PaymentIntent, PaymentLease } from '../../domain/PaymentIntent';
import type { PaymentRepository } from '../../domain/PaymentRepository';

/**
 * In-memory {@link PaymentRepository} with the same conditions as the DynamoDB one, for service
 * tests; `outbox` collects the events settled intents wrote.
 */
export class InMemoryPaymentRepository implements PaymentRepository {
  readonly intents = new Map<string, PaymentIntent>();
  readonly outbox: AnyEventEnvelope[] = [];
  /** How many times `find` was called (tests count the service's reads). */
  finds = 0;

  async find(orderId: string): Promise<PaymentIntent | undefined> {
    this.finds++;
    return this.intents.get(orderId);
  }

  async create(intent: PaymentIntent): Promise<boolean> {
    if (this.intents.has(intent.orderId)) return false;
    this.intents.set(intent.orderId, intent);
    return true;
  }

  async takeOver(orderId: string, lease: PaymentLease, now: Date): Promise<PaymentIntent | undefined> {
    const intent = this.intents.get(orderId);
    if (intent?.status !== 'PENDING' || (intent.lease?.until ?? 0) >= now.getTime()) return undefined;
    const taken = { ...intent, lease, updatedAt: now.toISOString() };
    this.intents.set(orderId, taken);
    return taken;
  }

  async settle(intent: PaymentIntent, leaseOwner: string, event: AnyEventEnvelope): Promise<boolean> {
    const current = this.intents.get(intent.orderId);
    if (current?.status !== 'PENDING' || current.lease?.owner !== leaseOwner) return false;
    this.intents.set(intent.orderId, { ...intent, lease: undefined });
    this.outbox.push(event);
    return true;
  }

  async release(orderId: string, leaseOwner: string, attempts: number, now: Date): Promise<void> {
    const current = this.intents.get(orderId);
    if (current?.lease?.owner !== leaseOwner) return;
    this.intents.set(orderId, {
      ...current,
      attempts,
      lease: { owner: '', until: 0 },
      updatedAt: now.toISOString(),
    });
  }

  async markRefunded(orderId: string, now: Date): Promise<boolean> {
    const current = this.intents.get(orderId);
    if (current?.status !== 'AUTHORIZED') return false;
    this.intents.set(orderId, { ...current, status: 'REFUNDED', updatedAt: now.toISOString() });
    return true;
  }

  async voidAbandoned(orderId: string, now: Date): Promise<boolean> {
    const current = this.intents.get(orderId);
    if (current?.status !== 'PENDING' || (current.lease?.until ?? 0) >= now.getTime()) return false;
    this.intents.set(orderId, {
      ...current,
      status: 'VOIDED',
      declineReason: 'VOIDED',
      lease: undefined,
      updatedAt: now.toISOString(),
    });
    return true;
  }
}
