import { createHash, randomUUID } from 'node:crypto';
import { MAX_AMOUNT_CENTS, type PageQuery } from '@quanta/contracts/common';
import {
  type OrderAccepted,
  type OrderPage,
  OrderPlaced,
  type Order as OrderView,
  type PlaceOrderRequest,
} from '@quanta/contracts/orders';
import { createEnvelope } from '@quanta/runtime/events';
import type { CardVault } from '../domain/CardVault';
import type { Order, OrderLine } from '../domain/Order';
import type { IdempotencyRecord, OrderRepository } from '../domain/OrderRepository';
import type { ProductCatalog, ProductNameRepository } from '../domain/ProductCatalog';
import {
  IdempotencyKeyReusedError,
  MixedCurrenciesError,
  OrderDataError,
  OrderNotFoundError,
  OrderNotPendingError,
  OrderTotalTooLargeError,
  UnknownProductError,
} from '../errors';
import type { SagaCoordinator } from './SagaCoordinator';

/** Dependencies and settings of {@link OrderService}. */
export interface OrderServiceOptions {
  readonly orders: OrderRepository;
  readonly names: ProductNameRepository;
  readonly catalog: ProductCatalog;
  readonly vault: CardVault;
  readonly saga: SagaCoordinator;
  /** Seconds from placement until the saga must have ended (else the sweep cancels with TIMEOUT). */
  readonly deadlineSeconds: number;
  /** Clock. @default () => new Date() */
  readonly now?: () => Date;
  /** Id generator (orders, cancel requests). @default crypto.randomUUID */
  readonly newId?: () => string;
}

/** The authenticated caller, as the platform authorizer identified them. */
export interface Caller {
  readonly userId: string;
}

/** Where a request comes from, propagated into the saga's messages and events. */
export interface RequestOrigin {
  readonly correlationId: string;
}

/**
 * orders' customer-facing use cases: place an order (idempotent per user and key), read one, list
 * mine, cancel while pending. Placement is the flash-sale hot path, so it does exactly one catalog
 * facade call, one transaction and one request send; everything else happens in the saga.
 *
 * @example
 * ```ts
 * const service = new OrderService({ orders, names, catalog, vault, saga, deadlineSeconds: 120 });
 * const { orderId } = await service.place({ userId }, 'key-0001', body, { correlationId });
 * ```
 */
export class OrderService {
  readonly #o: Required<OrderServiceOptions>;

  constructor(options: OrderServiceOptions) {
    this.#o = { now: () => new Date(), newId: randomUUID, ...options };
  }

  /**
   * Places an order: prices it through the catalog, stores it PENDING with its sealed card and
   * `OrderPlaced` atomically (claiming the idempotency key), then sends ReserveStock. A replay of
   * the key with the same body answers the same order (re-sending ReserveStock while it is still
   * reserving); with another body it is a 422.
   */
  async place(
    caller: Caller,
    key: string,
    request: PlaceOrderRequest,
    origin: RequestOrigin,
  ): Promise<OrderAccepted> {
    const fingerprint = fingerprintOf(request);
    let lines: OrderLine[];
    let currency: string;
    let totalCents: number;
    try {
      ({ lines, currency, totalCents } = await this.#price(request, origin));
    } catch (error) {
      // A replay must not depend on the catalog: the order it points to already exists.
      const record = await this.#o.orders.findIdempotencyRecord(caller.userId, key).catch(() => undefined);
      if (record !== undefined) return this.#replay(record, key, fingerprint);
      throw error;
    }
    const now = this.#o.now();
    const orderId = this.#o.newId();
    const createdAt = now.toISOString();
    const order: Order = {
      orderId,
      userId: caller.userId,
      status: 'PENDING',
      step: 'RESERVING',
      items: lines,
      totalCents,
      currency,
      cardLast4: request.card.number.slice(-4),
      createdAt,
      updatedAt: createdAt,
      deadline: new Date(now.getTime() + this.#o.deadlineSeconds * 1000).toISOString(),
      correlationId: origin.correlationId,
      idempotencyKey: key,
      compensations: { stock: 'NONE', payment: 'NONE' },
      compensationAttempts: 0,
      lastCommands: ['ReserveStock'],
      version: 1,
    };
    const event = createEnvelope(
      OrderPlaced,
      {
        orderId,
        userId: order.userId,
        items: lines.map((l) => ({
          productId: l.productId,
          quantity: l.quantity,
          unitPriceCents: l.unitPriceCents,
        })),
        totalCents: order.totalCents,
        currency,
      },
      { correlationId: origin.correlationId, occurredAt: now },
    );
    const outcome = await this.#o.orders.place({
      record: { userId: caller.userId, key, fingerprint, orderId, createdAt },
      order,
      sealedCard: await this.#o.vault.seal(request.card, orderId),
      event,
    });
    if (outcome.kind === 'KEY_TAKEN') return this.#replay(outcome.record, key, fingerprint);
    await this.#o.saga.send(order, 'ReserveStock');
    return { orderId, status: 'PENDING' };
  }

