import { ENV } from '../config/environment';

function urlsWithPrefix(env: NodeJS.ProcessEnv, prefix: string): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith(prefix) && key.length > prefix.length && value !== undefined && value !== '') {
      urls[key.slice(prefix.length).toLowerCase()] = value;
    }
  }
  return urls;
}

/**
 * The request queues this function may send to, from `REQUEST_QUEUE_URL_<TARGET>` variables.
 *
 * @example
 * ```ts
 * requestQueueUrlsFrom(process.env); // { catalog: 'https://sqs…/quanta-catalog-requests', payments: '…' }
 * ```
 */
export function requestQueueUrlsFrom(env: NodeJS.ProcessEnv): Record<string, string> {
  return urlsWithPrefix(env, ENV.requestQueueUrlPrefix);
}

/**
 * The reply queues this request handler may answer to, from `REPLY_QUEUE_URL_<SENDER>` variables.
 *
 * @example
 * ```ts
 * replyQueueUrlsFrom(process.env); // { orders: 'https://sqs…/quanta-orders-replies' }
 * ```
 */
export function replyQueueUrlsFrom(env: NodeJS.ProcessEnv): Record<string, string> {
  return urlsWithPrefix(env, ENV.replyQueueUrlPrefix);
}
