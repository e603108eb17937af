import { performance } from 'node:perf_hooks';
// The subpath, not `@quanta/runtime/testing`: that index also loads vitest (its DynamoDB Local helpers)
// and Powertools, which the cloud's main thread has no use for.
import { startLocalSqs } from '@quanta/runtime/testing/sqs';
import type { FauxqsServer, SpyMessage, SqsSpyMessage, startFauxqs } from 'fauxqs';
import { SqsLocalStartError } from './errors';

/** Options of {@link SqsLocal}. */
export interface SqsLocalOptions {
  /** Port to listen on. @default 0 (a free port) */
  readonly port?: number;
  /** Region of queue ARNs and URLs when a request does not name one. @default 'eu-west-1' */
  readonly region?: string;
  /** The fauxqs starter (injected in tests). @default startLocalSqs: fauxqs on 127.0.0.1 only */
  readonly start?: typeof startFauxqs;
  /**
   * Told each time a message is sent, deleted or moved to its DLQ (the developer console). Turns on
   * fauxqs's message spy, so leave it out when nobody listens. @default none
   */
  readonly onMessage?: (message: SqsSpyMessage) => void;
}

/** What {@link SqsLocal.start} reports. */
export interface SqsLocalInfo {
  readonly endpoint: string;
  readonly port: number;
  readonly startMs: number;
}

/**
 * SQS for the local cloud: fauxqs, in-process (visibility timeouts, DLQ redrive, FIFO), listening on
 * 127.0.0.1 only (see `startLocalSqs`: fauxqs itself binds every interface). Queue URLs
 * look like `http://sqs.<region>.localhost:<port>/000000000000/<name>`; functions reach them
 * because the Lambda runtime resolves `*.localhost` to 127.0.0.1 in its workers.
 *
 * @example
 * ```ts
 * const sqs = new SqsLocal();
 * const { endpoint } = await sqs.start(); // 'http://127.0.0.1:39345'
 * await sqs.stop();
 * ```
 */
export class SqsLocal {
  private fauxqs: FauxqsServer | undefined;

  constructor(private readonly options: SqsLocalOptions = {}) {}

  /** `http://127.0.0.1:<port>`; throws before `start()`. */
  get endpoint(): string {
    return this.server.address;
  }

  /** The fauxqs server, for inspection (`inspectQueue`) in tests and tools. */
  get server(): FauxqsServer {
    if (this.fauxqs === undefined) throw new SqsLocalStartError('SQS (fauxqs) is not started');
    return this.fauxqs;
  }

  async start(): Promise<SqsLocalInfo> {
    if (this.fauxqs !== undefined) throw new SqsLocalStartError('SQS (fauxqs) is already started');
    const started = performance.now();
    try {
      this.fauxqs = await (this.options.start ?? startLocalSqs)({
        port: this.options.port ?? 0,
        logger: false,
        defaultRegion: this.options.region ?? 'eu-west-1',
        // An empty buffer: the spy keeps nothing, it only hands each message to the listener below.
        ...(this.options.onMessage === undefined ? {} : { messageSpies: { bufferSize: 0 } }),
      });
    } catch (cause) {
      throw new SqsLocalStartError(`fauxqs did not start: ${(cause as Error).message}`, { cause });
    }
    const onMessage = this.options.onMessage;
    if (onMessage !== undefined) this.listen(this.fauxqs, onMessage);
    return { endpoint: this.fauxqs.address, port: this.fauxqs.port, startMs: performance.now() - started };
  }

  /**
   * fauxqs's spy has no subscription, only waiters; a waiter whose filter never matches sees every
   * message as it happens, which is a subscription. It is dropped only by `reset()` (which rejects
   * it), after which it is registered again.
   */
  private listen(server: FauxqsServer, onMessage: (message: SqsSpyMessage) => void): void {
    const tap = (message: SpyMessage): boolean => {
      // fauxqs calls this inside SendMessage/DeleteMessage: a listener's failure must not fail them.
      try {
        if (message.service === 'sqs') onMessage(message);
      } catch {}
      return false;
    };
    server.spy.waitForMessage(tap).catch(() => {
      if (this.fauxqs === server) this.listen(server, onMessage);
    });
  }

  /** Stops the server; idempotent. */
  async stop(): Promise<void> {
    const server = this.fauxqs;
    this.fauxqs = undefined;
    await server?.stop();
  }
}
