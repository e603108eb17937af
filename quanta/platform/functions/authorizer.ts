import * as z from '@quanta/contracts/zod';
import { ENV, functionContext, tableEnvironment } from '@quanta/runtime/config';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { DynamoDbDenylist } from '../adapters/DynamoDbDenylist';
import { FetchJwksFetcher } from '../adapters/FetchJwksFetcher';
import { JwtAccessTokenVerifier, maxTokenLifetimeSeconds } from '../adapters/JwtAccessTokenVerifier';
import { AccessAuthorizer } from '../service/AccessAuthorizer';
import { createHttpAuthorizer } from './createHttpAuthorizer';

/**
 * Environment of the HTTP API authorizer: the token issuer's settings (the plan gives every function
 * the registry's `quanta:auth`), its JWKS and the denylist table. `MAX_TOKEN_LIFETIME_SECONDS`
 * (`quanta:environment` of `platform`) overrides the longest accepted `exp - iat`, which is by default
 * the access-token lifetime plus the clock skew (decision D42).
 */
const authorizerEnvironment = z.extend(tableEnvironment, {
  [ENV.jwksUri]: z.url({ protocol: /^https?$/ }),
  [ENV.authIssuer]: z.string().check(z.minLength(1)),
  [ENV.authAudience]: z.string().check(z.minLength(1)),
  [ENV.accessTokenTtlSeconds]: z.coerce.number().check(z.int(), z.minimum(60), z.maximum(900)),
  MAX_TOKEN_LIFETIME_SECONDS: z.optional(z.coerce.number().check(z.int(), z.minimum(60), z.maximum(86_400))),
});

// Composition root of the HTTP API authorizer. Module scope is the Lambda way to keep the JWKS
// (and parsed keys) cached across invocations of this execution environment.
const { env, observability, table } = functionContext(authorizerEnvironment, process.env);
const verifier = new JwtAccessTokenVerifier({
  issuer: env.AUTH_ISSUER,
  audience: env.AUTH_AUDIENCE,
  jwksUri: env.JWKS_URI,
  jwksCache: new SimpleJwksCache({ fetcher: new FetchJwksFetcher({ timeoutMs: 2000 }) }),
  maxLifetimeSeconds: maxTokenLifetimeSeconds(env.ACCESS_TOKEN_TTL_SECONDS, env.MAX_TOKEN_LIFETIME_SECONDS),
});

/** `authorizer`: verifies access tokens for the HTTP API (simple responses). */
export const handler = createHttpAuthorizer(
  new AccessAuthorizer({ verifier, denylist: new DynamoDbDenylist(table) }),
  observability,
);
