import { KMSClient } from '@aws-sdk/client-kms';
import * as z from '@quanta/contracts/zod';
import { ENV, functionContext, tableEnvironment } from '@quanta/runtime/config';
import { httpHandler } from '@quanta/runtime/http';
import { createRouter } from '@quanta/runtime/http/router';
import { DynamoDbSessionRepository } from '../adapters/DynamoDbSessionRepository';
import { DynamoDbUserRepository } from '../adapters/DynamoDbUserRepository';
import { KmsSigningKeyRing } from '../adapters/KmsSigningKeyRing';
import { LocalSigningKeyRing } from '../adapters/LocalSigningKeyRing';
import { ScryptPasswordHasher } from '../adapters/ScryptPasswordHasher';
import { AccessTokenIssuer, type SigningKeyRing } from '../domain/AccessTokenIssuer';
import manifest from '../quantum';
import { IdentityService } from '../service/IdentityService';
import { UserProfiles } from '../service/UserProfiles';
import { routes } from './routes';

const commaList = z.pipe(
  z._default(z.string(), ''),
  z.transform((v: string) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  ),
);

/**
 * Environment of identity's `api` function (set by the CDK stack and the local cloud from the
 * manifest): table, token settings, admin e-mails and exactly one source of signing keys —
 * `SIGNING_KEY_ARNS` (KMS, in AWS) or `SIGNING_KEYS_JWK` (private JWKs, locally).
 */
const apiEnvironment = z
  .extend(tableEnvironment, {
    [ENV.authIssuer]: z.string().check(z.minLength(1)),
    [ENV.authAudience]: z.string().check(z.minLength(1)),
    [ENV.accessTokenTtlSeconds]: z.coerce.number().check(z.int(), z.minimum(60), z.maximum(900)),
    [ENV.refreshTokenTtlSeconds]: z.coerce.number().check(z.int(), z.minimum(300)),
    [ENV.adminEmails]: commaList,
    [ENV.signingKeyArns]: commaList,
    [ENV.signingKeysJwk]: z.optional(z.string()),
  })
  .check(
    z.refine((env) => env.SIGNING_KEY_ARNS.length > 0 !== (env.SIGNING_KEYS_JWK !== undefined), {
      message: 'set exactly one of SIGNING_KEY_ARNS (KMS) or SIGNING_KEYS_JWK (local keys)',
      path: [ENV.signingKeyArns],
    }),
  );

// Composition root of identity's `api` function: runs once per cold start.
const { env, observability, table } = functionContext(apiEnvironment, process.env);
const users = new DynamoDbUserRepository(table);
const keyRing: SigningKeyRing =
  env.SIGNING_KEYS_JWK !== undefined
    ? LocalSigningKeyRing.fromJson(env.SIGNING_KEYS_JWK)
    : new KmsSigningKeyRing({
        client: observability.tracer.captureAWSv3Client(new KMSClient({})),
        keyArns: env.SIGNING_KEY_ARNS,
      });
const service = new IdentityService({
  users,
  sessions: new DynamoDbSessionRepository(table),
  hasher: new ScryptPasswordHasher(),
  tokens: new AccessTokenIssuer({
    keyRing,
    issuer: env.AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE,
    ttlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
  }),
  keyRing,
  refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
  adminEmails: env.ADMIN_EMAILS,
});

const profiles = new UserProfiles(users);

/** `api`: identity's public routes (signup, login, refresh, logout, me, JWKS). */
export const handler = httpHandler(createRouter(manifest.routes ?? [], routes(service, profiles)), {
  observability,
});
