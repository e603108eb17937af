import type { AuthorizerContext } from '@quanta/contracts/platform';
import type { AccessTokenVerifier, Denylist } from '../domain/Denylist';
import { InvalidTokenError } from '../errors';

/** The authorizer's verdict. */
type AuthorizationDecision =
  | { readonly allowed: true; readonly caller: AuthorizerContext }
  | { readonly allowed: false; readonly reason: string };

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*)$/i;

/**
 * Decides whether a request's `Authorization` header admits it: a `Bearer` ES256 access token that
 * verifies, from a session that is not on the denylist. Every bad token is a deny with a reason
 * (for logs); only failures of the verification machinery itself (JWKS, denylist table) throw.
 *
 * @example
 * ```ts
 * const decision = await authorizer.authorize(event.headers?.authorization);
 * if (decision.allowed) return { isAuthorized: true, context: decision.caller };
 * ```
 */
export class AccessAuthorizer {
  readonly #verifier: AccessTokenVerifier;
  readonly #denylist: Denylist;
  readonly #now: () => Date;

  constructor(options: { verifier: AccessTokenVerifier; denylist: Denylist; now?: () => Date }) {
    this.#verifier = options.verifier;
    this.#denylist = options.denylist;
    this.#now = options.now ?? (() => new Date());
  }

  async authorize(authorization: string | undefined): Promise<AuthorizationDecision> {
    const token = authorization === undefined ? undefined : BEARER.exec(authorization.trim())?.[1];
    if (token === undefined) return { allowed: false, reason: 'no Bearer token in the Authorization header' };
    let caller: AuthorizerContext;
    try {
      caller = await this.#verifier.verify(token);
    } catch (error) {
      if (error instanceof InvalidTokenError) return { allowed: false, reason: error.message };
      throw error;
    }
    if (await this.#denylist.isDenied(caller.sessionId, Math.floor(this.#now().getTime() / 1000))) {
      return { allowed: false, reason: `session ${caller.sessionId} is revoked` };
    }
    return { allowed: true, caller };
  }
}
