// Conditional writes and how to read their failures: the single-item kind
// (`isConditionalCheckFailed`) and the transactional kind (`transactionCancellationReasons`).
import {
  type DynamoDBClient,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { ServiceUnavailableError } from '../errors';

/** Options of {@link transactWrite}. */
export interface TransactWriteOptions {
  /** Attempts while the transaction is cancelled only by conflicts with other transactions. @default 5 */
  readonly maxAttempts?: number;
  /** Base of the jittered exponential backoff between attempts, in ms. @default 20 */
  readonly baseDelayMs?: number;
  /** Idempotency token, so an SDK-level retry of a committed transaction is not applied twice. */
  readonly clientRequestToken?: string;
}

/**
 * `TransactWriteItems` that retries, with jittered backoff, when it was cancelled only because
 * another transaction was touching the same items (`TransactionConflict`); the SDK does not retry
 * cancellations. A cancellation for any other reason (e.g. `ConditionalCheckFailed`) is rethrown
 * for the caller to interpret with `transactionCancellationReasons`; persistent conflicts become a
 * 503 {@link ServiceUnavailableError}.
 *
 * @example
 * ```ts
 * await transactWrite(client, [userPut, emailPut, outboxPut(event, { tableName })]);
 * ```
 */
export async function transactWrite(
  client: DynamoDBClient,
  items: readonly TransactWriteItem[],
  options: TransactWriteOptions = {},
): Promise<void> {
  const maxAttempts = options.maxAttempts ?? 5;
  const base = options.baseDelayMs ?? 20;
  for (let attempt = 1; ; attempt++) {
    try {
      await client.send(
        new TransactWriteItemsCommand({
          TransactItems: [...items],
          ClientRequestToken: options.clientRequestToken,
        }),
      );
      return;
    } catch (error) {
      const reasons = transactionCancellationReasons(error);
      const onlyConflicts =
        (reasons?.some((r) => r === 'TransactionConflict') ?? false) &&
        (reasons?.every((r) => r === 'TransactionConflict' || r === 'None') ?? false);
      const conflicted =
        onlyConflicts || (error instanceof Error && error.name === 'TransactionConflictException');
      if (!conflicted) throw error;
      if (attempt >= maxAttempts) {
        throw new ServiceUnavailableError(`Transaction still conflicting after ${attempt} attempts`, {
          cause: error,
        });
      }
      await new Promise((r) => setTimeout(r, Math.random() * base * 2 ** attempt));
    }
  }
}

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

/**
 * True when a DynamoDB call failed only because its condition expression was false
 * (`ConditionalCheckFailedException`), the expected outcome of a lost race, not a fault.
 *
 * @example
 * ```ts
 * try { await client.send(put); } catch (e) { if (isConditionalCheckFailed(e)) return 'TAKEN'; throw e; }
 * ```
 */
export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
