import type { FunctionInvoker, InvokeOptions, InvokeResult } from '../lambda/FunctionInvoker';

/** Called before each invocation the gateway makes (authorizer and integrations alike). */
export type InvokeListener = (functionId: string, event: unknown) => void;

/**
 * A {@link FunctionInvoker} that counts invocations per function and tells a listener about each,
 * so a test can prove a function was never invoked and a benchmark can count authorizer calls.
 *
 * @example
 * ```ts
 * const observed = new ObservedInvoker(invoker);
 * await observed.invoke('identity.api', event);
 * observed.count('identity.api'); // 1
 * ```
 */
export class ObservedInvoker implements FunctionInvoker {
  readonly #inner: FunctionInvoker;
  readonly #listener: InvokeListener | undefined;
  readonly #counts = new Map<string, number>();

  constructor(inner: FunctionInvoker, listener?: InvokeListener) {
    this.#inner = inner;
    this.#listener = listener;
  }

  invoke(functionId: string, event: unknown, options?: InvokeOptions): Promise<InvokeResult> {
    this.#counts.set(functionId, (this.#counts.get(functionId) ?? 0) + 1);
    this.#listener?.(functionId, event);
    return this.#inner.invoke(functionId, event, options);
  }

  /** Invocations of `functionId` so far. */
  count(functionId: string): number {
    return this.#counts.get(functionId) ?? 0;
  }

  /** Invocations per function id so far. */
  counts(): ReadonlyMap<string, number> {
    return new Map(this.#counts);
  }
}
