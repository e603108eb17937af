import type { FunctionInvoker, InvokeResult } from '../lambda/FunctionInvoker';

/** The caller stopped waiting: the deadline passed before the function answered. */
export const DEADLINE_PASSED = Symbol('deadline passed');

/**
 * Invokes like API Gateway waits for a Lambda: at most `timeoutMs` of running. After that the caller
 * gets {@link DEADLINE_PASSED} while the function runs on (as it does on AWS, where only the gateway
 * gives up). The clock starts when the invocation starts running (`onStart`), not while it waits for
 * a local worker: Lambda would have scaled out instead of queueing. Rejects when the invoker rejects
 * (unknown function, stopped invoker).
 *
 * @example
 * ```ts
 * const result = await invokeWithDeadline(invoker, 'identity.api', event, 30_000);
 * if (result === DEADLINE_PASSED) respond(503);
 * ```
 */
export function invokeWithDeadline(
  invoker: FunctionInvoker,
  functionId: string,
  event: unknown,
  timeoutMs: number,
): Promise<InvokeResult | typeof DEADLINE_PASSED> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onStart = (): void => {
      timer = setTimeout(() => resolve(DEADLINE_PASSED), timeoutMs);
      // A pending deadline must not keep a stopping process alive.
      timer.unref();
    };
    invoker.invoke(functionId, event, { onStart }).then(
      (result) => {
        clearTimeout(timer);
        resolve(result);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
