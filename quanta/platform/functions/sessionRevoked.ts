import { SessionRevoked } from '@quanta/contracts/identity';
import { functionContext, tableEnvironment } from '@quanta/runtime/config';
import { DynamoDbIdempotencyStore } from '@quanta/runtime/idempotency';
import { sqsBatchHandler } from '@quanta/runtime/messaging';
import { DynamoDbDenylist } from '../adapters/DynamoDbDenylist';

// Composition root of the `SessionRevoked` consumer (SQS inbox of the session-revoked rule).
const { observability, table } = functionContext(tableEnvironment, process.env);
const denylist = new DynamoDbDenylist(table);

/**
 * `sessionRevoked`: fills the denylist from identity's `SessionRevoked` events. A session's access
 * tokens are denied until `tokensValidUntil`, after which none of them verifies anyway.
 */
export const handler = sqsBatchHandler({
  parse: SessionRevoked.envelope,
  handle: ({ data }) => denylist.deny(data.sessionId, data.tokensValidUntil),
  idempotency: new DynamoDbIdempotencyStore({ ...table, leaseSeconds: 60 }),
  idempotencyKey: (event) => `session-revoked#${event.id}`,
  observability,
});
