import net from 'node:net';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startLocalSqs } from '@quanta/runtime/testing';
import { describe, expect, it } from 'vitest';
import { listeningSockets } from '../../test/fixtures/listeningSockets';

describe('startLocalSqs', () => {
  it('starts fauxqs on 127.0.0.1 only, where startFauxqs alone binds every interface', async () => {
    const listen = net.Server.prototype.listen;

    const sqs = await startLocalSqs({ port: 0, logger: false });
    const bound = listeningSockets()
      .filter((s) => s.port === sqs.port)
      .map((s) => s.address);
    const client = new SQSClient({
      endpoint: sqs.address,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const listed = await client.send(new ListQueuesCommand({}));
    client.destroy();
    await sqs.stop();

    expect(sqs.address).toBe(`http://127.0.0.1:${sqs.port}`);
    expect(bound).toEqual(['127.0.0.1']);
    expect(listed.QueueUrls ?? []).toEqual([]);
    expect(net.Server.prototype.listen).toBe(listen);
  });

  it('puts the original listen back when fauxqs cannot start', async () => {
    const listen = net.Server.prototype.listen;
    const taken = await startLocalSqs({ port: 0, logger: false });

    await expect(startLocalSqs({ port: taken.port, logger: false })).rejects.toThrow(/EADDRINUSE/);
    await taken.stop();

    expect(net.Server.prototype.listen).toBe(listen);
  });
});
