/** A queue the local cloud creates. */
export interface QueueSpec {
  readonly name: string;
  /** @default 30 (SQS's default) */
  readonly visibilityTimeoutSeconds?: number;
  /** FIFO queue (the name must end in `.fifo`). @default false */
  readonly fifo?: boolean;
  /** A DLQ receiving the messages received more than `maxReceiveCount` times. */
  readonly deadLetter?: {
    readonly maxReceiveCount: number;
    /** @default `<name>-dlq` (`<base>-dlq.fifo` for a FIFO queue), as `ResourceNames.dlq` */
    readonly name?: string;
  };
}

/** A queue consumed by a function through an event source mapping. */
export interface QueueBinding {
  readonly queue: QueueSpec;
  readonly functionId: string;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
}
