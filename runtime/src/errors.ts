import type * as z from '@quanta/contracts/zod';

/** Options every {@link QuantaError} accepts. */
export interface QuantaErrorOptions {
  /** Stable UPPER_SNAKE_CASE code; each subclass has a default. */
  readonly code?: string;
  /** Structured details shown to the client (only for statuses below 500). */
  readonly details?: unknown;
  /** The error that caused this one. */
  readonly cause?: unknown;
}

const CODE = /^[A-Z][A-Z0-9_]*$/;

/**
 * Base of every error the runtime knows how to turn into an HTTP response. Its `status` and `code`
 * become the response; its `message` is shown to the client only when `status` is below 500.
 *
 * @example
 * ```ts
 * throw new QuantaError('Quota exceeded for user 42', { status: 429, code: 'QUOTA_EXCEEDED' });
 * ```
 */
export class QuantaError extends Error {
  /** Machine-readable code, UPPER_SNAKE_CASE. */
  readonly code: string;
  /** HTTP status this error maps to. */
  readonly status: number;
  /** Client-visible details (never exposed for 5xx). */
  readonly details: unknown;

  constructor(
    message: string,
    options: QuantaErrorOptions & { readonly status: number; readonly code: string },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    if (!CODE.test(options.code)) {
      // A malformed code would break the error-body contract for every client: fail where it is written.
      throw new TypeError(`QuantaError code must be UPPER_SNAKE_CASE, got ${JSON.stringify(options.code)}`);
    }
    this.name = new.target.name;
    this.code = options.code;
    this.status = options.status;
    this.details = options.details;
  }
}

/** One failed field of a {@link ValidationError}. */
export interface ValidationIssue {
  /** Dotted path of the field (`items.0.sku`), empty for the whole value. */
  readonly path: string;
  /** What was wrong. */
  readonly message: string;
  /** zod's issue code, e.g. `too_small`. */
  readonly code: string;
}

/**
 * 400 `VALIDATION_FAILED`: the input did not match its schema; `details` lists every issue with its path.
 *
 * @example
 * ```ts
 * const parsed = schema.safeParse(body);
 * if (!parsed.success) throw ValidationError.fromZod(parsed.error, 'body');
 * ```
 */
export class ValidationError extends QuantaError {
  declare readonly details: readonly ValidationIssue[];

  constructor(message: string, issues: readonly ValidationIssue[], options: QuantaErrorOptions = {}) {
    super(message, { code: 'VALIDATION_FAILED', ...options, status: 400, details: issues });
  }

  /** Builds the error from a zod error; `what` names the validated value in the message. */
  static fromZod(error: z.core.$ZodError, what: string): ValidationError {
    const issues = error.issues.map((i) => ({
      path: i.path.map((p) => String(p)).join('.'),
      message: i.message,
      code: i.code,
    }));
    const summary = issues.map((i) => (i.path === '' ? i.message : `${i.path}: ${i.message}`)).join('; ');
    return new ValidationError(`Invalid ${what}: ${summary}`, issues, { cause: error });
  }
}

/**
 * 400 with a specific code, for malformed requests that are not schema failures (e.g. `INVALID_JSON`).
 *
 * @example
 * ```ts
 * throw new BadRequestError('Body is not valid JSON', { code: 'INVALID_JSON' });
 * ```
 */
export class BadRequestError extends QuantaError {
  constructor(message: string, options: QuantaErrorOptions = {}) {
    super(message, { code: 'BAD_REQUEST', ...options, status: 400 });
  }
}

/**
 * 401: the caller is not authenticated (or its credentials are invalid).
 *
 * @example
 * ```ts
 * throw new UnauthorizedError('Invalid e-mail or password', { code: 'INVALID_CREDENTIALS' });
 * ```
 */
export class UnauthorizedError extends QuantaError {
  constructor(message = 'Authentication required', options: QuantaErrorOptions = {}) {
    super(message, { code: 'UNAUTHORIZED', ...options, status: 401 });
  }
}

/**
 * 403: the caller is authenticated but not allowed.
 *
 * @example
 * ```ts
 * throw new ForbiddenError("Requires role 'admin'");
 * ```
 */
export class ForbiddenError extends QuantaError {
  constructor(message = 'Forbidden', options: QuantaErrorOptions = {}) {
    super(message, { code: 'FORBIDDEN', ...options, status: 403 });
  }
}

