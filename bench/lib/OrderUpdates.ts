import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';

/** When and how an order became final, as a client learnt it. */
export interface FinalOrder {
  /** `performance.now()` when the client learnt it. */
  readonly at: number;
  readonly status: string;
  /** `frame`: an `order` frame pushed over the WebSocket API; `poll`: the fallback GET. */
  readonly via: 'frame' | 'poll';
}

/** How {@link OrderUpdates} falls back to HTTP for an order whose frame does not come. */
export interface OrderUpdatesOptions {
  /** Start polling GET /orders/{id} when no frame came this long after `final()` was called. @default 30000 */
  readonly fallbackAfterMs?: number;
  /** Interval of the fallback polls. @default 2000 */
  readonly pollIntervalMs?: number;
  /** Give up on an order after this long. @default 300000 */
  readonly timeoutMs?: number;
}

interface Waiter {
  readonly resolve: (final: FinalOrder) => void;
  /** Cancels the fallback's wait once the frame came. */
  readonly fallback: AbortController;
}

/**
 * A customer's live view of their orders, the way the web client keeps it: one WebSocket
 * connection (`POST /realtime/tickets`, then the handshake) on which chat pushes
 * `{ type: 'order', orderId, status }` when an order is confirmed or cancelled. No polling while
 * frames come; an order whose frame has not come after `fallbackAfterMs` is read over HTTP (a push is
 * best effort: the contract says a client that missed one reads the order), and such orders are
 * counted in {@link polled}.
 *
 * @example
 * ```ts
 * const updates = await OrderUpdates.open(url, accessToken);
 * const orderId = await placeOrder(url, accessToken, productId);
 * const { status, at } = await updates.final(orderId); // 'CONFIRMED', from the frame
 * await updates.close();
 * ```
 */
export class OrderUpdates {
  /** Orders that needed the HTTP fallback. */
  polled = 0;
  readonly #finals = new Map<string, FinalOrder>();
  readonly #waiters = new Map<string, Waiter>();

  private constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly socket: WebSocket,
    private readonly options: Required<OrderUpdatesOptions>,
  ) {
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type?: string; orderId?: string; status?: string };
      if (frame.type !== 'order' || frame.orderId === undefined || frame.status === undefined) return;
      this.#settle(frame.orderId, { at: performance.now(), status: frame.status, via: 'frame' });
    });
  }

  /** Issues a ticket for `token` and opens the connection; resolves once it is open. */
  static async open(url: string, token: string, options: OrderUpdatesOptions = {}): Promise<OrderUpdates> {
    const response = await fetch(`${url}/realtime/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    const text = await response.text();
    if (response.status !== 201)
      throw new Error(`POST /realtime/tickets answered ${response.status}: ${text}`);
    const socket = new WebSocket(String((JSON.parse(text) as { url: string }).url));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`handshake ${res.statusCode}`)));
    });
    return new OrderUpdates(url, token, socket, {
      fallbackAfterMs: 30_000,
      pollIntervalMs: 2000,
      timeoutMs: 300_000,
      ...options,
    });
  }

  /** Resolves when `orderId` is final: from its frame, or else from the fallback polls. */
  async final(orderId: string): Promise<FinalOrder> {
    const known = this.#finals.get(orderId);
    if (known !== undefined) return known;
    const cancel = new AbortController();
    const framed = new Promise<FinalOrder>((resolve) =>
      this.#waiters.set(orderId, { resolve, fallback: cancel }),
    );
    const started = Date.now();
    const fallback = (async (): Promise<FinalOrder> => {
      try {
        await sleep(this.options.fallbackAfterMs, undefined, { signal: cancel.signal });
      } catch {
        return this.#finals.get(orderId) as FinalOrder; // the frame came first
      }
      let counted = false;
      while (this.#finals.get(orderId) === undefined) {
        if (!counted) {
          counted = true;
          this.polled++;
        }
        const response = await fetch(`${this.url}/orders/${orderId}`, {
          headers: { authorization: `Bearer ${this.token}` },
        });
        const body = (await response.json()) as { status?: string };
        if (response.status === 200 && body.status !== 'PENDING' && body.status !== undefined) {
          this.#settle(orderId, { at: performance.now(), status: body.status, via: 'poll' });
          break;
        }
        if (Date.now() - started > this.options.timeoutMs) {
          throw new Error(`order ${orderId} still pending after ${this.options.timeoutMs} ms`);
        }
        await sleep(this.options.pollIntervalMs);
      }
      return this.#finals.get(orderId) as FinalOrder;
    })();
    return Promise.race([framed, fallback]);
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
    this.socket.close();
    await Promise.race([closed, sleep(1000)]);
  }

  #settle(orderId: string, final: FinalOrder): void {
    if (this.#finals.has(orderId)) return;
    this.#finals.set(orderId, final);
    const waiter = this.#waiters.get(orderId);
    this.#waiters.delete(orderId);
    waiter?.resolve(final);
    waiter?.fallback.abort();
  }
}
