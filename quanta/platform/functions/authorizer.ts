import * as z from '@quanta/contracts/zod';
import { ENV, functionContext, tableEnvironment } from '@quanta/runtime/config';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { DynamoDbDenylist } from '../adapters/DynamoDbDenylist';
import { FetchJwksFetcher } from '../adapters/FetchJwksFetcher';
import { JwtAccessTokenVerifier } from '../adapters/JwtAccessTokenVerifier';
import { AccessAuthorizer } from '../service/AccessAuthorizer';
import { createHttpAuthorizer } from './createHttpAuthorizer';

/** Environment of the HTTP API authorizer: the token issuer's settings, its JWKS and the denylist table. */
const authorizerEnvironment = z.extend(tableEnvironment, {
  [ENV.jwksUri]: z.url({ protocol: /^https?$/ }),
  [ENV.authIssuer]: z.string().check(z.minLength(1)),
  [ENV.authAudience]: z.string().check(z.minLength(1)),
});

// Composition root of the HTTP API authorizer. Module scope is the Lambda way to keep the JWKS
// (and parsed keys) cached across invocations of this execution environment.
const { env, observability, table } = functionContext(authorizerEnvironment, process.env);
const verifier = new JwtAccessTokenVerifier({
  issuer: env.AUTH_ISSUER,
  audience: env.AUTH_AUDIENCE,
  jwksUri: env.JWKS_URI,
  jwksCache: new SimpleJwksCache({ fetcher: new FetchJwksFetcher({ timeoutMs: 2000 }) }),
});

/** `authorizer`: verifies access tokens for the HTTP API (simple responses). */
export const handler = createHttpAuthorizer(
  new AccessAuthorizer({ verifier, denylist: new DynamoDbDenylist(table) }),
  observability,
);
