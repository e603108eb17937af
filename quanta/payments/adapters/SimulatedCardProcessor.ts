import { createHash } from 'node:crypto';
import type {
  AuthorizationRequest,
  CardProcessor,
  ProcessorResult,
  RefundRequest,
} from '../domain/CardProcessor';
import { isLuhnValid } from '../domain/PaymentCard';

/** The well-known test cards and what the simulator answers for them. */
export const TEST_CARDS = {
  /** Authorizes. */
  authorized: '4242424242424242',
  /** Declined: `CARD_DECLINED`. */
  declined: '4000000000000002',
  /** Declined: `INSUFFICIENT_FUNDS`. */
  insufficientFunds: '4000000000009995',
  /** Fails with a processing error (retryable) every time. */
  processingError: '4000000000000119',
} as const;

/** Options of {@link SimulatedCardProcessor}. */
export interface SimulatedCardProcessorOptions {
  /** Simulated network latency per call, in ms. @default 0 */
  readonly latencyMs?: number;
}

/**
 * A deterministic stand-in for a payment service provider, answering by card number like the
 * providers' sandboxes do: {@link TEST_CARDS} get their documented outcome; any other number that
 * fails the Luhn check is `INVALID_CARD`; any other Luhn-valid number authorizes. It holds no state:
 * the authorization code is derived from the `paymentId`, so asking twice for one payment gives the
 * same answer (the idempotency a real provider gives with an idempotency key), and refunds are
 * accepted and forgotten.
 *
 * @example
 * ```ts
 * const processor = new SimulatedCardProcessor();
 * await processor.authorize({ paymentId, amountCents: 1999, currency: 'EUR', card: PaymentCard.of({ number: '4242424242424242' }) });
 * // { outcome: 'AUTHORIZED', authorizationCode: 'SIM-…' }
 * ```
 */
export class SimulatedCardProcessor implements CardProcessor {
  readonly #latencyMs: number;

  constructor(options: SimulatedCardProcessorOptions = {}) {
    this.#latencyMs = options.latencyMs ?? 0;
  }

  async authorize(request: AuthorizationRequest): Promise<ProcessorResult> {
    await this.#delay();
    const { number } = request.card.reveal();
    switch (number) {
      case TEST_CARDS.declined:
        return { outcome: 'DECLINED', reason: 'CARD_DECLINED' };
      case TEST_CARDS.insufficientFunds:
        return { outcome: 'DECLINED', reason: 'INSUFFICIENT_FUNDS' };
      case TEST_CARDS.processingError:
        return { outcome: 'PROCESSING_ERROR', detail: 'simulated processor error (test card ending 0119)' };
    }
    if (!isLuhnValid(number)) return { outcome: 'DECLINED', reason: 'INVALID_CARD' };
    const code = createHash('sha256').update(request.paymentId).digest('hex').slice(0, 12).toUpperCase();
    return { outcome: 'AUTHORIZED', authorizationCode: `SIM-${code}` };
  }

  async refund(_request: RefundRequest): Promise<void> {
    await this.#delay();
  }

  async #delay(): Promise<void> {
    if (this.#latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.#latencyMs));
  }
}
