import { SimulatedCardProcessor } from '../../adapters/SimulatedCardProcessor';
import type {
  AuthorizationRequest,
  CardProcessor,
  ProcessorResult,
  RefundRequest,
} from '../../domain/CardProcessor';

/**
 * The simulated processor, counting what it was asked: `authorizations` lists every authorize call
 * (payment id and result), `refunds` every refund's payment id. `charges()` counts the payment ids
 * that were authorized at least once — what a real processor would have held.
 */
export class CountingCardProcessor implements CardProcessor {
  readonly authorizations: { paymentId: string; outcome: ProcessorResult['outcome'] }[] = [];
  readonly refunds: string[] = [];
  readonly #inner: CardProcessor;

  constructor(inner: CardProcessor = new SimulatedCardProcessor()) {
    this.#inner = inner;
  }

  async authorize(request: AuthorizationRequest): Promise<ProcessorResult> {
    const result = await this.#inner.authorize(request);
    this.authorizations.push({ paymentId: request.paymentId, outcome: result.outcome });
    return result;
  }

  async refund(request: RefundRequest): Promise<void> {
    await this.#inner.refund(request);
    this.refunds.push(request.paymentId);
  }

  /** Distinct payments the processor authorized. */
  charges(): number {
    return new Set(this.authorizations.filter((a) => a.outcome === 'AUTHORIZED').map((a) => a.paymentId))
      .size;
  }
}
