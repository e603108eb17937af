import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { withoutSdkCallLogging } from '../src/observability/sdkCallLogging';
import { testObservability } from '../src/testing/testObservability';

/**
 * A DynamoDB client whose calls never leave the process: a `build`-step middleware answers every
 * call with an empty output, after the `initialize`-step middleware (the logger's) has wrapped it.
 */
function offlineClient(logger: { info: () => void }) {
  const client = new DynamoDBClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    logger: { debug: () => {}, warn: () => {}, error: () => {}, ...logger },
  });
  client.middlewareStack.add(() => async () => ({ output: { $metadata: {} }, response: {} }), {
    step: 'build',
    name: 'answerOffline',
  });
  return client;
}

const getItem = new GetItemCommand({ TableName: 'users', Key: { pk: { S: 'USER#1' } } });

describe('withoutSdkCallLogging', () => {
  it('takes the logger middleware out of the stack and leaves every other middleware', () => {
    // Arrange
    const client = new DynamoDBClient({ region: 'eu-west-1' });
    const before = client.middlewareStack.identify();

    // Act
    const returned = withoutSdkCallLogging(client);

    // Assert
    const after = client.middlewareStack.identify();
    expect(returned).toBe(client);
    expect(before.filter((entry) => entry.startsWith('loggerMiddleware'))).toHaveLength(1);
    expect(after).toEqual(before.filter((entry) => !entry.startsWith('loggerMiddleware')));
  });

  it('stops the SDK from preparing a log entry after each call', async () => {
    // Arrange: the middleware hands every call's redacted input and output to `info`
    const logged = vi.fn();
    const withLogging = offlineClient({ info: logged });
    const without = withoutSdkCallLogging(offlineClient({ info: logged }));

    // Act
    await withLogging.send(getItem);
    const callsWithLogging = logged.mock.calls.length;
    await without.send(getItem);

    // Assert
    expect(callsWithLogging).toBe(1);
    expect(logged).toHaveBeenCalledTimes(1);
  });
});

describe('Observability.awsClient', () => {
  it('returns the client without its logger middleware, traced as the tracer traces clients', () => {
    // Arrange
    const captured: unknown[] = [];
    const observability = testObservability();
    const tracer = vi.spyOn(observability.tracer, 'captureAWSv3Client').mockImplementation((client) => {
      captured.push(client);
      return client;
    });
    const client = new DynamoDBClient({ region: 'eu-west-1' });

    // Act
    const returned = observability.awsClient(client);

    // Assert
    expect(returned).toBe(client);
    expect(tracer).toHaveBeenCalledOnce();
    expect(captured).toEqual([client]);
    expect(client.middlewareStack.identify().some((entry) => entry.startsWith('loggerMiddleware'))).toBe(
      false,
    );
  });
});
