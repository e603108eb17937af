import { type AuthorizerContext, authorizerContextSchema } from '@quanta/contracts';
import { UnauthorizedError } from '../errors';

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

/**
 * Like {@link callerOf}, but a missing caller is a 401.
 *
 * @example
 * ```ts
 * const { userId } = requireCaller(event);
 * ```
 */
export function requireCaller(event: AuthorizedEvent): AuthorizerContext {
  const caller = callerOf(event);
  if (caller === undefined) throw new UnauthorizedError('This route requires an authenticated caller');
  return caller;
}