  /** The caller's order; another user's order is indistinguishable from an unknown one (404). */
  async get(caller: Caller, orderId: string): Promise<OrderView> {
    const order = await this.#o.orders.get(orderId);
    if (order === undefined || order.userId !== caller.userId) throw new OrderNotFoundError(orderId);
    return toOrderView(order, await this.#o.names.namesOf(order.items.map((l) => l.productId)));
  }

  /** The caller's orders, newest first. */
  async list(caller: Caller, query: PageQuery): Promise<OrderPage> {
    const page = await this.#o.orders.listByUser(caller.userId, {
      limit: query.limit,
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    });
    const productIds = [...new Set(page.orders.flatMap((o) => o.items.map((l) => l.productId)))];
    const names =
      productIds.length === 0 ? new Map<string, string>() : await this.#o.names.namesOf(productIds);
    return {
      items: page.orders.map((o) => toOrderView(o, names)),
      ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
    };
  }

  /**
   * Cancels the caller's PENDING order (`CANCELLED_BY_CUSTOMER`) and sends the compensations
   * (ReleaseStock, RefundPayment). If they cannot be sent now, the sweep re-sends them.
   */
  async cancel(caller: Caller, orderId: string): Promise<OrderAccepted> {
    const outcome = await this.#o.saga.apply(
      orderId,
      { type: 'CancelRequested' },
      { messageId: `cancel-${this.#o.newId()}` },
      {
        guard: (order) => {
          if (order.userId !== caller.userId) throw new OrderNotFoundError(orderId);
        },
        onSendFailure: 'defer',
      },
    );
    switch (outcome.kind) {
      case 'UNKNOWN_ORDER':
        throw new OrderNotFoundError(orderId);
      case 'NOT_PENDING':
        throw new OrderNotPendingError(orderId, outcome.order.status);
      default:
        return { orderId, status: 'CANCELLED' };
    }
  }

  /**
   * The order's lines at the catalog's prices, its currency and total; a 422 for unknown products,
   * mixed currencies, or a total above what one order (its events and its payment) may carry, so
   * nothing is stored or sent for an order that could not be paid.
   */
  async #price(
    request: PlaceOrderRequest,
    origin: RequestOrigin,
  ): Promise<{ lines: OrderLine[]; currency: string; totalCents: number }> {
    const ids = request.items.map((i) => i.productId);
    const priced = await this.#o.catalog.price(ids, origin);
    const byId = new Map(priced.products.map((p) => [p.productId, p]));
    const unknown = ids.filter((id) => !byId.has(id) || priced.missing.includes(id));
    if (unknown.length > 0) throw new UnknownProductError(unknown);
    const currencies = [...new Set(ids.map((id) => byId.get(id)?.currency ?? ''))];
    if (currencies.length > 1) throw new MixedCurrenciesError(currencies);
    // Available stock is not checked here on purpose: the saga's ReserveStock is the only judge.
    const lines = request.items.map((item) => {
      const product = byId.get(item.productId);
      if (product === undefined) throw new UnknownProductError([item.productId]);
      return {
        productId: item.productId,
        name: product.name,
        quantity: item.quantity,
        unitPriceCents: product.priceCents,
      };
    });
    const currency = currencies[0] ?? '';
    const totalCents = lines.reduce((sum, l) => sum + l.unitPriceCents * l.quantity, 0);
    if (totalCents > MAX_AMOUNT_CENTS)
      throw new OrderTotalTooLargeError(totalCents, MAX_AMOUNT_CENTS, currency);
    return { lines, currency, totalCents };
  }

  async #replay(record: IdempotencyRecord, key: string, fingerprint: string): Promise<OrderAccepted> {
    if (record.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError(key, record.orderId);
    const order = await this.#o.orders.get(record.orderId);
    if (order === undefined) {
      throw new OrderDataError(`Idempotency record points to order ${record.orderId}, which does not exist`);
    }
    const reserving = order.status === 'PENDING' && order.step === 'RESERVING';
    if (reserving && Date.parse(order.deadline) > this.#o.now().getTime()) {
      // The first attempt may have stored the order but failed to send (it answered 503); catalog
      // is idempotent per order, so sending again is safe.
      await this.#o.saga.send(order, 'ReserveStock');
    }
    return { orderId: order.orderId, status: order.status };
  }
}

/**
 * Fingerprint of a `POST /orders` body for idempotency: SHA-256 (hex) of its canonical JSON, with the
 * lines sorted by product (an order's lines are a set) and the card reduced to its last 4 digits and
 * expiry. The card number and CVC are left out on purpose: an unkeyed hash of a card number can be
 * reversed by brute force (a PAN has few unknown digits), so it must never be stored.
 */
function fingerprintOf(request: PlaceOrderRequest): string {
  const canonical = canonicalJson({
    items: [...request.items]
      .sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0))
      .map((i) => ({ productId: i.productId, quantity: i.quantity })),
    card: {
      last4: request.card.number.slice(-4),
      expMonth: request.card.expMonth,
      expYear: request.card.expYear,
    },
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * JSON with object keys sorted at every level (arrays keep their order), so two values that are
 * equal as data serialize to the same text whatever order their keys were written in.
 */
function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

/**
 * An order as its owner sees it: item names from orders' own copies when it has one (so a rename
 * shows), else the name captured at placement.
 */
function toOrderView(order: Order, names: ReadonlyMap<string, string>): OrderView {
  return {
    orderId: order.orderId,
    status: order.status,
    ...(order.reason === undefined ? {} : { reason: order.reason }),
    items: order.items.map((line) => ({
      productId: line.productId,
      name: names.get(line.productId) ?? line.name,
      quantity: line.quantity,
      unitPriceCents: line.unitPriceCents,
    })),
    totalCents: order.totalCents,
    currency: order.currency,
    cardLast4: order.cardLast4,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    deadline: order.deadline,
  };
}