/**
 * 404: the resource (or route) does not exist.
 *
 * @example
 * ```ts
 * throw new NotFoundError(`User ${userId} not found`, { code: 'USER_NOT_FOUND' });
 * ```
 */
export class NotFoundError extends QuantaError {
  constructor(message = 'Not found', options: QuantaErrorOptions = {}) {
    super(message, { code: 'NOT_FOUND', ...options, status: 404 });
  }
}

/**
 * 405: the path exists but not with this method; `allowed` becomes the `Allow` header.
 *
 * @example
 * ```ts
 * throw new MethodNotAllowedError('DELETE', '/orders', ['GET', 'POST']);
 * ```
 */
export class MethodNotAllowedError extends QuantaError {
  /** Methods the path accepts. */
  readonly allowed: readonly string[];

  constructor(method: string, path: string, allowed: readonly string[], options: QuantaErrorOptions = {}) {
    super(`Method ${method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`, {
      code: 'METHOD_NOT_ALLOWED',
      ...options,
      status: 405,
    });
    this.allowed = allowed;
  }
}

/**
 * 409: the request conflicts with the current state.
 *
 * @example
 * ```ts
 * throw new ConflictError('E-mail is already registered', { code: 'EMAIL_TAKEN' });
 * ```
 */
export class ConflictError extends QuantaError {
  constructor(message: string, options: QuantaErrorOptions = {}) {
    super(message, { code: 'CONFLICT', ...options, status: 409 });
  }
}

/**
 * 413: the request body is larger than the route accepts.
 *
 * @example
 * ```ts
 * throw new PayloadTooLargeError('Body has 9000 bytes; this route accepts at most 4096');
 * ```
 */
export class PayloadTooLargeError extends QuantaError {
  constructor(message: string, options: QuantaErrorOptions = {}) {
    super(message, { code: 'PAYLOAD_TOO_LARGE', ...options, status: 413 });
  }
}

/**
 * 415: the request has a body that is not declared `application/json`. A browser posts a form
 * (`application/x-www-form-urlencoded`, `multipart/form-data`, `text/plain`) cross-site without a
 * CORS preflight; refusing every other type keeps such a post from reaching a JSON route.
 *
 * @example
 * ```ts
 * throw new UnsupportedMediaTypeError('Send the body as application/json, not text/plain');
 * ```
 */
export class UnsupportedMediaTypeError extends QuantaError {
  constructor(message: string, options: QuantaErrorOptions = {}) {
    super(message, { code: 'UNSUPPORTED_MEDIA_TYPE', ...options, status: 415 });
  }
}

/**
 * 429: the caller made too many attempts (a brute-force or abuse limit); it may retry after
 * `retryAfterSeconds`, which becomes the `Retry-After` header.
 *
 * @example
 * ```ts
 * throw new TooManyRequestsError('Too many attempts; retry in 60 s', 60);
 * ```
 */
