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
