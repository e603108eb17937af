import type { FunctionInvoker, InvokeOptions, InvokeResult } from './FunctionInvoker';

/**
 * A {@link FunctionInvoker} whose target is set later: servers can bind their ports (port 0 picks a
 * free one, race-free) before the functions that need those URLs in their environment exist.
 * Invocations that arrive before {@link set} wait for it; after {@link fail} they reject.
 *
 * @example
 * ```ts
 * const deferred = new DeferredInvoker();
 * const gateway = new HttpGateway({ invoker: deferred, port: 0, ... });
 * const { url } = await gateway.start();
 * deferred.set(runtimeBuiltWith(url));
 * ```
 */
export class DeferredInvoker implements FunctionInvoker {
  readonly #target: Promise<FunctionInvoker>;
  #resolve!: (invoker: FunctionInvoker) => void;
  #reject!: (error: unknown) => void;

  constructor() {
    this.#target = new Promise<FunctionInvoker>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // Nobody may be waiting when start-up fails; that is not an unhandled rejection.
    this.#target.catch(() => undefined);
  }

  /** Routes every invocation, past and future, to `invoker`. */
  set(invoker: FunctionInvoker): void {
    this.#resolve(invoker);
  }

  /** Rejects every invocation, past and future, with `error`. */
  fail(error: unknown): void {
    this.#reject(error);
  }

  async invoke(functionId: string, event: unknown, options?: InvokeOptions): Promise<InvokeResult> {
    const target = await this.#target;
    return target.invoke(functionId, event, options);
  }
}
