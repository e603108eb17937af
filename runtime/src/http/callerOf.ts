import { type AuthorizerContext, authorizerContextSchema } from '@quanta/contracts/platform';

/** The part of an API Gateway event that carries the platform authorizer's verdict. */
export interface AuthorizedEvent {
  readonly requestContext?: { readonly authorizer?: { readonly lambda?: unknown } | null };
}

/**
 * The authenticated caller, read only from `requestContext.authorizer.lambda` (set by the platform
 * authorizer) and parsed with the contract's schema; `undefined` when there is none or it is
 * malformed. Headers are never consulted: a client-sent `x-user-id` means nothing.
 *
 * @example
 * ```ts
 * const caller = callerOf(event); // { userId, sessionId, roles } | undefined
 * ```
 */
export function callerOf(event: AuthorizedEvent): AuthorizerContext | undefined {
  const parsed = authorizerContextSchema.safeParse(event.requestContext?.authorizer?.lambda);
  return parsed.success ? parsed.data : undefined;
}
