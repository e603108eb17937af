import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { SqsLocalStartError } from '../errors';
import { SqsLocal } from '../SqsLocal';

describe('SqsLocal', () => {
  it('starts fauxqs in-process on a free port, answers the SQS API, and frees the port on stop', async () => {
    const local = new SqsLocal();

    const info = await local.start();
    const client = new SQSClient({
      endpoint: info.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    const listed = await client.send(new ListQueuesCommand({}));
    await local.stop();

    expect(info.endpoint).toBe(`http://127.0.0.1:${info.port}`);
    expect(listed.QueueUrls ?? []).toEqual([]);
    await expect(client.send(new ListQueuesCommand({}))).rejects.toThrow();
    client.destroy();
    expect(() => local.endpoint).toThrow(SqsLocalStartError);
  });
});
