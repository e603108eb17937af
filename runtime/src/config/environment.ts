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
  /** Prefix of `WORK_QUEUE_URL_<ID>`: the quantum's own work queues (upper snake case id). */
  workQueueUrlPrefix: 'WORK_QUEUE_URL_',
  /** The WebSocket API's `@connections` endpoint (`https://{api}.execute-api…/{stage}`; locally `http://…/live`). */
  webSocketManagementUrl: 'WEBSOCKET_MANAGEMENT_URL',
  /** The WebSocket API's URL clients connect to (`wss://…/{stage}`; locally `ws://127.0.0.1:3001`). */
  webSocketUrl: 'WEBSOCKET_URL',
} as const;

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

/** `WORK_QUEUE_URL_FANOUT` for work queue `fanout` (`WORK_QUEUE_URL_BIG_ROOMS` for `big-rooms`). */
export function workQueueUrlVar(id: string): string {
  return `${ENV.workQueueUrlPrefix}${id.replace(/-/g, '_').toUpperCase()}`;
}
