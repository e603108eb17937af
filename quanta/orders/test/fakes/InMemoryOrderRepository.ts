import type { AnyEventEnvelope } from '@quanta/contracts/envelope';
import type { Order } from '../../domain/Order';
import type {
  IdempotencyRecord,
  OrderChange,
  OrderListPage,
  OrderPlacement,
  OrderRepository,
  OrderWithCard,
  PlaceOutcome,
} from '../../domain/OrderRepository';
import { InvalidCursorError } from '../../errors';

/** {@link OrderRepository} in memory, with the same conditional semantics as the DynamoDB one. */
export class InMemoryOrderRepository implements OrderRepository {
  readonly orders = new Map<string, Order>();
  readonly records = new Map<string, IdempotencyRecord>();
  readonly cards = new Map<string, string>();
  readonly outbox: AnyEventEnvelope[] = [];
  /** Runs before each commit is applied (tests use it to make another writer win a race). */
  beforeCommit: ((change: OrderChange) => Promise<void> | void) | undefined;
  commits = 0;
  /** The reads of orders and cards, by method name, in order (tests count the saga's round trips). */
  readonly reads: string[] = [];

  async place(placement: OrderPlacement): Promise<PlaceOutcome> {
    const recordKey = `${placement.record.userId}#${placement.record.key}`;
    const existing = this.records.get(recordKey);
    if (existing !== undefined) return { kind: 'KEY_TAKEN', record: existing };
    this.records.set(recordKey, placement.record);
    this.orders.set(placement.order.orderId, structuredClone(placement.order));
    this.cards.set(placement.order.orderId, placement.sealedCard);
    this.outbox.push(placement.event);
    return { kind: 'PLACED' };
  }

  async findIdempotencyRecord(userId: string, key: string): Promise<IdempotencyRecord | undefined> {
    return this.records.get(`${userId}#${key}`);
  }

  async get(orderId: string): Promise<Order | undefined> {
    this.reads.push('get');
    const order = this.orders.get(orderId);
    return order === undefined ? undefined : structuredClone(order);
  }

  async commit(change: OrderChange): Promise<boolean> {
    await this.beforeCommit?.(change);
    const current = this.orders.get(change.next.orderId);
    if (current === undefined || current.version !== change.expectedVersion) return false;
    this.commits++;
    this.orders.set(change.next.orderId, structuredClone(change.next));
    if (change.event !== undefined) this.outbox.push(change.event);
    if (change.deleteCard) this.cards.delete(change.next.orderId);
    return true;
  }

  async findSealedCard(orderId: string): Promise<string | undefined> {
    this.reads.push('findSealedCard');
    return this.cards.get(orderId);
  }

  async getWithSealedCard(orderId: string): Promise<OrderWithCard | undefined> {
    this.reads.push('getWithSealedCard');
    const order = this.orders.get(orderId);
    if (order === undefined) return undefined;
    const sealedCard = this.cards.get(orderId);
    return { order: structuredClone(order), ...(sealedCard === undefined ? {} : { sealedCard }) };
  }

  async listByUser(userId: string, page: { limit: number; cursor?: string }): Promise<OrderListPage> {
    const mine = [...this.orders.values()]
      .filter((o) => o.userId === userId)
      .sort((a, b) => sortKey(b).localeCompare(sortKey(a)));
    let start = 0;
    if (page.cursor !== undefined) {
      const after = Buffer.from(page.cursor, 'base64url').toString('utf8');
      const index = mine.findIndex((o) => sortKey(o) === after);
      if (index < 0) throw new InvalidCursorError();
      start = index + 1;
    }
    const orders = mine.slice(start, start + page.limit);
    const last = orders.at(-1);
    const more = start + page.limit < mine.length && last !== undefined;
    return {
      orders,
      ...(more ? { nextCursor: Buffer.from(sortKey(last)).toString('base64url') } : {}),
    };
  }

  async findExpiredPending(now: Date, limit: number): Promise<string[]> {
    return [...this.orders.values()]
      .filter((o) => o.status === 'PENDING' && Date.parse(o.deadline) < now.getTime())
      .sort((a, b) => a.deadline.localeCompare(b.deadline))
      .slice(0, limit)
      .map((o) => o.orderId);
  }

  async findDueCompensations(now: Date, limit: number): Promise<string[]> {
    return [...this.orders.values()]
      .filter(
        (o) =>
          o.step === 'COMPENSATING' &&
          o.nextCompensationAt !== undefined &&
          Date.parse(o.nextCompensationAt) < now.getTime(),
      )
      .slice(0, limit)
      .map((o) => o.orderId);
  }

  /** Events of one type in the outbox. */
  events(type: string): AnyEventEnvelope[] {
    return this.outbox.filter((e) => e.type === type);
  }
}

function sortKey(order: Order): string {
  return `${order.createdAt}#${order.orderId}`;
}
