/**
 * How an event source mapping reads a function's response when `ReportBatchItemFailures` is on.
 * The rules are AWS's, from "Handling errors for an SQS event source in Lambda"
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html, section
 * "Implementing partial batch responses" / "Success and failure conditions") and, for streams,
 * "Configuring partial batch response with DynamoDB and Lambda"
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html):
 *
 * - complete success: an empty `batchItemFailures` list, a null `batchItemFailures` list, an empty
 *   EventResponse (`{}`), a null EventResponse (the handler returned nothing);
 * - complete failure: an invalid JSON response, an empty string `itemIdentifier`, a null
 *   `itemIdentifier`, an `itemIdentifier` with a bad key name, an `itemIdentifier` value that is not
 *   in the batch (the SQS page says "a message ID that doesn't exist"; streams get the same rule
 *   here, so a typo never checkpoints past a record).
 *
 * "Invalid JSON" covers any response that cannot be read as an EventResponse: a string, a number,
 * an array, a `batchItemFailures` that is not a list, or a list entry that is not an object.
 * Fields other than `batchItemFailures` are ignored, as by Lambda's deserializer.
 */
export type BatchResponseVerdict =
  | { readonly kind: 'success' }
  | { readonly kind: 'partial'; readonly failed: ReadonlySet<string> }
  | { readonly kind: 'failure'; readonly reason: string };

/**
 * Classifies `payload` (the function's parsed response) against the ids of the batch
 * (SQS `messageId`s or stream `SequenceNumber`s).
 *
 * @example
 * ```ts
 * batchItemFailuresOf({ batchItemFailures: [{ itemIdentifier: 'm2' }] }, ['m1', 'm2']);
 * // { kind: 'partial', failed: Set { 'm2' } }
 * batchItemFailuresOf({ batchItemFailures: [{ itemIdentifier: '' }] }, ['m1']);
 * // { kind: 'failure', reason: 'batchItemFailures[0].itemIdentifier is empty' }
 * ```
 */
export function batchItemFailuresOf(payload: unknown, batchIds: readonly string[]): BatchResponseVerdict {
  if (payload === null || payload === undefined) return { kind: 'success' };
  if (typeof payload !== 'object' || Array.isArray(payload)) {
    return { kind: 'failure', reason: `response is not an EventResponse object: ${preview(payload)}` };
  }
  const list = (payload as { batchItemFailures?: unknown }).batchItemFailures;
  if (list === null || list === undefined) return { kind: 'success' };
  if (!Array.isArray(list))
    return { kind: 'failure', reason: `batchItemFailures is not a list: ${preview(list)}` };
  if (list.length === 0) return { kind: 'success' };
  const known = new Set(batchIds);
  const failed = new Set<string>();
  for (const [index, entry] of list.entries()) {
    const where = `batchItemFailures[${index}]`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      return { kind: 'failure', reason: `${where} is not an object: ${preview(entry)}` };
    }
    if (!('itemIdentifier' in entry)) {
      return { kind: 'failure', reason: `${where} has no itemIdentifier key: ${preview(entry)}` };
    }
    const id = (entry as { itemIdentifier: unknown }).itemIdentifier;
    if (id === null || id === undefined)
      return { kind: 'failure', reason: `${where}.itemIdentifier is null` };
    if (typeof id !== 'string')
      return { kind: 'failure', reason: `${where}.itemIdentifier is not a string: ${preview(id)}` };
    if (id === '') return { kind: 'failure', reason: `${where}.itemIdentifier is empty` };
    if (!known.has(id))
      return { kind: 'failure', reason: `${where}.itemIdentifier '${id}' is not in the batch` };
    failed.add(id);
  }
  return { kind: 'partial', failed };
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
