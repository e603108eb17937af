import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CircuitOpenError, FacadeRequestError, FacadeUnavailableError } from '../src/errors';
import { CircuitBreaker, FacadeClient } from '../src/facade/FacadeClient';

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret-for-tests' };
const region = 'eu-west-1';

/** Behaviour of the fake facade per operation name. */
type Behaviour = 'ok' | 'hang' | '500' | '404' | 'off-contract';
let hits = 0;
let lastSignatureValid = false;
let server: http.Server;
let baseUrl: string;

/** Re-signs what it received with the same key and date: equal Authorization headers prove the signature. */
async function signatureIsValid(req: http.IncomingMessage, body: string): Promise<boolean> {
  const signer = new SignatureV4({ service: 'execute-api', region, credentials, sha256: Sha256 });
  const url = new URL(req.url ?? '/', 'http://placeholder');
  const amzDate = String(req.headers['x-amz-date']);
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const resigned = await signer.sign(
    {
      method: req.method ?? 'POST',
      protocol: 'http:',
      hostname: String(req.headers.host).split(':')[0] ?? '',
      port: Number(String(req.headers.host).split(':')[1]),
      path: url.pathname,
      query: {},
      headers: { host: String(req.headers.host), 'content-type': String(req.headers['content-type']) },
      body,
    },
    { signingDate },
  );
  return resigned.headers.authorization === req.headers.authorization;
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', async () => {
      hits++;
      lastSignatureValid = await signatureIsValid(req, body);
      const behaviour = (req.url ?? '').split('/ops/')[1] as Behaviour;
      if (behaviour === 'hang') return; // never answers
      if (behaviour === '500') return void res.writeHead(500).end('{"message":"Internal server error"}');
      if (behaviour === '404')
        return void res.writeHead(404).end('{"error":{"code":"NOT_FOUND","message":"no"}}');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        behaviour === 'off-contract' ? '{"unexpected":true}' : JSON.stringify({ echo: JSON.parse(body) }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/catalog/v1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const echo = z.object({ echo: z.object({ ids: z.array(z.string()) }) });
const client = (options: { timeoutMs?: number; breaker?: CircuitBreaker } = {}) =>
  new FacadeClient({ target: 'catalog', baseUrl, region, credentials: async () => credentials, ...options });

describe('FacadeClient', () => {
  it('posts a SigV4-signed JSON call to /ops/{name} and parses the answer', async () => {
    const answer = await client().call('ok', { ids: ['a'] }, echo);

    expect(answer).toEqual({ echo: { ids: ['a'] } });
    expect(lastSignatureValid).toBe(true);
  });

  it('gives up after its timeout with a 503 naming the target, instead of hanging', async () => {
    const started = Date.now();

    const error = await client({ timeoutMs: 300 })
      .call('hang', { ids: [] }, echo)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(FacadeUnavailableError);
    expect((error as FacadeUnavailableError).status).toBe(503);
    expect((error as Error).message).toBe('catalog is unavailable: timed out after 300 ms');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('treats a 5xx and an answer outside the contract as unavailable, and a 4xx as a refusal', async () => {
    const c = client();

    await expect(c.call('500', {}, echo)).rejects.toBeInstanceOf(FacadeUnavailableError);
    await expect(c.call('off-contract', {}, echo)).rejects.toThrow(/outside its contract/);
    const refusal = await c.call('404', {}, echo).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(FacadeRequestError);
    expect((refusal as FacadeRequestError).facadeStatus).toBe(404);
  });

  it('fails fast once its circuit opens, without calling the target', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, resetTimeoutMs: 60_000 });
    const c = client({ breaker });
    await expect(c.call('500', {}, echo)).rejects.toThrow();
    await expect(c.call('500', {}, echo)).rejects.toThrow();
    const before = hits;

    const error = await c.call('ok', { ids: [] }, echo).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(FacadeUnavailableError);
    expect((error as Error).message).toMatch(/circuit open/);
    expect(hits).toBe(before);
  });
});

describe('FacadeClient base URLs', () => {
  it('calls /ops/{name} whether or not the base URL has a stage path or a trailing slash', async () => {
    const root = baseUrl.replace('/catalog/v1', '');
    const calls: string[] = [];
    const fetchSpy: typeof globalThis.fetch = async (input) => {
      calls.push(String(input));
      return new Response('{"echo":{"ids":[]}}', { status: 200 });
    };

    for (const url of [root, `${root}/`, `${root}/catalog/v1/`]) {
      await new FacadeClient({
        target: 'catalog',
        baseUrl: url,
        region,
        credentials: async () => credentials,
        fetch: fetchSpy,
      }).call('GetProducts', { ids: [] }, echo);
    }

    expect(calls).toEqual([
      `${root}/ops/GetProducts`,
      `${root}/ops/GetProducts`,
      `${root}/catalog/v1/ops/GetProducts`,
    ]);
  });
});

describe('CircuitBreaker', () => {
  it('opens after the threshold, lets one trial through after the reset time, and closes on success', async () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 3, resetTimeoutMs: 1000, now: () => now });
    const fail = () => breaker.execute(async () => Promise.reject(new Error('down')));
    for (let i = 0; i < 3; i++) await expect(fail()).rejects.toThrow('down');

    await expect(breaker.execute(async () => 'x')).rejects.toBeInstanceOf(CircuitOpenError);
    now = 1000;
    const trial = await breaker.execute(async () => 'recovered');

    expect(trial).toBe('recovered');
    expect(breaker.state).toBe('closed');
  });

  it('reopens when the trial call fails, and ignores errors its predicate does not count', async () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000, now: () => now });
    await expect(breaker.execute(async () => Promise.reject(new Error('down')))).rejects.toThrow();
    now = 1000;

    await expect(breaker.execute(async () => Promise.reject(new Error('still down')))).rejects.toThrow(
      'still down',
    );
    expect(breaker.state).toBe('open');
    now = 2000;
    await expect(
      breaker.execute(
        async () => Promise.reject(new Error('client error')),
        () => false,
      ),
    ).rejects.toThrow('client error');
    expect(breaker.state).toBe('closed');
  });
});
