import { request } from 'node:http';
import path from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { plan } from '@quanta/runtime/manifest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifests } from '../../../quanta/manifests';
import { readRegistry } from '../../readRegistry';
import { ActivityStore } from '../ActivityStore';
import { ActivityView } from '../ActivityView';
import { ConsoleServer } from '../ConsoleServer';
import { DeadLetters, deadLetterQueuesOf } from '../DeadLetters';
import { activityDirectoryOf } from '../describeActivity';

const root = path.resolve(import.meta.dirname, '../../..');
const quanta = plan(manifests, readRegistry(root));
const store = new ActivityStore();
// No SQS behind it: these tests never get as far as a redrive.
const sqs = new SQSClient({ endpoint: 'http://127.0.0.1:9', region: 'eu-west-1', maxAttempts: 1 });
const server = new ConsoleServer({
  plan: quanta,
  store,
  view: new ActivityView(store, activityDirectoryOf(quanta)),
  deadLetters: new DeadLetters({
    plan: quanta,
    sqs,
    peek: (name) =>
      name === 'quanta-catalog-requests-dlq'
        ? {
            ready: [
              {
                messageId: 'm-1',
                body: '{"type":"ReserveStock","correlationId":"c-1"}',
                sentTimestamp: 1,
                approximateReceiveCount: 5,
              },
            ],
            inFlight: [],
          }
        : undefined,
  }),
  logsRecorded: true,
  port: 0,
  flushIntervalMs: 10,
  page: async () => ({ html: '<!doctype html><title>console</title>', css: 'body{}', js: 'export {};' }),
});
let base: string;

const httpOrder = (requestId: string) => ({
  version: '2.0',
  rawPath: '/orders',
  headers: {},
  requestContext: { requestId, http: { method: 'POST' } },
});

beforeAll(async () => {
  base = (await server.start()).url;
});
afterAll(async () => {
  await server.stop();
  sqs.destroy();
});

/** A raw request, so the Host and Origin headers are the test's (fetch sets its own Host). */
function raw(
  method: string,
  pathname: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; type: string | undefined }> {
  const url = new URL(pathname, base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body, type: res.headers['content-type'] }),
        );
      },
    );
    req.on('error', reject);
    req.end(method === 'POST' ? '{}' : undefined);
  });
}

describe('ConsoleServer', () => {
  it('serves the page and its script at the root', async () => {
    const page = await fetch(`${base}/`);
    const script = await fetch(`${base}/console.js`);

    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>console</title>');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('answers the activity, its detail and the trace of an order the gateway saw created', async () => {
    store.recordInvocation('orders.api', httpOrder('c-42'), Date.now(), {
      ok: true,
      payload: { statusCode: 202, headers: { 'x-correlation-id': 'c-42' }, body: '{"orderId":"o-42"}' },
      durationMs: 5,
      coldStart: false,
    });
    const seq = store.lastSeq;

    const activity = (await (await fetch(`${base}/api/activity?function=orders.api`)).json()) as {
      entries: { seq: number; title: string }[];
    };
    const detail = (await (await fetch(`${base}/api/activity/${seq}`)).json()) as { raw: string };
    const trace = (await (await fetch(`${base}/api/traces/o-42`)).json()) as { correlationId: string };

    expect(activity.entries.map((e) => e.title)).toContain('orders.api: POST /orders → 202');
    expect(detail.raw).toContain('"rawPath": "/orders"');
    expect(trace.correlationId).toBe('c-42');
  });

  it('streams new activity to a live client as Server-Sent Events', async () => {
    const controller = new AbortController();
    const response = await fetch(`${base}/api/stream?after=${store.lastSeq}`, { signal: controller.signal });
    const reader = response.body?.getReader();
    store.recordInvocation('orders.api', httpOrder('c-live'), Date.now(), {
      ok: true,
      payload: { statusCode: 202 },
      durationMs: 1,
      coldStart: false,
    });
    let text = '';
    while (!text.includes('event: activity')) {
      const chunk = await reader?.read();
      if (chunk === undefined || chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    controller.abort();

    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(text).toContain('event: activity');
    expect(text).toContain('c-live');
  });

  it('lists the dead-letter queues with what they hold', async () => {
    const queues = (await (await fetch(`${base}/api/dead-letters`)).json()) as {
      name: string;
      depth: number;
    }[];

    expect(queues[0]).toMatchObject({ name: 'quanta-catalog-requests-dlq', depth: 1 });
  });

  it('answers bad input with a 4xx that says what was wrong', async () => {
    const scheduleDlq = deadLetterQueuesOf(quanta).find((q) => q.kind === 'schedule')?.name;
    const cases = await Promise.all([
      raw('GET', '/api/activity?kind=everything'),
      raw('GET', '/api/activity?limit=0'),
      raw('GET', '/api/activity/abc'),
      raw('GET', '/api/traces/nobody'),
      raw('GET', '/api/dead-letters/not-a-dlq'),
      raw('GET', '/nothing-here'),
      raw('DELETE', '/api/activity'),
      raw('POST', '/api/dead-letters/not-a-dlq/redrive', { 'content-type': 'application/json' }),
      raw('POST', `/api/dead-letters/${scheduleDlq}/redrive`, {
        'content-type': 'application/json',
      }),
    ]);

    expect(cases.map((c) => c.status)).toEqual([400, 400, 400, 404, 404, 404, 405, 404, 409]);
    for (const c of cases) expect(c.type).toBe('application/json; charset=utf-8');
    expect(JSON.parse(cases[0]?.body ?? '{}')).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    expect(JSON.parse(cases[0]?.body ?? '{}').error.message).toContain('kind');
    expect(JSON.parse(cases[3]?.body ?? '{}').error.code).toBe('TRACE_NOT_FOUND');
  });

  it('refuses a page on another host name, and a redrive that is not JSON from its own origin', async () => {
    const rebound = await raw('GET', '/api/activity', { host: 'evil.example:3004' });
    const form = await raw('POST', '/api/dead-letters/quanta-catalog-requests-dlq/redrive', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    const crossSite = await raw('POST', '/api/dead-letters/quanta-catalog-requests-dlq/redrive', {
      'content-type': 'application/json',
      origin: 'http://evil.example',
    });

    expect([rebound.status, form.status, crossSite.status]).toEqual([403, 415, 403]);
  });
});
