/**
 * How the local cloud's engines (HTTP gateway, event-source-mapping pollers, schedules) invoke a
 * function. Implemented by the worker-thread Lambda runtime; every engine depends only on this.
 */

/** A function's error as Lambda reports it (`Unhandled` errors and timeouts). */
export interface FunctionError {
  /** e.g. `Error`, `TypeError`, `Sandbox.Timedout`. */
  readonly errorType: string;
  readonly errorMessage: string;
}

/** The outcome of one invocation. */
export type InvokeResult =
  | { readonly ok: true; readonly payload: unknown; readonly durationMs: number; readonly coldStart: boolean }
  | {
      readonly ok: false;
      readonly error: FunctionError;
      readonly durationMs: number;
      readonly coldStart: boolean;
    };

/** Options of one invocation. */
export interface InvokeOptions {
  /**
   * Called once the invocation has an execution environment and starts running. Lambda scales out
   * where a laptop's worker pool queues, so time spent waiting for a worker is an artefact of
   * running locally: callers that enforce deadlines (the gateways) start their clocks here.
   */
  readonly onStart?: () => void;
}

/** Invokes functions by id (`<quantum>.<functionName>`, e.g. `identity.api`). */
export interface FunctionInvoker {
  /**
   * Runs `event` through the function like a synchronous (RequestResponse) Lambda invoke.
   * Never rejects for a function error: that is `{ ok: false }`. Rejects only when the id is unknown
   * or the invoker is stopped.
   */
  invoke(functionId: string, event: unknown, options?: InvokeOptions): Promise<InvokeResult>;
}

/** `identity.api` for quantum `identity`, function `api`. */
export function functionIdOf(quantum: string, functionName: string): string {
  return `${quantum}.${functionName}`;
}
