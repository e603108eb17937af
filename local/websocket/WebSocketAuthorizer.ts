import { DEADLINE_PASSED, invokeWithDeadline } from '../http/invokeWithDeadline';
import type { FunctionInvoker } from '../lambda/FunctionInvoker';
import type { WebSocketAuthorizerContext, WebSocketAuthorizerEvent } from './webSocketApiEvents';

/** The authorizer's verdict on a handshake. */
export type ConnectAuthorization =
  /** Run `$connect` and every later event with this `requestContext.authorizer`. */
  | { readonly kind: 'allow'; readonly authorizer: WebSocketAuthorizerContext }
  /** An explicit Deny, or no Allow, of `execute-api:Invoke` on the method ARN: 403. */
  | { readonly kind: 'deny' }
  /** The authorizer errored, timed out or answered malformed: 500. */
  | { readonly kind: 'failed'; readonly reason: string };

/** Settings of the `$connect` authorizer. */
export interface WebSocketAuthorizerOptions {
  readonly invoker: FunctionInvoker;
  /** Function id of the authorizer, e.g. `platform.wsAuthorizer`. */
  readonly functionId: string;
  /** How long API Gateway waits for the authorizer. */
  readonly timeoutMs: number;
  /** Clock in epoch milliseconds (measures `integrationLatency`). */
  readonly now: () => number;
}

/** The identity source of the platform's WebSocket authorizer: `route.request.querystring.ticket`. */
export const TICKET_PARAMETER = 'ticket';

/** API Gateway's quota on an authorizer's result ("Lambda authorizer result size", 8 KB). */
const MAX_RESULT_BYTES = 8192;

/**
 * The `$connect` REQUEST Lambda authorizer of a WebSocket API: identity source
 * `route.request.querystring.ticket`, an IAM policy answer (`principalId`, `policyDocument`,
 * optional `context`) evaluated against the `$connect` method ARN, and no result cache (the ticket is
 * one-time, and the platform's authorizer is configured without caching).
 *
 * @example
 * ```ts
 * const authorizer = new WebSocketAuthorizer({ invoker, functionId: 'platform.wsAuthorizer', timeoutMs: 10_000, now: Date.now });
 * if (WebSocketAuthorizer.identitySourceOf(upgrade.queryStringParameters) === undefined) reject(401);
 * const verdict = await authorizer.authorize(buildAuthorizerEvent(api, upgrade, facts, stamp));
 * ```
 */
export class WebSocketAuthorizer {
  readonly #options: WebSocketAuthorizerOptions;

  constructor(options: WebSocketAuthorizerOptions) {
    this.#options = options;
  }

  /** The function id the authorizer runs. */
  get functionId(): string {
    return this.#options.functionId;
  }

  /**
   * The ticket of a handshake, or undefined when it is missing or empty: then API Gateway answers
   * 401 without invoking the authorizer.
   */
  static identitySourceOf(query: Readonly<Record<string, string>> | undefined): string | undefined {
    const ticket = query?.[TICKET_PARAMETER];
    return ticket === undefined || ticket === '' ? undefined : ticket;
  }

  /** Invokes the authorizer with `event` and evaluates its policy against `event.methodArn`. */
  async authorize(event: WebSocketAuthorizerEvent): Promise<ConnectAuthorization> {
    const { invoker, functionId, timeoutMs, now } = this.#options;
    const started = now();
    let result: Awaited<ReturnType<typeof invokeWithDeadline>>;
    try {
      result = await invokeWithDeadline(invoker, functionId, event, timeoutMs);
    } catch (error) {
      return { kind: 'failed', reason: `authorizer could not be invoked: ${String(error)}` };
    }
    if (result === DEADLINE_PASSED)
      return { kind: 'failed', reason: `authorizer timed out after ${timeoutMs} ms` };
    if (!result.ok) {
      return {
        kind: 'failed',
        reason: `authorizer failed: ${result.error.errorType}: ${result.error.errorMessage}`,
      };
    }
    return evaluateAuthorizerResponse(result.payload, event.methodArn, Math.max(0, now() - started));
  }
}

