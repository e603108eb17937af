import type { FunctionInvoker, InvokeOptions, InvokeResult } from '../lambda/FunctionInvoker';
import type { InvocationOutcome } from './ActivityStore';

/** Told about each settled invocation (see `ActivityStore.recordInvocation`). */
export type InvocationListener = (
  functionId: string,
  event: unknown,
  startedAt: number,
  outcome: InvocationOutcome,
) => void;

/**
 * A {@link FunctionInvoker} that tells a listener how every invocation ended, with the event it
 * carried, for the developer console. It keeps references only (the event is serialised once, by
 * the runtime) and adds one clock read and one continuation per invocation; the local cloud leaves
 * it out of the chain when the console is off.
 *
 * @example
 * ```ts
 * const invoker = new RecordingInvoker(faults, store.recordInvocation);
 * await invoker.invoke('orders.api', event); // the store now holds the invocation and its result
 * ```
 */
export class RecordingInvoker implements FunctionInvoker {
  readonly #inner: FunctionInvoker;
  readonly #listener: InvocationListener;
  readonly #now: () => number;

  constructor(inner: FunctionInvoker, listener: InvocationListener, now: () => number = Date.now) {
    this.#inner = inner;
    this.#listener = listener;
    this.#now = now;
  }

  invoke(functionId: string, event: unknown, options?: InvokeOptions): Promise<InvokeResult> {
    const startedAt = this.#now();
    return this.#inner.invoke(functionId, event, options).then(
      (result) => {
        this.#listener(functionId, event, startedAt, result);
        return result;
      },
      (error: unknown) => {
        this.#listener(functionId, event, startedAt, { ok: false, rejected: error });
        throw error;
      },
    );
  }
}
