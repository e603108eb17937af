/**
 * Deterministic resource names. Stacks are joined by these names (never by CloudFormation exports),
 * and the local cloud creates its resources under the same names, so a handler's configuration is
 * identical in both places.
 */

/** Default name prefix of every resource. */
export const DEFAULT_PREFIX = 'quanta';

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
  };
}
