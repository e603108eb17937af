/**
 * Messages between the runtime (parent thread) and a function's worker thread. Events and payloads
 * cross as JSON text, exactly as Lambda serializes them, so a handler never sees values that could
 * not travel over the wire (Dates, undefined, class instances).
 */
import type { FunctionError } from './FunctionInvoker';

/** Static description of the function a worker hosts (`workerData`). */
export interface WorkerData {
  readonly bundlePath: string;
  readonly functionName: string;
  readonly functionArn: string;
  readonly memoryMb: number;
  readonly timeoutMs: number;
  readonly logGroupName: string;
  readonly logStreamName: string;
  /** Resolve `*.localhost` host names to 127.0.0.1 inside the worker (RFC 6761). */
  readonly resolveLocalhostSubdomains: boolean;
  /**
   * Drop everything the function writes to stdout/stderr inside the worker, when the runtime would
   * discard it anyway (`--quiet`): no line is copied to the parent thread only to be thrown away.
   */
  readonly discardOutput: boolean;
  /**
   * Where to keep V8's compile cache of the bundle and the packages it loads (Node's
   * `module.enableCompileCache`), shared by every worker of the build. @default none
   */
  readonly compileCacheDir?: string;
}

/** Parent -> worker: run the handler once. */
export interface InvokeMessage {
  readonly type: 'invoke';
  readonly requestId: string;
  readonly eventJson: string;
}

/** Worker -> parent: the bundle is loaded and the handler found. */
export interface ReadyMessage {
  readonly type: 'ready';
  readonly initDurationMs: number;
}

/** Worker -> parent: loading the bundle failed (the worker is useless afterwards). */
export interface InitErrorMessage {
  readonly type: 'initError';
  readonly error: FunctionError;
  readonly trace: readonly string[];
}

/** Worker -> parent: the outcome of one invocation. */
export type ResultMessage =
  | {
      readonly type: 'result';
      readonly requestId: string;
      readonly ok: true;
      readonly payloadJson: string;
      readonly durationMs: number;
    }
  | {
      readonly type: 'result';
      readonly requestId: string;
      readonly ok: false;
      readonly error: FunctionError;
      readonly trace: readonly string[];
      readonly durationMs: number;
    };

export type FromWorkerMessage = ReadyMessage | InitErrorMessage | ResultMessage;
