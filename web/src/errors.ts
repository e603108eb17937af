import type { CancellationReason } from '@quanta/contracts/orders';

/** Base error of the web client. */
export class WebClientError extends Error {
  override readonly name: string = 'WebClientError';
}

/**
 * An API call that did not succeed: the HTTP status and the stable `code` of the API's error body
 * (`{ error: { code, message } }`), or `NETWORK_ERROR` when no answer came, or the gateway's own
 * `UNAUTHORIZED` / `FORBIDDEN` (API Gateway answers those without our error body).
 */
export class ApiError extends WebClientError {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The configuration (`/config.json`) is missing or malformed. */
export class ConfigError extends WebClientError {
  override readonly name = 'ConfigError';
}

/**
 * What to tell a person about each error code the API (or a chat `error` frame) may return, in
 * words. Unknown codes fall back on the HTTP status, then on a generic sentence: the person never
 * sees JSON.
 */
const SENTENCES: Readonly<Record<string, string>> = {
  NETWORK_ERROR: 'The shop cannot be reached. Check your connection and try again.',
  VALIDATION_FAILED: 'Some of what you entered is not valid.',
  INVALID_JSON: 'The request could not be read. Please try again.',
  UNSUPPORTED_MEDIA_TYPE: 'The request could not be read. Please try again.',
  PAYLOAD_TOO_LARGE: 'That is too long. Please shorten it.',
  UNAUTHORIZED: 'Please log in first.',
  FORBIDDEN: 'You are not allowed to do that.',
  INVALID_TOKEN: 'Your session has ended. Please log in again.',
  INVALID_CREDENTIALS: 'That e-mail and password do not match an account.',
  INVALID_REFRESH_TOKEN: 'Your session has ended. Please log in again.',
  EMAIL_TAKEN: 'An account with this e-mail already exists. Log in instead.',
  USER_NOT_FOUND: 'That account no longer exists.',
  PRODUCT_NOT_FOUND: 'This product does not exist.',
  PRODUCT_UPDATE_CONFLICT: 'Someone else changed this product at the same time. Please try again.',
  INVALID_CURSOR: 'The list changed while you were reading it. Please reload the page.',
  ORDER_NOT_FOUND: 'This order does not exist.',
  ORDER_NOT_PENDING: 'This order is already finished and cannot be cancelled.',
  IDEMPOTENCY_KEY_REQUIRED: 'The order could not be sent. Please try again.',
  IDEMPOTENCY_KEY_REUSED: 'This order was already placed with different details. Start a new order.',
  UNKNOWN_PRODUCT: 'A product in your order no longer exists.',
  MIXED_CURRENCIES: 'Products priced in different currencies cannot be bought together.',
  ROOM_NOT_FOUND: 'This room does not exist.',
  NOT_JOINED: 'You are not in this room yet. Wait a moment and try again.',
  TOO_MANY_ROOMS: 'You have too many rooms open. Leave one first.',
  RATE_LIMITED: 'You are sending too fast. Wait a moment.',
  MESSAGE_TOO_LONG: 'That message is too long (at most 2,000 characters).',
  UNKNOWN_CONNECTION: 'The live connection was lost. Reconnecting…',
  DEPENDENCY_UNAVAILABLE: 'Part of the shop is not answering right now. Please try again in a moment.',
  SERVICE_UNAVAILABLE: 'The service is busy right now. Please try again in a moment.',
  INTERNAL_ERROR: 'Something went wrong on our side. Please try again.',
};

const BY_STATUS: ReadonlyArray<readonly [number, string]> = [
  [401, 'Please log in first.'],
  [403, 'You are not allowed to do that.'],
  [404, 'That was not found.'],
  [409, 'That conflicts with a change made at the same time. Please try again.'],
  [413, 'That is too long. Please shorten it.'],
  [429, 'Too many requests. Wait a moment and try again.'],
];

/**
 * The sentence to show a person for `error` (an {@link ApiError}, a chat error code, or anything
 * thrown). A validation failure keeps the API's own message, which names the field ("name: must not
 * be blank"), because it is already written for people.
 *
 * @example
 * ```ts
 * sentenceOf(new ApiError(401, 'INVALID_CREDENTIALS', 'Invalid e-mail or password'));
 * // 'That e-mail and password do not match an account.'
 * ```
 */
export function sentenceOf(error: unknown): string {
  if (typeof error === 'string') return SENTENCES[error] ?? SENTENCES.INTERNAL_ERROR ?? '';
  if (error instanceof ApiError) {
    if (error.code === 'VALIDATION_FAILED' && error.message !== '') return `Not valid: ${error.message}`;
    const known = SENTENCES[error.code];
    if (known !== undefined) return known;
    const byStatus = BY_STATUS.find(([status]) => status === error.status)?.[1];
    if (byStatus !== undefined) return byStatus;
    return error.status >= 500
      ? (SENTENCES.INTERNAL_ERROR ?? '')
      : 'That did not work. Please check what you entered.';
  }
  if (error instanceof ConfigError) return 'The shop is not configured correctly. Please try again later.';
  return SENTENCES.INTERNAL_ERROR ?? '';
}

/** Why an order was cancelled, in words (shown beside the `CANCELLED` status with its code). */
export const CANCELLATION_SENTENCES: Readonly<Record<CancellationReason, string>> = {
  OUT_OF_STOCK: 'out of stock',
  PAYMENT_DECLINED: 'the card was declined',
  INSUFFICIENT_FUNDS: 'insufficient funds on the card',
  PAYMENT_FAILED: 'the payment could not be processed',
  TIMEOUT: 'it took too long to complete',
  CANCELLED_BY_CUSTOMER: 'you cancelled it',
};

/** A form value refused by the contract's schema: which field, in the form's own words. */
export interface FieldIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * The sentence for a form the contract's schema refused, naming each field by its label, e.g.
 * "Password must have at least 12 characters.".
 *
 * @example
 * ```ts
 * const parsed = signupRequestSchema.safeParse(values);
 * if (!parsed.success) show(invalidInputSentence(parsed.error.issues, { password: 'Password' }));
 * ```
 */
export function invalidInputSentence(
  issues: readonly FieldIssue[],
  labels: Readonly<Record<string, string>>,
): string {
  const lines = issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const label = labels[key] ?? (key === '' ? 'The form' : key);
    return `${label} ${issue.message.replace(/^Invalid input: /, '')}.`;
  });
  return [...new Set(lines)].join(' ');
}
