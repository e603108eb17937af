import {
  type CreateProductRequest,
  type Product,
  type ProductPage,
  productPageSchema,
  productSchema,
  type RestockRequest,
  type UpdateProductRequest,
} from '@quanta/contracts/catalog';
import {
  type CreateRoomRequest,
  type MessagePage,
  messagePageSchema,
  type Room,
  type RoomPage,
  roomPageSchema,
  roomSchema,
} from '@quanta/contracts/chat';
import { errorBodySchema } from '@quanta/contracts/http';
import {
  type LoginRequest,
  type MeResponse,
  meResponseSchema,
  type SignupRequest,
  type SignupResponse,
  signupResponseSchema,
  type TokenPair,
  tokenPairSchema,
} from '@quanta/contracts/identity';
import {
  type Order,
  type OrderAccepted,
  type OrderPage,
  orderAcceptedSchema,
  orderPageSchema,
  orderSchema,
  type PlaceOrderRequest,
} from '@quanta/contracts/orders';
import { type RealtimeTicketResponse, realtimeTicketResponseSchema } from '@quanta/contracts/platform';
import type * as z from '@quanta/contracts/zod';
import { ApiError } from './errors';

/** Where the client gets its access token (the {@link Session}); absent for public calls. */
export interface TokenSource {
  accessToken(): Promise<string | undefined>;
  /** A new access token after the gateway refused the current one (one refresh in flight). */
  refreshNow(): Promise<string | undefined>;
}

/** Options of {@link ApiClient}. */
export interface ApiClientOptions {
  /** Base URL of the platform's HTTP API (config.json's `apiUrl`). */
  readonly baseUrl: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** The session, once there is one (set with {@link ApiClient.useTokens}). */
  readonly tokens?: TokenSource;
  /** Waits before a retry (tests pass a fake). @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

interface CallOptions {
  readonly body?: unknown;
  readonly auth?: boolean;
  readonly headers?: Readonly<Record<string, string>>;
  /** Safe to send again: a 503 with `Retry-After` is retried (GETs, and POSTs carrying an Idempotency-Key). */
  readonly retryable?: boolean;
}

/** Attempts of a retryable call that keeps answering 503 `Retry-After`, and the longest wait honoured. */
const MAX_ATTEMPTS = 4;
const MAX_RETRY_AFTER_MS = 3000;

/**
 * Every HTTP call the client makes, typed by `@quanta/contracts` and checked against its zod schemas,
 * so the client cannot drift from the API. Authenticated calls carry the session's access token; a
 * 403 from the gateway (an access token that expired or was revoked meanwhile) is retried once after
 * a refresh. Failures are {@link ApiError}s with the API's stable code.
 *
 * @example
 * ```ts
 * const api = new ApiClient({ baseUrl: 'http://127.0.0.1:3000' });
 * const page = await api.listProducts({ limit: 12 });
 * console.log(page.items.map((p) => p.name));
 * ```
 */
export class ApiClient {
  readonly #baseUrl: string;
  readonly #fetch: typeof fetch;
  readonly #sleep: (ms: number) => Promise<void>;
  #tokens: TokenSource | undefined;

  constructor(options: ApiClientOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#tokens = options.tokens;
  }

  /** Authenticates later calls with `tokens`. */
  useTokens(tokens: TokenSource): void {
    this.#tokens = tokens;
  }

  signup(body: SignupRequest): Promise<SignupResponse> {
    return this.#call('POST', '/identity/signup', signupResponseSchema, { body, auth: false });
  }

  login(body: LoginRequest): Promise<TokenPair> {
    return this.#call('POST', '/identity/login', tokenPairSchema, { body, auth: false });
  }

  refresh(refreshToken: string): Promise<TokenPair> {
    return this.#call('POST', '/identity/refresh', tokenPairSchema, { body: { refreshToken }, auth: false });
  }

  async logout(): Promise<void> {
    await this.#call('POST', '/identity/logout', undefined, {});
  }

  me(): Promise<MeResponse> {
    return this.#call('GET', '/identity/me', meResponseSchema, {});
  }

  listProducts(page: { limit?: number; cursor?: string | undefined } = {}): Promise<ProductPage> {
    return this.#call('GET', `/catalog/products${queryOf(page)}`, productPageSchema, { auth: false });
  }

