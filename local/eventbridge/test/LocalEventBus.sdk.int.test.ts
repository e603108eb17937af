import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas';
import {
  EventBridgeClient,
  InvalidEventPatternException,
  PutEventsCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startLocalSqs } from '@quanta/runtime/testing';
import type { FauxqsServer } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsQueueSender } from '../deliverToTarget';
import { LocalEventBus } from '../LocalEventBus';
import { recordingLogger } from './recordingLogger';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const region = 'us-east-1';

// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html and
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html, through the real AWS SDK.
describe('the local EventBridge endpoint, used with the AWS SDK', () => {
  let fauxqs: FauxqsServer;
  let sqs: SQSClient;
  let events: EventBridgeClient;
  let bus: LocalEventBus;
  let inboxUrl: string;
  let deadLetterUrl: string;
  let ruleArn: string;

  const createQueue = async (name: string): Promise<string> => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    if (QueueUrl === undefined) throw new Error(`fauxqs did not return a URL for ${name}`);
    return QueueUrl;
  };

  const receive = async (queueUrl: string) => {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        WaitTimeSeconds: 2,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
      }),
    );
    return Messages;
  };

  beforeAll(async () => {
    fauxqs = await startLocalSqs({ port: 0, logger: false });
    sqs = new SQSClient({ endpoint: fauxqs.address, region, credentials });
    inboxUrl = await createQueue('orders-product-renamed');
    deadLetterUrl = await createQueue('orders-product-renamed-dlq');
    bus = new LocalEventBus({
      queueSender: new SqsQueueSender(sqs),
      region,
      retryBaseDelayMs: 5,
      retryMaxDelayMs: 20,
      logger: recordingLogger(),
    });
    bus.createEventBus('quanta');
    ruleArn = bus.putRule(
      'quanta',
      'orders-product-renamed',
      { source: ['quanta.catalog'], 'detail-type': ['ProductRenamed'] },
      [{ id: 'inbox', queueUrl: inboxUrl }],
    );
    bus.putRule('quanta', 'broken-target', { source: ['quanta.payments'] }, [
      {
        id: 'gone',
        queueUrl: `${fauxqs.address}/000000000000/no-such-queue`,
        deadLetterQueueUrl: deadLetterUrl,
      },
    ]);
    const { url } = await bus.listen(0);
    events = new EventBridgeClient({ endpoint: url, region, credentials });
  });

  afterAll(async () => {
    events?.destroy();
    await bus?.close();
    sqs?.destroy();
    await fauxqs?.stop();
  });

  it('accepts PutEvents and delivers the event to the rule queue in the EventBridge shape', async () => {
    // Arrange
    const detail = { productId: 'p-42', name: 'Green tea' };

    // Act
    const result = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'quanta',
            Source: 'quanta.catalog',
            DetailType: 'ProductRenamed',
            Detail: JSON.stringify(detail),
          },
        ],
      }),
    );
    const messages = await receive(inboxUrl);

    // Assert
    expect(result.FailedEntryCount).toBe(0);
    expect(messages).toHaveLength(1);
    const event = EventBridgeSchema.parse(JSON.parse(messages[0]?.Body ?? 'null'));
    expect(event).toMatchObject({
      id: result.Entries?.[0]?.EventId,
      source: 'quanta.catalog',
      'detail-type': 'ProductRenamed',
      region,
      detail,
    });
  });

  it('reports per-entry failures with ErrorCode and ErrorMessage and a FailedEntryCount', async () => {
    const result = await events.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: 'quanta', Source: 'quanta.catalog', DetailType: 'PriceChanged', Detail: '{}' },
          { EventBusName: 'quanta', DetailType: 'PriceChanged', Detail: '{}' },
          { EventBusName: 'quanta', Source: 'quanta.catalog', DetailType: 'PriceChanged', Detail: '"text"' },
        ],
      }),
    );

    expect(result.FailedEntryCount).toBe(2);
    expect(result.Entries?.[0]?.EventId).toBeTypeOf('string');
    expect(result.Entries?.slice(1)).toEqual([
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.',
      },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
    ]);
  });

  it('rejects a request of more than 10 entries with a ValidationException', async () => {
    const entry = { Source: 'quanta.catalog', DetailType: 'PriceChanged', Detail: '{}' };

    const act = events.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry) }));

    await expect(act).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Member must have length less than or equal to 10'),
    });
  });

  it('sends the event of a target that does not exist to its DLQ with the AWS attributes', async () => {
    const result = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'quanta',
            Source: 'quanta.payments',
            DetailType: 'PaymentAuthorized',
            Detail: '{"id": 1}',
          },
        ],
      }),
    );
    await bus.drain();
    const messages = await receive(deadLetterUrl);

    expect(messages).toHaveLength(1);
    const event = EventBridgeSchema.parse(JSON.parse(messages[0]?.Body ?? 'null'));
    expect(event.id).toBe(result.Entries?.[0]?.EventId);
    const attributes = messages[0]?.MessageAttributes ?? {};
    expect(attributes.ERROR_CODE?.StringValue).toBe('NO_RESOURCE');
    expect(attributes.RULE_ARN?.StringValue).toBe(ruleArn.replace('orders-product-renamed', 'broken-target'));
    expect(attributes.TARGET_ARN?.StringValue).toBe('arn:aws:sqs:us-east-1:000000000000:no-such-queue');
    expect(attributes.RETRY_ATTEMPTS?.StringValue).toBe('0');
  });

  it('answers TestEventPattern, and rejects an invalid pattern with InvalidEventPatternException', async () => {
    const event = JSON.stringify({
      id: '1',
      account: '000000000000',
      source: 'quanta.catalog',
      time: '2026-01-01T00:00:00Z',
      region,
      resources: [],
      'detail-type': 'ProductRenamed',
      detail: { price: 12 },
    });

    const matched = await events.send(
      new TestEventPatternCommand({
        EventPattern: '{"detail": {"price": [{"numeric": [">", 10]}]}}',
        Event: event,
      }),
    );
    const invalid = events.send(
      new TestEventPatternCommand({
        EventPattern: '{"detail": {"price": [{"numeric": [">", 10, ">", 20]}]}}',
        Event: event,
      }),
    );

    expect(matched.Result).toBe(true);
    await expect(invalid).rejects.toBeInstanceOf(InvalidEventPatternException);
    await expect(invalid).rejects.toMatchObject({
      message: 'Event pattern is not valid. Reason: Bad numeric range operator: >',
    });
  });
});
