/**
 * The per-item cancellation codes of a failed `TransactWriteItems` (`TransactionCanceledException`),
 * in the order of its `TransactItems` (`'None'` for items that were fine); `undefined` for any
 * other error. Codes include `ConditionalCheckFailed` and `TransactionConflict`.
 *
 * @example
 * ```ts
 * const reasons = transactionCancellationReasons(error); // ['None', 'ConditionalCheckFailed', 'None']
 * if (reasons?.[1] === 'ConditionalCheckFailed') throw new EmailTakenError(email);
 * ```
 */
export function transactionCancellationReasons(error: unknown): readonly string[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as Error & { CancellationReasons?: readonly { Code?: string }[] })
    .CancellationReasons;
  if (reasons !== undefined) return reasons.map((r) => r.Code ?? 'None');
  // Some engines only put the reasons in the message: "... [None, ConditionalCheckFailed, None]".
  const listed = /\[([^\]]*)\]/.exec(error.message)?.[1];
  return listed === undefined ? [] : listed.split(',').map((r) => r.trim() || 'None');
}