  getProduct(productId: string): Promise<Product> {
    return this.#call('GET', `/catalog/products/${encodeURIComponent(productId)}`, productSchema, {
      auth: false,
    });
  }

  createProduct(body: CreateProductRequest): Promise<Product> {
    return this.#call('POST', '/catalog/products', productSchema, { body });
  }

  updateProduct(productId: string, body: UpdateProductRequest): Promise<Product> {
    return this.#call('PATCH', `/catalog/products/${encodeURIComponent(productId)}`, productSchema, { body });
  }

  restock(productId: string, body: RestockRequest): Promise<Product> {
    return this.#call('POST', `/catalog/products/${encodeURIComponent(productId)}/restock`, productSchema, {
      body,
    });
  }

  /** `POST /orders`; replaying the same `idempotencyKey` returns the same order. */
  placeOrder(body: PlaceOrderRequest, idempotencyKey: string): Promise<OrderAccepted> {
    return this.#call('POST', '/orders', orderAcceptedSchema, {
      body,
      headers: { 'idempotency-key': idempotencyKey },
      retryable: true,
    });
  }

  listOrders(page: { limit?: number; cursor?: string | undefined } = {}): Promise<OrderPage> {
    return this.#call('GET', `/orders${queryOf(page)}`, orderPageSchema, {});
  }

  getOrder(orderId: string): Promise<Order> {
    return this.#call('GET', `/orders/${encodeURIComponent(orderId)}`, orderSchema, {});
  }

  cancelOrder(orderId: string): Promise<OrderAccepted> {
    return this.#call('POST', `/orders/${encodeURIComponent(orderId)}/cancel`, orderAcceptedSchema, {});
  }

  listRooms(page: { limit?: number; cursor?: string | undefined } = {}): Promise<RoomPage> {
    return this.#call('GET', `/chat/rooms${queryOf(page)}`, roomPageSchema, {});
  }

  createRoom(body: CreateRoomRequest): Promise<Room> {
    return this.#call('POST', '/chat/rooms', roomSchema, { body });
  }

  /** The room's messages with `seq > after`, ascending, at most `limit`. */
  history(roomId: string, after: number, limit: number): Promise<MessagePage> {
    return this.#call(
      'GET',
      `/chat/rooms/${encodeURIComponent(roomId)}/messages${queryOf({ after, limit })}`,
      messagePageSchema,
      {},
    );
  }

  /** A one-time WebSocket ticket; connect to its `url` as is. */
  ticket(): Promise<RealtimeTicketResponse> {
    return this.#call('POST', '/realtime/tickets', realtimeTicketResponseSchema, {});
  }

  /**
   * Sends one call: the access token (refreshed once after a gateway 403), retries of a retryable
   * call on 503, then the answer checked against `schema`.
   */
  async #call<S extends z.ZodMiniType>(
    method: string,
    path: string,
    schema: S | undefined,
    options: CallOptions,
  ): Promise<z.infer<S>> {
    const auth = options.auth ?? true;
    let token = auth ? await this.#tokens?.accessToken() : undefined;
    if (auth && token === undefined) throw new ApiError(401, 'UNAUTHORIZED', 'Not signed in');
    let response = await this.#send(method, path, options, token);
    const retryable = options.retryable ?? method === 'GET';
    for (let attempt = 1; retryable && attempt < MAX_ATTEMPTS && response.status === 503; attempt++) {
      // A dependency or the gateway is briefly overloaded (decision D28): wait as told, send again.
      const waitMs = Math.min(
        MAX_RETRY_AFTER_MS,
        1000 * Number(response.headers.get('retry-after') ?? 1) || 1000,
      );
      await this.#sleep(waitMs);
      response = await this.#send(method, path, options, token);
    }
    if (auth && response.status === 403 && !(await isOurErrorBody(response))) {
      // The gateway's deny (no error body): the token expired or was revoked since it was checked.
      token = await this.#tokens?.refreshNow();
      if (token === undefined) throw new ApiError(401, 'INVALID_TOKEN', 'Session ended');
      response = await this.#send(method, path, options, token);
    }
    if (!response.ok) throw await errorOf(response);
    if (schema === undefined) return undefined as z.infer<S>;
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) {
      throw new ApiError(response.status, 'INTERNAL_ERROR', `Unexpected answer to ${method} ${path}`, {
        cause: parsed.error,
      });
    }
    return parsed.data;
  }

  async #send(
    method: string,
    path: string,
    options: CallOptions,
    token: string | undefined,
  ): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    try {
      return await this.#fetch(`${this.#baseUrl}${path}`, {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
    } catch (error) {
      throw new ApiError(0, 'NETWORK_ERROR', `${method} ${path} got no answer`, { cause: error });
    }
  }
}

function queryOf(params: Readonly<Record<string, string | number | undefined>>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/** Whether a response carries our `{ error: { code } }` body (a quantum's answer, not the gateway's). */
async function isOurErrorBody(response: Response): Promise<boolean> {
  const body = await response
    .clone()
    .json()
    .catch(() => undefined);
  return errorBodySchema.safeParse(body).success;
}

/** The {@link ApiError} of a failed response: our error body's code, else the gateway's status. */
async function errorOf(response: Response): Promise<ApiError> {
  const body = await response.json().catch(() => undefined);
  const parsed = errorBodySchema.safeParse(body);
  if (parsed.success) return new ApiError(response.status, parsed.data.error.code, parsed.data.error.message);
  const code =
    response.status === 401
      ? 'UNAUTHORIZED'
      : response.status === 403
        ? 'FORBIDDEN'
        : response.status === 413
          ? 'PAYLOAD_TOO_LARGE'
          : response.status === 429
            ? 'RATE_LIMITED'
            : response.status >= 500
              ? 'SERVICE_UNAVAILABLE'
              : 'BAD_REQUEST';
  return new ApiError(response.status, code, `HTTP ${response.status}`);
}
