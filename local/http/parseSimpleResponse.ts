/** A valid simple response of a Lambda authorizer (payload format 2.0). */
export interface SimpleAuthorizerResponse {
  readonly isAuthorized: boolean;
  /** The `context`, or null when the authorizer returned none. */
  readonly context: Record<string, unknown> | null;
}

/**
 * Validates a Lambda authorizer's simple response, `{ isAuthorized: boolean, context?: object }`.
 * Undefined when it is malformed (not an object, `isAuthorized` not a boolean, `context` not an
 * object), which API Gateway answers with `500 {"message":"Internal Server Error"}`.
 *
 * @example
 * ```ts
 * parseSimpleResponse({ isAuthorized: true, context: { userId: 'u1' } }); // { isAuthorized: true, context: { userId: 'u1' } }
 * parseSimpleResponse({ isAuthorized: 'yes' }); // undefined
 * ```
 */
export function parseSimpleResponse(payload: unknown): SimpleAuthorizerResponse | undefined {
  if (!isRecord(payload) || typeof payload.isAuthorized !== 'boolean') return undefined;
  const { context } = payload;
  if (context === undefined || context === null) return { isAuthorized: payload.isAuthorized, context: null };
  if (!isRecord(context)) return undefined;
  return { isAuthorized: payload.isAuthorized, context };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
