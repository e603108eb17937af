import { ENV } from '@quanta/runtime/manifest';
import { z } from 'zod';

const tableEnvironment = z.object({
  [ENV.tableName]: z.string().min(1),
  [ENV.ttlAttribute]: z.string().min(1).default('expiresAt'),
});

/** Environment of the HTTP API authorizer: the token issuer's settings, its JWKS and the denylist table. */
export const authorizerEnvironmentSchema = tableEnvironment.extend({
  [ENV.jwksUri]: z.url({ protocol: /^https?$/ }),
  [ENV.authIssuer]: z.string().min(1),
  [ENV.authAudience]: z.string().min(1),
});
export type AuthorizerEnvironment = z.infer<typeof authorizerEnvironmentSchema>;

/** Environment of the platform's `api`, `wsAuthorizer` and `sessionRevoked` functions: the platform table. */
export const tableEnvironmentSchema = tableEnvironment;
export type TableEnvironment = z.infer<typeof tableEnvironmentSchema>;
