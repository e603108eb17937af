import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One entry of a PutEvents call as the fake bus received it. */
export interface ReceivedEntry {
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
  readonly EventBusName: string;
}

/**
 * A minimal EventBridge endpoint (AWS JSON 1.1 `AWSEvents.PutEvents`) that accepts every entry and
 * records it, so a relay's real `EventBridgeClient` can be pointed at it with `AWS_ENDPOINT_URL_EVENTBRIDGE`.
 */
export async function startFakeEventBridge() {
  const entries: ReceivedEntry[] = [];
  const server = createServer(async (req, res) => {
    const body = JSON.parse(await read(req)) as { Entries?: ReceivedEntry[] };
    const received = body.Entries ?? [];
    entries.push(...received);
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(
      JSON.stringify({ FailedEntryCount: 0, Entries: received.map((_, i) => ({ EventId: `evt-${i}` })) }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    entries,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function read(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
