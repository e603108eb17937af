import { randomUUID } from 'node:crypto';
import { jwksSchema } from '@quanta/contracts/identity';
import type { E2eTarget } from './E2eTarget';
import { signEs256 } from './forgeToken';

/** Issues access tokens for synthetic users, signed with the local cloud's current identity key. */
export interface TokenMinter {
  /** A valid access token for a new user (or `userId`), with `roles`. */
  mint(options?: { userId?: string; roles?: readonly string[] }): { userId: string; token: string };
}

/**
 * Access tokens exactly like identity's, for load tests that need hundreds of buyers: signing up
 * 1,000 users costs 1,000 scrypt hashes (~5 min of CPU on 2 cores), which measures identity, not the
 * saga. The authorizer verifies these tokens the same way (signature, claims, denylist).
 *
 * @example
 * ```ts
 * const minter = await tokenMinter(target);
 * const { token } = minter.mint({ roles: ['customer'] });
 * ```
 */
export async function tokenMinter(target: E2eTarget): Promise<TokenMinter> {
  const { cloud, registry, httpUrl } = target;
  if (cloud === undefined || registry === undefined) throw new Error('minting tokens needs the local cloud');
  const [key] = cloud.signingKeysOf('identity');
  if (key === undefined) throw new Error('identity has no signing key');
  const jwks = jwksSchema.parse(await (await fetch(`${httpUrl}/identity/.well-known/jwks.json`)).json());
  const kid = jwks.keys.find((k) => k.x === key.x && k.y === key.y)?.kid;
  if (kid === undefined) throw new Error('the current signing key is not in the JWKS');
  const { issuer, audience } = registry.auth;
  return {
    mint({ userId = randomUUID(), roles = ['customer'] } = {}) {
      const now = Math.floor(Date.now() / 1000);
      const token = signEs256(key, kid, {
        iss: issuer,
        aud: audience,
        sub: userId,
        sid: randomUUID(),
        roles: [...roles],
        jti: randomUUID(),
        iat: now,
        nbf: now,
        exp: now + registry.auth.accessTokenTtlSeconds,
      });
      return { userId, token };
    },
  };
}
