import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KMSClient } from '@aws-sdk/client-kms';
import { DynamoDbSessionRepository } from '../adapters/DynamoDbSessionRepository';
import { DynamoDbUserRepository } from '../adapters/DynamoDbUserRepository';
import { KmsSigningKeyRing } from '../adapters/KmsSigningKeyRing';
import { LocalSigningKeyRing } from '../adapters/LocalSigningKeyRing';
import { ScryptPasswordHasher } from '../adapters/ScryptPasswordHasher';
import type { SigningKeyRing } from '../domain/SigningKeyRing';
import { AccessTokenIssuer } from '../service/AccessTokenIssuer';
import { IdentityService } from '../service/IdentityService';
import { UserProfiles } from '../service/UserProfiles';
import type { ApiEnvironment } from './identityEnvironment';

/** Clients the composition root creates (once per cold start). */
export interface IdentityClients {
  readonly dynamodb: DynamoDBClient;
  /** Only needed when the keys are in KMS. */
  readonly kms: () => KMSClient;
}

/**
 * Wires identity's services from its parsed environment: DynamoDB repositories, scrypt hasher,
 * the KMS key ring when `SIGNING_KEY_ARNS` is set (AWS) or the local one from `SIGNING_KEYS_JWK`.
 *
 * @example
 * ```ts
 * const { service, profiles } = buildIdentity(parseEnvironment(apiEnvironmentSchema, process.env), clients);
 * ```
 */
export function buildIdentity(
  env: ApiEnvironment,
  clients: IdentityClients,
): { service: IdentityService; profiles: UserProfiles } {
  const table = { client: clients.dynamodb, tableName: env.TABLE_NAME, ttlAttribute: env.TTL_ATTRIBUTE };
  const users = new DynamoDbUserRepository(table);
  const keyRing: SigningKeyRing =
    env.SIGNING_KEYS_JWK !== undefined
      ? LocalSigningKeyRing.fromJson(env.SIGNING_KEYS_JWK)
      : new KmsSigningKeyRing({ client: clients.kms(), keyArns: env.SIGNING_KEY_ARNS });
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
  return { service, profiles: new UserProfiles(users) };
}
