import { idSchema, pageQuerySchema } from '@quanta/contracts/common';
import { idempotencyKeySchema, placeOrderRequestSchema } from '@quanta/contracts/orders';
import { headerOf, jsonResponse } from '@quanta/runtime/http';
import { parseInput, type RouteHandlers } from '@quanta/runtime/http/router';
import { IdempotencyKeyRequiredError, OrderNotFoundError } from '../errors';
import type { OrderService } from '../service/OrderService';

/** Header carrying the client's idempotency key on `POST /orders`. */
const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/**
 * orders' routes (one per manifest route): parse the input with the contract's schemas, call the
 * service, shape the response. Nothing else lives here.
 *
 * @example
 * ```ts
 * const router = createRouter(orders.routes ?? [], routes(service));
 * ```
 */
export function routes(service: OrderService): RouteHandlers {
  return {
    'POST /orders': async (req) => {
      const caller = req.requireCaller();
      const rawKey = headerOf(req.event.headers, IDEMPOTENCY_KEY_HEADER);
      if (rawKey === undefined || rawKey === '') throw new IdempotencyKeyRequiredError();
      const key = parseInput(idempotencyKeySchema, rawKey, `${IDEMPOTENCY_KEY_HEADER} header`);
      const body = req.parseBody(placeOrderRequestSchema);
      return jsonResponse(202, await service.place(caller, key, body, req));
    },
    'GET /orders': async (req) =>
      jsonResponse(200, await service.list(req.requireCaller(), req.parseQuery(pageQuerySchema))),
    'GET /orders/{id}': async (req) =>
      jsonResponse(200, await service.get(req.requireCaller(), orderIdOf(req.pathParameters))),
    'POST /orders/{id}/cancel': async (req) =>
      jsonResponse(202, await service.cancel(req.requireCaller(), orderIdOf(req.pathParameters))),
  };
}

/** The `{id}` path parameter; one that cannot be an order id names no order (404). */
function orderIdOf(params: Readonly<Record<string, string>>): string {
  const id = params.id ?? '';
  if (!idSchema.safeParse(id).success) throw new OrderNotFoundError(id.slice(0, 64));
  return id;
}
