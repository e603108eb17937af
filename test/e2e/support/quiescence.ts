import { GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { waitFor } from './waitFor';

/**
 * Waits until no queue of `prefix` holds a visible or in-flight message (DLQs excepted, since
 * parked messages are not work), i.e. every request, reply and event has been consumed: only then
 * is a conservation check final rather than a snapshot.
 */
export async function waitForQuiescence(
  sqsEndpoint: string,
  prefix: string,
  { timeoutMs = 60_000 }: { timeoutMs?: number } = {},
): Promise<void> {
  const sqs = new SQSClient({
    endpoint: sqsEndpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const listed = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: `${prefix}-`, MaxResults: 1000 }));
    // The SDK sends to the queue URL's host (sqs.<region>.localhost); go through the endpoint instead.
    const urls = (listed.QueueUrls ?? [])
      .filter((url) => !url.endsWith('-dlq'))
      .map((url) => `${sqsEndpoint}${new URL(url).pathname}`);
    let quietSince: number | undefined;
    await waitFor(
      'every queue to drain',
      async () => {
        const counts = await Promise.all(
          urls.map(async (QueueUrl) => {
            const { Attributes } = await sqs.send(
              new GetQueueAttributesCommand({
                QueueUrl,
                AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
              }),
            );
            return (
              Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
              Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
            );
          }),
        );
        const busy = counts.reduce((a, b) => a + b, 0) > 0;
        if (busy) {
          quietSince = undefined;
          return undefined;
        }
        // Quiet twice, a second apart: a consumer may be between a receive and its next send.
        quietSince ??= Date.now();
        return Date.now() - quietSince >= 1000 ? true : undefined;
      },
      { timeoutMs, intervalMs: 250 },
    );
  } finally {
    sqs.destroy();
  }
}