export class TooManyRequestsError extends QuantaError {
  /** Whole seconds the client should wait (at least 1). */
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number, options: QuantaErrorOptions = {}) {
    super(message, { code: 'TOO_MANY_REQUESTS', ...options, status: 429 });
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

/**
 * 503: a dependency is unavailable or contended; the client may retry. The message is not exposed.
 *
 * @example
 * ```ts
 * throw new ServiceUnavailableError('Transaction kept conflicting after 5 attempts', { cause: err });
 * ```
 */
export class ServiceUnavailableError extends QuantaError {
  constructor(message: string, options: QuantaErrorOptions = {}) {
    super(message, { code: 'SERVICE_UNAVAILABLE', ...options, status: 503 });
  }
}

/**
 * 500: the function's configuration (environment, manifest wiring) is wrong. Raised at cold start.
 *
 * @example
 * ```ts
 * throw new ConfigurationError('TABLE_NAME is missing');
 * ```
 */
export class ConfigurationError extends QuantaError {
  constructor(message: string, options: QuantaErrorOptions = {}) {
    super(message, { code: 'CONFIGURATION_INVALID', ...options, status: 500 });
  }
}

/**
 * 500: a request or reply could not be sent (unknown target, SQS refused it). The triggering
 * message is retried, so the send is repeated; receivers are idempotent.
 *
 * @example
 * ```ts
 * throw new MessagingError("No request queue for 'catalog' (REQUEST_QUEUE_URL_CATALOG is not set)");
 * ```
 */
export class MessagingError extends QuantaError {
  constructor(message: string, options: QuantaErrorOptions = {}) {
    super(message, { code: 'MESSAGING_FAILED', ...options, status: 500 });
  }
}

/** One event the bus did not accept. */
export interface FailedEventEntry {
  /** The envelope id of the event. */
  readonly eventId: string;
  /** EventBridge's error code, `NOT_ATTEMPTED` when an earlier batch failed, `REQUEST_FAILED` when the call failed. */
  readonly errorCode: string;
  readonly errorMessage: string;
}

/**
 * 500: some events were not published. Lists every unpublished event (in order) so the caller can
 * retry exactly those; publishing is at-least-once, so a retry may duplicate the accepted ones.
 *
 * @example
 * ```ts
 * try { await publisher.publish(events); } catch (e) { if (e instanceof EventPublishError) retry(e.failed); }
 * ```
 */
export class EventPublishError extends QuantaError {
  /** Unpublished events, in the order they were given. */
  readonly failed: readonly FailedEventEntry[];

  constructor(failed: readonly FailedEventEntry[], options: QuantaErrorOptions = {}) {
    const first = failed[0];
    super(
      `${failed.length} event(s) were not published; first: ${first?.eventId} (${first?.errorCode}: ${first?.errorMessage})`,
      { code: 'EVENT_PUBLISH_FAILED', ...options, status: 500 },
    );
    this.failed = failed;
  }
}

/**
 * 409: another invocation is processing the same idempotency key right now; retry later.
 *
 * @example
 * ```ts
 * throw new IdempotencyInProgressError('evt-1');
 * ```
 */
export class IdempotencyInProgressError extends QuantaError {
  constructor(key: string, options: QuantaErrorOptions = {}) {
    super(`Idempotency key ${key} is being processed by another invocation`, {
      code: 'IDEMPOTENCY_IN_PROGRESS',
      ...options,
      status: 409,
    });
  }
}

/**
 * 503 `DEPENDENCY_UNAVAILABLE`: another quantum's facade did not answer in time, failed, or its
 * circuit is open. The message names the target and the cause; the caller degrades instead of hanging.
 *
 * @example
 * ```ts
 * throw new FacadeUnavailableError('catalog', 'timed out after 2000 ms');
 * ```
 */
export class FacadeUnavailableError extends ServiceUnavailableError {
  /** The quantum whose facade failed. */
  readonly target: string;

  constructor(target: string, reason: string, options: QuantaErrorOptions = {}) {
    super(`${target} is unavailable: ${reason}`, { code: 'DEPENDENCY_UNAVAILABLE', ...options });
    this.target = target;
  }
}

/**
 * The target facade refused the call with a 4xx: a bug or a business answer (e.g. 404) the caller
 * decides about. Maps to 502 if it escapes, because a client of ours did nothing wrong.
 *
 * @example
 * ```ts
 * if (error instanceof FacadeRequestError && error.facadeStatus === 404) return undefined;
 * ```
 */
export class FacadeRequestError extends QuantaError {
  /** The quantum whose facade refused. */
  readonly target: string;
  /** Its HTTP status. */
  readonly facadeStatus: number;
  /** Its response body (parsed JSON when it was JSON). */
  readonly body: unknown;

  constructor(target: string, status: number, body: unknown, options: QuantaErrorOptions = {}) {
    super(`${target} refused the call with HTTP ${status}`, {
      code: 'DEPENDENCY_REFUSED',
      ...options,
      status: 502,
    });
    this.target = target;
    this.facadeStatus = status;
    this.body = body;
  }
}

/**
 * A circuit breaker is open: the protected call was not even attempted.
 *
 * @example
 * ```ts
 * throw new CircuitOpenError(3200);
 * ```
 */
export class CircuitOpenError extends ServiceUnavailableError {
  /** Milliseconds until a trial call is allowed. */
  readonly retryInMs: number;

  constructor(retryInMs: number) {
    super(`circuit open, next attempt in ${retryInMs} ms`, { code: 'CIRCUIT_OPEN' });
    this.retryInMs = retryInMs;
  }
}
