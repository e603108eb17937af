import type { PaymentRepository } from '../../domain/PaymentRepository';
import { PaymentLookup } from '../../service/PaymentLookup';
import { PaymentService, type RequestDelivery } from '../../service/PaymentService';
import { CountingCardProcessor } from './CountingCardProcessor';
import { InMemoryPaymentRepository } from './InMemoryPaymentRepository';

/** A settable clock starting at 2030-01-01T00:00:00Z. */
export class TestClock {
  current = new Date('2030-01-01T00:00:00.000Z');
  readonly now = (): Date => new Date(this.current);
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/**
 * payments' services over in-memory (or given) ports, a counting simulated processor and a test
 * clock; `delivery()` builds a request delivery one minute before its deadline.
 */
export function buildTestPayments<R extends PaymentRepository = InMemoryPaymentRepository>(
  options: { payments?: R; processor?: CountingCardProcessor; leaseSeconds?: number } = {},
) {
  const clock = new TestClock();
  const payments = (options.payments ?? new InMemoryPaymentRepository()) as R;
  const processor = options.processor ?? new CountingCardProcessor();
  const service = new PaymentService({
    payments,
    processor,
    now: clock.now,
    leaseSeconds: options.leaseSeconds ?? 30,
  });
  const delivery = (overrides: Partial<RequestDelivery> = {}): RequestDelivery => ({
    messageId: crypto.randomUUID(),
    correlationId: 'corr-1',
    deadline: new Date(clock.current.getTime() + 60_000),
    receiveCount: 1,
    ...overrides,
  });
  return { clock, payments, processor, service, lookup: new PaymentLookup(payments), delivery };
}
