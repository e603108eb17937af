import type { FunctionInvoker, InvokeResult } from '../FunctionInvoker';

/** How a {@link RecordingInvoker} answers: a scripted result, or a real invoker's. */
export type Responder = (event: unknown, call: number) => InvokeResult | Promise<InvokeResult>;

/** A successful result carrying `payload`. */
export const succeed = (payload: unknown = null): InvokeResult => ({
  ok: true,
  payload,
  durationMs: 1,
  coldStart: false,
});

/** A failed result, like an Unhandled function error. */
export const fail = (errorType = 'Error', errorMessage = 'boom'): InvokeResult => ({
  ok: false,
  error: { errorType, errorMessage },
  durationMs: 1,
  coldStart: false,
});

/**
 * A test double of the FunctionInvoker port that records every event an engine hands a function
 * (so tests can assert their shape) and answers through `respond`, which may delegate to the real
 * Lambda runtime.
 */
export class RecordingInvoker implements FunctionInvoker {
  readonly events: unknown[] = [];
  readonly functionIds: string[] = [];

  constructor(private readonly respond: Responder = () => succeed()) {}

  async invoke(functionId: string, event: unknown): Promise<InvokeResult> {
    this.events.push(event);
    this.functionIds.push(functionId);
    return this.respond(event, this.events.length);
  }
}
