import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** One entry of a cancelled transaction's `CancellationReasons`. */
interface CancellationReason {
  /** `None`, `ConditionalCheckFailed`, `TransactionConflict`, … */
  readonly Code?: string;
  /** The item as the failed check saw it (with `ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`). */
  readonly Item?: Record<string, AttributeValue>;
}

/**
 * The `CancellationReasons` of a cancelled `TransactWriteItems`, with the items the failed checks
 * saw; `undefined` for any other error. (The runtime's `transactionCancellationReasons` gives the
 * codes only; a reservation needs the items to decide again without reading.)
 *
 * @example
 * ```ts
 * const reasons = cancellationReasonsOf(error); // [{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: {…} }]
 * ```
 */
export function cancellationReasonsOf(error: unknown): readonly CancellationReason[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  return (error as Error & { CancellationReasons?: readonly CancellationReason[] }).CancellationReasons;
}
