import dns from 'node:dns';

/**
 * Makes `dns.lookup` (callback and promise forms) answer 127.0.0.1 for every `*.localhost` host
 * name, as RFC 6761 §6.3 asks and glibc does not. Local queue URLs look like
 * `http://sqs.eu-west-1.localhost:PORT/000000000000/queue`, and the SQS client sends each request
 * to its QueueUrl's host (`useQueueUrlAsEndpoint`) even when `AWS_ENDPOINT_URL_SQS` is set, so
 * without this a handler could not reach its queues. Called inside a function's worker only:
 * builtin modules are per thread, so the parent process is untouched.
 *
 * @example
 * ```ts
 * resolveLocalhostSubdomains();
 * await dns.promises.lookup('sqs.eu-west-1.localhost'); // { address: '127.0.0.1', family: 4 }
 * ```
 */
export function resolveLocalhostSubdomains(): void {
  const original = dns.lookup;
  const patched = function (this: unknown, hostname: string, ...rest: unknown[]): unknown {
    return Reflect.apply(original, this, [rewrite(hostname), ...rest]);
  };
  Object.defineProperty(dns, 'lookup', { value: patched, writable: true, configurable: true });
  const originalPromise = dns.promises.lookup;
  const patchedPromise = function (this: unknown, hostname: string, ...rest: unknown[]): unknown {
    return Reflect.apply(originalPromise, this, [rewrite(hostname), ...rest]);
  };
  Object.defineProperty(dns.promises, 'lookup', {
    value: patchedPromise,
    writable: true,
    configurable: true,
  });
}

function rewrite(hostname: string): string {
  return typeof hostname === 'string' && hostname.toLowerCase().endsWith('.localhost')
    ? '127.0.0.1'
    : hostname;
}