/**
 * Evaluates a Lambda authorizer's IAM policy answer as API Gateway does for `methodArn`: denied by an
 * explicit `Deny` or by the absence of an `Allow` of `execute-api:Invoke` (wildcards `*` and `?` in
 * actions and resources; statements with a `Condition` are not evaluated and never match); malformed
 * (no string `principalId`, no `policyDocument.Statement`, an `Effect` other than Allow/Deny, a
 * `context` value that is an object or array, a result over 8 KB) fails, which API Gateway answers
 * with 500. Context values reach the integration stringified, as API Gateway passes them.
 *
 * @example
 * ```ts
 * evaluateAuthorizerResponse(
 *   { principalId: 'u-1', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: arn }] }, context: { roles: 'customer', admin: false } },
 *   arn,
 *   12,
 * ); // { kind: 'allow', authorizer: { roles: 'customer', admin: 'false', principalId: 'u-1', integrationLatency: 12 } }
 * ```
 */
export function evaluateAuthorizerResponse(
  payload: unknown,
  methodArn: string,
  integrationLatency: number,
): ConnectAuthorization {
  const size = Buffer.byteLength(JSON.stringify(payload) ?? '');
  if (size > MAX_RESULT_BYTES) {
    return {
      kind: 'failed',
      reason: `authorizer result is ${size} bytes; API Gateway allows ${MAX_RESULT_BYTES}`,
    };
  }
  if (!isRecord(payload)) return malformed('the result is not an object', payload);
  const { principalId, policyDocument, context } = payload;
  if (typeof principalId !== 'string') return malformed('principalId is not a string', payload);
  if (!isRecord(policyDocument)) return malformed('policyDocument is not an object', payload);
  const statements = Array.isArray(policyDocument.Statement)
    ? policyDocument.Statement
    : isRecord(policyDocument.Statement)
      ? [policyDocument.Statement]
      : undefined;
  if (statements === undefined) return malformed('policyDocument.Statement is missing', payload);

  let allowed = false;
  for (const statement of statements) {
    if (!isRecord(statement) || (statement.Effect !== 'Allow' && statement.Effect !== 'Deny')) {
      return malformed('a statement has no Effect Allow or Deny', payload);
    }
    if (!statementMatches(statement, methodArn)) continue;
    if (statement.Effect === 'Deny') return { kind: 'deny' };
    allowed = true;
  }
  if (!allowed) return { kind: 'deny' };

  const authorizer: Record<string, string | number | null> = {};
  if (context !== undefined && context !== null) {
    if (!isRecord(context)) return malformed('context is not an object', payload);
    for (const [key, value] of Object.entries(context)) {
      if (value === null) authorizer[key] = null;
      else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        authorizer[key] = String(value);
      else return malformed(`context.${key} is not a string, number or boolean`, payload);
    }
  }
  return { kind: 'allow', authorizer: { ...authorizer, principalId, integrationLatency } };
}

function statementMatches(statement: Record<string, unknown>, methodArn: string): boolean {
  if (statement.Condition !== undefined) return false;
  return (
    anyMatches(statement.Action, 'execute-api:Invoke', true) &&
    anyMatches(statement.Resource, methodArn, false)
  );
}

function anyMatches(patterns: unknown, value: string, ignoreCase: boolean): boolean {
  const list = typeof patterns === 'string' ? [patterns] : Array.isArray(patterns) ? patterns : [];
  return list.some((pattern) => typeof pattern === 'string' && wildcardMatches(pattern, value, ignoreCase));
}

/** IAM wildcard matching: `*` any run of characters, `?` one character, the rest literal. */
function wildcardMatches(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}

function malformed(what: string, payload: unknown): ConnectAuthorization {
  const text = JSON.stringify(payload) ?? String(payload);
  const preview = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return { kind: 'failed', reason: `authorizer returned a malformed response (${what}): ${preview}` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
