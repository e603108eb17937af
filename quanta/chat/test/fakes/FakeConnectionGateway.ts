import type { ServerFrame } from '@quanta/contracts/chat';
import type { ConnectionGateway, DeliveryOutcome } from '../../domain/ConnectionGateway';

/**
 * A {@link ConnectionGateway} standing in for `@connections`: connections in `open` receive frames
 * (recorded per connection, in order), any other id is gone (410); ids in `failing` reject. Each call
 * may be slowed by `delayMs` to observe how many are in flight.
 */
export class FakeConnectionGateway implements ConnectionGateway {
  readonly open = new Set<string>();
  readonly failing = new Set<string>();
  readonly frames = new Map<string, ServerFrame[]>();
  readonly closed: string[] = [];
  delayMs = 0;
  inFlight = 0;
  maxInFlight = 0;

  constructor(open: Iterable<string> = []) {
    for (const id of open) this.open.add(id);
  }

  /** Frames pushed to `connectionId`, in order. */
  framesOf(connectionId: string): ServerFrame[] {
    return this.frames.get(connectionId) ?? [];
  }

  async post(connectionId: string, frame: ServerFrame): Promise<DeliveryOutcome> {
    return this.#call(connectionId, () => {
      const list = this.frames.get(connectionId) ?? [];
      list.push(frame);
      this.frames.set(connectionId, list);
    });
  }

  async close(connectionId: string): Promise<DeliveryOutcome> {
    return this.#call(connectionId, () => {
      this.open.delete(connectionId);
      this.closed.push(connectionId);
    });
  }

  async #call(connectionId: string, apply: () => void): Promise<DeliveryOutcome> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
      if (this.failing.has(connectionId)) throw new Error(`push to ${connectionId} throttled`);
      if (!this.open.has(connectionId)) return 'GONE';
      apply();
      return 'DELIVERED';
    } finally {
      this.inFlight--;
    }
  }
}
