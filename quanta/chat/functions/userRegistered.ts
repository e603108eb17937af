import { UserRegistered } from '@quanta/contracts/identity';
import { functionContext, tableEnvironment } from '@quanta/runtime/config';
import { sqsBatchHandler } from '@quanta/runtime/messaging';
import { DynamoDbUserDirectory } from '../adapters/DynamoDbUserDirectory';

// Composition root of chat's `userRegistered` function (inbox of identity's UserRegistered).
const { observability, table } = functionContext(tableEnvironment, process.env);
const users = new DynamoDbUserDirectory(table);

/** `userRegistered`: keeps chat's copy of display names (a put per event: idempotent). */
export const handler = sqsBatchHandler({
  parse: UserRegistered.envelope,
  handle: ({ data }) => users.remember(data.userId, data.displayName),
  observability,
});
