import type { FunctionInvoker, InvokeOptions, InvokeResult } from '../../lambda/FunctionInvoker';

/** A handler of the fake: returns the function's payload, or throws for a function error. */
export type FakeHandler = (event: unknown) => unknown;

/** Thrown by a fake handler to report what Lambda reports for a function that ran out of time. */
export class FakeFunctionTimeout extends Error {
  constructor() {
    super('Task timed out after 3.00 seconds');
    this.name = 'Sandbox.Timedout';
  }
}

/**
 * In-process test double of the worker-thread invoker: functions are plain functions keyed by id.
 * Events and payloads cross a JSON round trip, as they cross Lambda's Invoke API, so a handler can
 * neither share objects with the gateway nor return what JSON cannot carry.
 */
export class FakeInvoker implements FunctionInvoker {
  readonly #handlers = new Map<string, FakeHandler>();
  readonly #events = new Map<string, unknown[]>();

  constructor(handlers: Readonly<Record<string, FakeHandler>> = {}) {
    for (const [id, handler] of Object.entries(handlers)) this.#handlers.set(id, handler);
  }

  /** Replaces the handler of `functionId`. */
  on(functionId: string, handler: FakeHandler): this {
    this.#handlers.set(functionId, handler);
    return this;
  }

  /** Events `functionId` received, oldest first. */
  eventsOf(functionId: string): unknown[] {
    return this.#events.get(functionId) ?? [];
  }

  /** The last event `functionId` received. */
  lastEventOf(functionId: string): unknown {
    return this.eventsOf(functionId).at(-1);
  }

  /** Forgets recorded events. */
  reset(): void {
    this.#events.clear();
  }

  async invoke(functionId: string, event: unknown, options: InvokeOptions = {}): Promise<InvokeResult> {
    const handler = this.#handlers.get(functionId);
    if (handler === undefined) throw new Error(`Unknown function '${functionId}'`);
    options.onStart?.();
    const received: unknown = JSON.parse(JSON.stringify(event));
    this.#events.set(functionId, [...this.eventsOf(functionId), received]);
    try {
      const returned = await handler(received);
      const payload: unknown = returned === undefined ? null : JSON.parse(JSON.stringify(returned));
      return { ok: true, payload, durationMs: 1, coldStart: false };
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      return {
        ok: false,
        error: { errorType: e.name, errorMessage: e.message },
        durationMs: 1,
        coldStart: false,
      };
    }
  }
}
