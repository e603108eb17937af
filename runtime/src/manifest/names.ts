/**
 * Deterministic resource names. Stacks are joined by these names (never by CloudFormation exports),
 * and the local cloud creates its resources under the same names, so a handler's configuration is
 * identical in both places.
 */

/** Default name prefix of every resource. */
export const DEFAULT_PREFIX = 'quanta';
/** IAM's limit on role names. */
export const MAX_ROLE_NAME_LENGTH = 64;
/** Room a role stem leaves for `-<region>`: the longest region names (`us-isof-south-1`) have 15 characters. */
const REGION_SUFFIX_LENGTH = 16;

/** PascalCase stack id of a quantum: `orders` -> `Orders`. */
export function stackIdOf(quantum: string): string {
  return quantum.charAt(0).toUpperCase() + quantum.slice(1);
}

/** Names of a quantum's resources and of the platform's meeting points. */
export interface ResourceNames {
  /** The quantum's table. */
  readonly table: string;
  /** The platform's event bus. */
  readonly platformBus: string;
  /** The quantum's own bus (only for a quantum in another account than the platform). */
  readonly quantumBus: string;
  /** Event source of the quantum's events, always `quanta.<name>` (a contract, not a resource name). */
  readonly eventSource: string;
  /** Inbox queue of one subscription. */
  inbox(subscriptionId: string): string;
  /** Request queue of the quantum (commands other quanta send it). */
  readonly requestQueue: string;
  /** Reply queue of the quantum (answers to the requests it sent). */
  readonly replyQueue: string;
  /** Dead-letter queue for a queue name. */
  dlq(queueName: string): string;
  /** SSM parameter holding the quantum's facade API URL. */
  readonly facadeUrlParameter: string;
  /** SSM parameter holding the platform HTTP API URL. */
  readonly httpApiUrlParameter: string;
  /** SSM parameter holding the platform HTTP API's id. */
  readonly httpApiIdParameter: string;
  /** SSM parameter holding the platform WebSocket API URL (`wss://…/{stage}`). */
  readonly webSocketUrlParameter: string;
  /** SSM parameter holding the platform WebSocket API's id. */
  readonly webSocketApiIdParameter: string;
}

/**
 * Names for `quantum` under `prefix`.
 *
 * @example
 * ```ts
 * namesOf('orders').requestQueue; // 'quanta-orders-requests'
 * ```
 */
export function namesOf(quantum: string, prefix: string = DEFAULT_PREFIX): ResourceNames {
  return {
    table: `${prefix}-${quantum}`,
    platformBus: `${prefix}-bus`,
    quantumBus: `${prefix}-${quantum}-bus`,
    eventSource: `quanta.${quantum}`,
    inbox: (subscriptionId) => `${prefix}-${quantum}-${subscriptionId}`,
    requestQueue: `${prefix}-${quantum}-requests`,
    replyQueue: `${prefix}-${quantum}-replies`,
    dlq: (queueName) => `${queueName}-dlq`,
    facadeUrlParameter: `/${prefix}/${quantum}/facade-url`,
    httpApiUrlParameter: `/${prefix}/platform/http-api-url`,
    httpApiIdParameter: `/${prefix}/platform/http-api-id`,
    webSocketUrlParameter: `/${prefix}/platform/websocket-url`,
    webSocketApiIdParameter: `/${prefix}/platform/websocket-api-id`,
  };
}

/**
 * The region-independent part of an IAM role's name: `name` (a function name, say) when it leaves
 * room for `-<region>` within IAM's 64 characters, otherwise its first 39 characters and a hash of
 * the whole, so that two long names never share a stem.
 *
 * @example
 * ```ts
 * roleStemOf('quanta-orders-api'); // 'quanta-orders-api'
 * ```
 */
export function roleStemOf(name: string): string {
  const max = MAX_ROLE_NAME_LENGTH - REGION_SUFFIX_LENGTH;
  if (name.length <= max) return name;
  return `${name.slice(0, max - 9)}-${fnv1a(name)}`;
}

/**
 * A role's deployed name: `<stem>-<region>`. IAM role names are global to an account, so the region
 * keeps two regions' deployments of one prefix apart. `region` may be a deploy-time token.
 *
 * @example
 * ```ts
 * roleNameOf('quanta-orders-api', 'eu-west-1'); // 'quanta-orders-api-eu-west-1'
 * ```
 */
export function roleNameOf(stem: string, region: string): string {
  return `${stem}-${region}`;
}

/** 32-bit FNV-1a of `text` as 8 hex digits: short, stable, and free of node:crypto. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
