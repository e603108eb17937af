import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { defineMessage, requestEnvelopeBaseSchema } from '@quanta/contracts/envelope';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MessagingError } from '../src/errors';
import { SqsReplySender, SqsRequestSender } from '../src/messaging/sqsSenders';
import { startLocalSqs } from '../src/testing/startLocalSqs';

const Reserve = defineMessage('Reserve', 1, z.object({ orderId: z.string() }));
const Reserved = defineMessage('Reserved', 1, z.object({ orderId: z.string() }));

let server: Awaited<ReturnType<typeof startLocalSqs>>;
let client: SQSClient;
let requestQueue: string;
let replyQueue: string;

beforeAll(async () => {
  server = await startLocalSqs({ port: 0, logger: false });
  client = new SQSClient({
    endpoint: server.address,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  requestQueue =
    (await client.send(new CreateQueueCommand({ QueueName: 'catalog-requests' }))).QueueUrl ?? '';
  replyQueue = (await client.send(new CreateQueueCommand({ QueueName: 'orders-replies' }))).QueueUrl ?? '';
});
afterAll(async () => {
  client.destroy();
  await server.stop();
});

async function receiveOne(queueUrl: string): Promise<unknown> {
  const received = await client.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 2 }),
  );
  return JSON.parse(received.Messages?.[0]?.Body ?? 'null');
}

describe('the request/reply senders over SQS', () => {
  it('send a request envelope and the reply back to the requester, correlated', async () => {
    const requests = new SqsRequestSender({
      client,
      requester: 'orders',
      queueUrls: { catalog: requestQueue },
    });
    const replies = new SqsReplySender({
      client,
      replier: 'catalog',
      replyQueueUrls: { orders: replyQueue },
    });
    const deadline = new Date(Date.now() + 30_000);

    const sent = await requests.send(
      'catalog',
      Reserve,
      { orderId: 'o1' },
      { correlationId: 'o1', deadline },
    );
    const request = requestEnvelopeBaseSchema.parse(await receiveOne(requestQueue));
    await replies.reply(request, Reserved, { orderId: 'o1' });
    const reply = Reserved.envelope.parse(await receiveOne(replyQueue));

    expect(request).toEqual(sent);
    expect(request).toMatchObject({ replyTo: 'orders', type: 'Reserve', deadline: deadline.toISOString() });
    expect(reply).toMatchObject({
      correlationId: 'o1',
      replyTo: 'catalog',
      deadline: deadline.toISOString(),
    });
    expect(reply.messageId).not.toBe(request.messageId);
  });

  it('refuse a payload that breaks the contract before anything is sent', async () => {
    const requests = new SqsRequestSender({
      client,
      requester: 'orders',
      queueUrls: { catalog: requestQueue },
    });

    await expect(
      requests.send('catalog', Reserve, { orderId: 7 } as never, {
        correlationId: 'x',
        deadline: new Date(),
      }),
    ).rejects.toThrow();
  });

  it('refuse to send to a quantum without a configured queue', async () => {
    const requests = new SqsRequestSender({ client, requester: 'orders', queueUrls: {} });
    const replies = new SqsReplySender({
      client,
      replier: 'catalog',
      replyQueueUrls: { orders: replyQueue },
    });
    const forged = requestEnvelopeBaseSchema.parse({
      messageId: crypto.randomUUID(),
      correlationId: 'c',
      replyTo: 'mallory',
      deadline: new Date().toISOString(),
      type: 'Reserve',
      version: 1,
      payload: {},
    });

    await expect(
      requests.send('catalog', Reserve, { orderId: 'o' }, { correlationId: 'c', deadline: new Date() }),
    ).rejects.toThrow(MessagingError);
    await expect(replies.reply(forged, Reserved, { orderId: 'o' })).rejects.toThrow(
      /Cannot reply to 'mallory'/,
    );
  });
});
