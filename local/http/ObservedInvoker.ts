import type { FunctionInvoker, InvokeOptions, InvokeResult } from '../lambda/FunctionInvoker';

/** Called before each invocation the gateway makes (authorizer and integrations alike). */
export type InvokeListener = (functionId: string, event: unknown) => void;

/** Called once each invocation has ended, whatever its result. */
export type SettledListener = (functionId: string) => void;

/**
 * A {@link FunctionInvoker} that counts invocations per function and tells a listener about each,
 * so a test can prove a function was never invoked and a benchmark can count authorizer calls; a
 * second listener hears when each has ended (the local cloud wakes its stream pollers with it).
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
  readonly #settled: SettledListener | undefined;
  readonly #counts = new Map<string, number>();

  constructor(inner: FunctionInvoker, listener?: InvokeListener, settled?: SettledListener) {
    this.#inner = inner;
    this.#listener = listener;
    this.#settled = settled;
  }

  invoke(functionId: string, event: unknown, options?: InvokeOptions): Promise<InvokeResult> {
    this.#counts.set(functionId, (this.#counts.get(functionId) ?? 0) + 1);
    this.#listener?.(functionId, event);
    const result = this.#inner.invoke(functionId, event, options);
    const settled = this.#settled;
    if (settled === undefined) return result;
    return result.finally(() => settled(functionId));
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
