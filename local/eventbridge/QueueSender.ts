/** One message for an SQS queue. */
export interface QueueMessage {
  readonly queueUrl: string;
  readonly body: string;
  /** String message attributes (the DLQ envelope uses them). */
  readonly attributes?: Readonly<Record<string, string>>;
}

/**
 * The port through which the bus hands events to SQS targets and DLQs. Production wiring uses
 * `SqsQueueSender` (the real SQS client against fauxqs); tests may inject failures.
 */
export interface QueueSender {
  /**
   * Sends one message; resolves once the queue has accepted it.
   * @throws {TargetDeliveryError} saying whether the failure is worth retrying.
   */
  send(message: QueueMessage): Promise<void>;
}
