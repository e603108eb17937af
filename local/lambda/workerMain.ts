/**
 * Entry of a function's worker thread (bundled by `FunctionBundler` next to the functions, never
 * imported by the runtime). It plays Lambda's Node.js runtime for one execution environment: loads
 * the bundle once (init), then runs one invocation at a time with a Lambda-like `context`.
 */
import dns from 'node:dns';
import { enableCompileCache, flushCompileCache } from 'node:module';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import type { Context } from 'aws-lambda';
import { toFunctionError } from './toFunctionError';
import type { FromWorkerMessage, InvokeMessage, WorkerData } from './workerProtocol';

/** Lambda's limit for a synchronous invocation's response. */
const MAX_RESPONSE_BYTES = 6_291_556;

type Handler = (event: unknown, context: LambdaContext) => unknown;
type LambdaContext = Omit<Context, 'done' | 'fail' | 'succeed'>;

const data = workerData as WorkerData;
const port = parentPort;
if (port === null) throw new Error('workerMain must run in a worker thread');
if (data.discardOutput) discardOutput();

// Lambda's Node.js runtime turns an unhandled rejection into a fatal Runtime.UnhandledPromiseRejection.
process.on('unhandledRejection', (reason) => {
  const { error } = toFunctionError(reason);
  const fatal = new Error(`${error.errorType}: ${error.errorMessage}`);
  fatal.name = 'Runtime.UnhandledPromiseRejection';
  throw fatal;
});

function post(message: FromWorkerMessage): void {
  port?.postMessage(message);
}

async function init(): Promise<Handler | undefined> {
  if (data.resolveLocalhostSubdomains) resolveLocalhostSubdomains();
  const started = performance.now();
  // The code this worker compiles is kept for the next cold start, and what an earlier one kept is
  // read instead of compiled again (D67). Node.js turns it off under NODE_DISABLE_COMPILE_CACHE=1.
  if (data.compileCacheDir !== undefined) enableCompileCache(data.compileCacheDir);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(data.bundlePath).href)) as Record<string, unknown>;
    // Written now rather than when the thread ends: the budget may retire this worker soon (D64).
    if (data.compileCacheDir !== undefined) flushCompileCache();
  } catch (thrown) {
    const { error, trace } = toFunctionError(thrown);
    post({
      type: 'initError',
      error: { ...error, errorType: initErrorType(thrown, error.errorType) },
      trace,
    });
    return undefined;
  }
  const handler = mod.handler;
  if (typeof handler !== 'function') {
    post({
      type: 'initError',
      error: {
        errorType: 'Runtime.HandlerNotFound',
        errorMessage: 'index.handler is undefined or not exported',
      },
      trace: [],
    });
    return undefined;
  }
  post({ type: 'ready', initDurationMs: performance.now() - started });
  return handler as Handler;
}

function initErrorType(thrown: unknown, errorType: string): string {
  const code = (thrown as { code?: unknown } | null)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return 'Runtime.ImportModuleError';
  if (errorType === 'SyntaxError') return 'Runtime.UserCodeSyntaxError';
  return errorType;
}

function contextFor(requestId: string, deadline: number): LambdaContext {
  return {
    // Kept for shape compatibility; a worker cannot be frozen, so it has no effect here.
    callbackWaitsForEmptyEventLoop: true,
    functionName: data.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: data.functionArn,
    memoryLimitInMB: String(data.memoryMb),
    awsRequestId: requestId,
    logGroupName: data.logGroupName,
    logStreamName: data.logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

async function invoke(handler: Handler, message: InvokeMessage): Promise<void> {
  const started = performance.now();
  const context = contextFor(message.requestId, Date.now() + data.timeoutMs);
  const elapsed = (): number => performance.now() - started;
  let result: unknown;
  try {
    result = await handler(JSON.parse(message.eventJson) as unknown, context);
  } catch (thrown) {
    const { error, trace } = toFunctionError(thrown);
    post({ type: 'result', requestId: message.requestId, ok: false, error, trace, durationMs: elapsed() });
    return;
  }
  let payloadJson: string;
  try {
    payloadJson = JSON.stringify(result) ?? 'null';
  } catch (thrown) {
    const { error, trace } = toFunctionError(thrown);
    post({
      type: 'result',
      requestId: message.requestId,
      ok: false,
      error: {
        errorType: 'Runtime.MarshalError',
        errorMessage: `Unable to stringify response: ${error.errorMessage}`,
      },
      trace,
      durationMs: elapsed(),
    });
    return;
  }
  if (Buffer.byteLength(payloadJson) > MAX_RESPONSE_BYTES) {
    post({
      type: 'result',
      requestId: message.requestId,
      ok: false,
      error: {
        errorType: 'Function.ResponseSizeTooLarge',
        errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
      },
      trace: [],
      durationMs: elapsed(),
    });
    return;
  }
  post({ type: 'result', requestId: message.requestId, ok: true, payloadJson, durationMs: elapsed() });
}

const handlerReady = init();
port.on('message', (message: InvokeMessage) => {
  void handlerReady.then((handler) => (handler === undefined ? undefined : invoke(handler, message)));
});

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
function resolveLocalhostSubdomains(): void {
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

/**
 * Turns the worker's stdout and stderr into sinks that drop every write. A worker's streams post each
 * chunk to the parent thread; when the parent would discard the lines, copying them there is pure
 * cost (a metrics line per invocation, the logger's lines). `console`, Powertools' own `Console` and
 * direct `process.stdout.write` calls all end in these two `write`s.
 */
function discardOutput(): void {
  const discard = ((...args: unknown[]): boolean => {
    // Honour the optional callback, as a real stream would once the chunk is handled.
    const callback = args.findLast((arg) => typeof arg === 'function') as (() => void) | undefined;
    if (callback !== undefined) queueMicrotask(callback);
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = discard;
  process.stderr.write = discard;
}

function rewrite(hostname: string): string {
  return typeof hostname === 'string' && hostname.toLowerCase().endsWith('.localhost')
    ? '127.0.0.1'
    : hostname;
}
