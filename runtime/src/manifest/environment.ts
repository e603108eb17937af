import { namesOf } from './names';
import type { QuantumManifest } from './QuantumManifest';
import type { Registry } from './registry';

/**
 * Names of the environment variables a function receives. Both the CDK stacks and the local cloud
 * set them, so a handler's composition root reads the same configuration wherever it runs.
 */
export const ENV = {
  /** The quantum's name. */
  quantum: 'QUANTUM',
  /** The quantum's table. */
  tableName: 'TABLE_NAME',
  /** Bus that events are published to (the platform bus). */
  eventBusName: 'EVENT_BUS_NAME',
  /** EventBridge source of published events (`quanta.<name>`). */
  eventSource: 'EVENT_SOURCE',
  /** TTL attribute of the table. */
  ttlAttribute: 'TTL_ATTRIBUTE',
  /** Access-token issuer (`iss`). */
  authIssuer: 'AUTH_ISSUER',
  /** Access-token audience (`aud`). */
  authAudience: 'AUTH_AUDIENCE',
  /** Access-token lifetime in seconds. */
  accessTokenTtlSeconds: 'ACCESS_TOKEN_TTL_SECONDS',
  /** Refresh-token lifetime in seconds. */
  refreshTokenTtlSeconds: 'REFRESH_TOKEN_TTL_SECONDS',
  /** Comma-separated e-mails that get the admin role at signup. */
  adminEmails: 'ADMIN_EMAILS',
  /** AWS: comma-separated KMS key ARNs, the first signs, all are published in the JWKS. */
  signingKeyArns: 'SIGNING_KEY_ARNS',
  /** Local: JSON array of private EC P-256 JWKs, the first signs, all are published in the JWKS. */
  signingKeysJwk: 'SIGNING_KEYS_JWK',
  /** Platform authorizer: where identity's JWKS is served. */
  jwksUri: 'JWKS_URI',
  /** Reply queue URL of this quantum (it sends requests). */
  replyQueueUrl: 'REPLY_QUEUE_URL',
  /** Prefix of `REPLY_QUEUE_URL_<SENDER>`: where a replier sends its answers to `<sender>`. */
  replyQueueUrlPrefix: 'REPLY_QUEUE_URL_',
  /** AWS: ARN of the quantum's symmetric KMS key (`encryptionKey: true`). */
  encryptionKeyArn: 'ENCRYPTION_KEY_ARN',
  /** Local: the quantum's 256-bit data key, base64 (`encryptionKey: true`). */
  encryptionKeyLocal: 'ENCRYPTION_KEY_LOCAL',
  /** Prefix of `REQUEST_QUEUE_URL_<TARGET>` (upper-case target quantum). */
  requestQueueUrlPrefix: 'REQUEST_QUEUE_URL_',
  /** Prefix of `FACADE_URL_<TARGET>` (upper-case target quantum). */
  facadeUrlPrefix: 'FACADE_URL_',
} as const;

/**
 * The target-independent part of a function's environment: what a quantum's handlers may rely on
 * everywhere. Targets (CDK stacks, the local cloud) add endpoints, keys and queue URLs.
 *
 * @example
 * ```ts
 * const env = standardEnvironment(identity, registry); // { QUANTUM: 'identity', TABLE_NAME: 'quanta-identity', ... }
 * ```
 */
export function standardEnvironment(manifest: QuantumManifest, registry: Registry): Record<string, string> {
  const names = namesOf(manifest.name, registry.prefix);
  return {
    [ENV.quantum]: manifest.name,
    [ENV.tableName]: names.table,
    [ENV.eventBusName]: names.platformBus,
    [ENV.eventSource]: names.eventSource,
    [ENV.ttlAttribute]: manifest.table.ttlAttribute ?? 'expiresAt',
    [ENV.authIssuer]: registry.auth.issuer,
    [ENV.authAudience]: registry.auth.audience,
    [ENV.accessTokenTtlSeconds]: String(registry.auth.accessTokenTtlSeconds),
    [ENV.refreshTokenTtlSeconds]: String(registry.auth.refreshTokenTtlSeconds),
    [ENV.adminEmails]: registry.adminEmails.join(','),
    POWERTOOLS_SERVICE_NAME: manifest.name,
    POWERTOOLS_METRICS_NAMESPACE: 'Quanta',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    NODE_OPTIONS: '--enable-source-maps',
  };
}

/**
 * A function's complete target-independent environment: {@link standardEnvironment}, then the
 * manifest's static variables for the function, then the registry's per-quantum overrides
 * (`quanta:environment`), which win. Both targets apply exactly this, then add their endpoints.
 *
 * @example
 * ```ts
 * functionEnvironment(orders, 'api', registry).ORDER_DEADLINE_SECONDS; // from cdk.json, if set
 * ```
 */
export function functionEnvironment(
  manifest: QuantumManifest,
  functionName: string,
  registry: Registry,
): Record<string, string> {
  return {
    ...standardEnvironment(manifest, registry),
    ...manifest.functions[functionName]?.environment,
    ...registry.environment[manifest.name],
  };
}

/** `REPLY_QUEUE_URL_ORDERS`: where a replier answers requests from `orders`. */
export function replyQueueUrlVar(sender: string): string {
  return `${ENV.replyQueueUrlPrefix}${sender.toUpperCase()}`;
}

/** `REQUEST_QUEUE_URL_ORDERS` for target `orders`. */
export function requestQueueUrlVar(target: string): string {
  return `${ENV.requestQueueUrlPrefix}${target.toUpperCase()}`;
}

/** `FACADE_URL_CATALOG` for target `catalog`. */
export function facadeUrlVar(target: string): string {
  return `${ENV.facadeUrlPrefix}${target.toUpperCase()}`;
}
