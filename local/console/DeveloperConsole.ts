import type { SQSClient } from '@aws-sdk/client-sqs';
import type { QuantaPlan } from '@quanta/runtime/manifest';
import type { FunctionInvoker } from '../lambda/FunctionInvoker';
import type { FunctionOutput } from '../lambda/FunctionLogSink';
import type { ActivityStoreOptions } from './ActivityStore';
import { ActivityStore } from './ActivityStore';
import { ActivityView } from './ActivityView';
import { ConsoleServer } from './ConsoleServer';
import type { QueuePeek } from './DeadLetters';
import { DeadLetters } from './DeadLetters';
import { activityDirectoryOf } from './describeActivity';
import { RecordingInvoker } from './RecordingInvoker';

/** Options of {@link DeveloperConsole}. */
export interface DeveloperConsoleOptions extends ActivityStoreOptions {
  readonly plan: QuantaPlan;
  /** @default 3004 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Where unexpected errors are reported. @default console.error */
  readonly log?: (message: string) => void;
}

/** What the console needs of the running engines to serve its dead letters. */
export interface ConsoleEngines {
  readonly sqs: SQSClient;
  readonly peek: QueuePeek;
  /** Function logs are recorded (false under `--quiet`, where workers drop them). */
  readonly logsRecorded: boolean;
}

/**
 * The local cloud's developer console: the {@link ActivityStore} the engines report to (its
 * recording methods are the engines' listeners), and, once the engines run, the {@link ConsoleServer}
 * over it. The local cloud creates it only when the console is on, so with `--no-console` no engine
 * has a listener and no invocation passes through a {@link RecordingInvoker}.
 *
 * @example
 * ```ts
 * const devConsole = new DeveloperConsole({ plan, port: 3004 });
 * const bus = new LocalEventBus({ queueSender, onPut: devConsole.store.recordEvent });
 * // … start the engines …
 * const url = await devConsole.start({ sqs, peek, logsRecorded: true }); // 'http://127.0.0.1:3004'
 * ```
 */
export class DeveloperConsole {
  readonly store: ActivityStore;
  readonly view: ActivityView;
  readonly #options: DeveloperConsoleOptions;
  #server: ConsoleServer | undefined;

  constructor(options: DeveloperConsoleOptions) {
    this.#options = options;
    this.store = new ActivityStore(options);
    this.view = new ActivityView(this.store, activityDirectoryOf(options.plan));
  }

  /** `inner`, with every settled invocation recorded. */
  recording(inner: FunctionInvoker): FunctionInvoker {
    return new RecordingInvoker(inner, this.store.recordInvocation);
  }

  /** `output` with each line also recorded; `'discard'` stays as it is (the lines never leave the workers). */
  teeLogs(output: FunctionOutput): FunctionOutput {
    if (output === 'discard') return output;
    const record = this.store.recordLog;
    return (line) => {
      record(line);
      output(line);
    };
  }

  /** Starts serving; resolves with the console's URL. */
  async start(engines: ConsoleEngines): Promise<string> {
    const { plan, port, host, log } = this.#options;
    const deadLetters = new DeadLetters({ plan, sqs: engines.sqs, peek: engines.peek });
    this.#server = new ConsoleServer({
      plan,
      store: this.store,
      view: this.view,
      deadLetters,
      logsRecorded: engines.logsRecorded,
      ...(port === undefined ? {} : { port }),
      ...(host === undefined ? {} : { host }),
      ...(log === undefined ? {} : { log }),
    });
    const { url } = await this.#server.start();
    return url;
  }

  /** Stops serving (live streams end); idempotent. */
  async stop(): Promise<void> {
    await this.#server?.stop();
  }
}
