import type { DynamoDBClient, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { transactWrite } from '../src/dynamodb/transactWrite';
import { ServiceUnavailableError } from '../src/errors';

function cancelled(...codes: string[]): Error {
  return Object.assign(
    new Error(
      `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    ),
    {
      name: 'TransactionCanceledException',
      CancellationReasons: codes.map((Code) => ({ Code })),
    },
  );
}

/** A fake client that fails with the given errors, in order, then succeeds. */
function failingThen(errors: Error[]) {
  let calls = 0;
  const client = {
    send: async (_command: TransactWriteItemsCommand) => {
      calls++;
      const error = errors.shift();
      if (error !== undefined) throw error;
      return {};
    },
  } as unknown as DynamoDBClient;
  return { client, calls: () => calls };
}

describe('transactWrite', () => {
  it('retries a transaction cancelled only by conflicts with other transactions', async () => {
    // Arrange
    const fake = failingThen([
      cancelled('TransactionConflict', 'None'),
      cancelled('None', 'TransactionConflict'),
    ]);

    // Act
    await transactWrite(fake.client, [], { baseDelayMs: 1 });

    // Assert
    expect(fake.calls()).toBe(3);
  });

  it('rethrows a condition failure at once for the caller to interpret', async () => {
    // Arrange
    const error = cancelled('ConditionalCheckFailed', 'TransactionConflict');
    const fake = failingThen([error]);

    // Act
    const thrown = await transactWrite(fake.client, [], { baseDelayMs: 1 }).catch((e: unknown) => e);

    // Assert
    expect(thrown).toBe(error);
    expect(fake.calls()).toBe(1);
  });

  it('gives up with a 503 after the last attempt', async () => {
    // Arrange
    const fake = failingThen(Array.from({ length: 5 }, () => cancelled('TransactionConflict')));

    // Act
    const thrown = await transactWrite(fake.client, [], { maxAttempts: 3, baseDelayMs: 1 }).catch(
      (e: unknown) => e,
    );

    // Assert
    expect(thrown).toBeInstanceOf(ServiceUnavailableError);
    expect(fake.calls()).toBe(3);
  });
});
