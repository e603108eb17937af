import { performance } from 'node:perf_hooks';
import type { FauxqsServer } from 'fauxqs';
import { startFauxqs } from 'fauxqs';
import { SqsLocalStartError } from './errors';

/** Options of {@link SqsLocal}. */
export interface SqsLocalOptions {
  /** Port to listen on. @default 0 (a free port) */
  readonly port?: number;
  /** Region of queue ARNs and URLs when a request does not name one. @default 'eu-west-1' */
  readonly region?: string;
  /** The fauxqs starter (injected in tests). @default startFauxqs */
  readonly start?: typeof startFauxqs;
}

/** What {@link SqsLocal.start} reports. */
export interface SqsLocalInfo {
  readonly endpoint: string;
  readonly port: number;
  readonly startMs: number;
}

/**
 * SQS for the local cloud: fauxqs, in-process (visibility timeouts, DLQ redrive, FIFO). Queue URLs
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
      this.fauxqs = await (this.options.start ?? startFauxqs)({
        port: this.options.port ?? 0,
        logger: false,
        defaultRegion: this.options.region ?? 'eu-west-1',
      });
    } catch (cause) {
      throw new SqsLocalStartError(`fauxqs did not start: ${(cause as Error).message}`, { cause });
    }
    return { endpoint: this.fauxqs.address, port: this.fauxqs.port, startMs: performance.now() - started };
  }

  /** Stops the server; idempotent. */
  async stop(): Promise<void> {
    const server = this.fauxqs;
    this.fauxqs = undefined;
    await server?.stop();
  }
}
