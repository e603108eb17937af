import { KMSClient } from '@aws-sdk/client-kms';
import * as z from '@quanta/contracts/zod';
import { ENV, functionContext, tableEnvironment } from '@quanta/runtime/config';
import { httpHandler } from '@quanta/runtime/http';
import { createRouter } from '@quanta/runtime/http/router';
import { DynamoDbRoleRepository } from '../adapters/DynamoDbRoleRepository';
import { DynamoDbSessionRepository } from '../adapters/DynamoDbSessionRepository';
import { DynamoDbThrottleStore } from '../adapters/DynamoDbThrottleStore';
import { DynamoDbUserRepository } from '../adapters/DynamoDbUserRepository';
import { KmsSigningKeyRing } from '../adapters/KmsSigningKeyRing';
import { LocalSigningKeyRing } from '../adapters/LocalSigningKeyRing';
import { PowertoolsAuditLog } from '../adapters/PowertoolsAuditLog';
import { ScryptPasswordHasher } from '../adapters/ScryptPasswordHasher';
import { AccessTokenIssuer, type SigningKeyRing } from '../domain/AccessTokenIssuer';
import manifest from '../quantum';
import { AttemptLimits } from '../service/AttemptLimits';
import { IdentityService } from '../service/IdentityService';
import { RoleAdministration } from '../service/RoleAdministration';
import { SessionRevocation } from '../service/SessionRevocation';
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

const count = (min: number, max: number) => z.coerce.number().check(z.int(), z.minimum(min), z.maximum(max));

/**
 * Environment of identity's `api` function (set by the CDK stack and the local cloud from the
 * manifest): table, token settings, admin e-mails, the abuse limits and exactly one source of
 * signing keys — `SIGNING_KEY_ARNS` (KMS, in AWS) or `SIGNING_KEYS_JWK` (private JWKs, locally).
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
    LOGIN_MAX_FAILURES_PER_ACCOUNT: count(1, 10),
    LOGIN_LOCK_SECONDS: count(1, 86_400),
    LOGIN_LOCK_MAX_SECONDS: count(1, 86_400),
    LOGIN_ATTEMPTS_PER_IP: count(1, 1_000_000),
    LOGIN_IP_WINDOW_SECONDS: count(1, 86_400),
    SIGNUPS_PER_IP: count(1, 1_000_000),
    SIGNUP_IP_WINDOW_SECONDS: count(1, 86_400),
  })
  .check(
    z.refine((env) => env.SIGNING_KEY_ARNS.length > 0 !== (env.SIGNING_KEYS_JWK !== undefined), {
      message: 'set exactly one of SIGNING_KEY_ARNS (KMS) or SIGNING_KEYS_JWK (local keys)',
      path: [ENV.signingKeyArns],
    }),
    z.refine((env) => env.LOGIN_LOCK_MAX_SECONDS >= env.LOGIN_LOCK_SECONDS, {
      message: 'must not be below LOGIN_LOCK_SECONDS',
      path: ['LOGIN_LOCK_MAX_SECONDS'],
    }),
  );

// Composition root of identity's `api` function: runs once per cold start.
const { env, observability, table } = functionContext(apiEnvironment, process.env);
const users = new DynamoDbUserRepository(table);
const roles = new DynamoDbRoleRepository(table);
const sessions = new DynamoDbSessionRepository(table);
const audit = new PowertoolsAuditLog(observability.logger, observability.metrics);
const keyRing: SigningKeyRing =
  env.SIGNING_KEYS_JWK !== undefined
    ? LocalSigningKeyRing.fromJson(env.SIGNING_KEYS_JWK)
    : new KmsSigningKeyRing({
        client: observability.awsClient(new KMSClient({})),
        keyArns: env.SIGNING_KEY_ARNS,
      });
const revocation = new SessionRevocation({
  sessions,
  audit,
  accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
});
const service = new IdentityService({
  users,
  roles,
  sessions,
  hasher: new ScryptPasswordHasher(),
  tokens: new AccessTokenIssuer({
    keyRing,
    issuer: env.AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE,
    ttlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
  }),
  keyRing,
  limits: new AttemptLimits({
    store: new DynamoDbThrottleStore(table),
    audit,
    settings: {
      loginMaxFailures: env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      loginLockSeconds: env.LOGIN_LOCK_SECONDS,
      loginLockMaxSeconds: env.LOGIN_LOCK_MAX_SECONDS,
      loginAttemptsPerIp: env.LOGIN_ATTEMPTS_PER_IP,
      loginIpWindowSeconds: env.LOGIN_IP_WINDOW_SECONDS,
      signupsPerIp: env.SIGNUPS_PER_IP,
      signupIpWindowSeconds: env.SIGNUP_IP_WINDOW_SECONDS,
    },
  }),
  revocation,
  audit,
  refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
  adminEmails: env.ADMIN_EMAILS,
});

/** `api`: identity's public routes (signup, login, refresh, logout, me, password, roles, JWKS). */
export const handler = httpHandler(
  createRouter(
    manifest.routes ?? [],
    routes({
      service,
      profiles: new UserProfiles(roles),
      roles: new RoleAdministration({ users, roles, revocation, audit }),
    }),
  ),
  { observability },
);
