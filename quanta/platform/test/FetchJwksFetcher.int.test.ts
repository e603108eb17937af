import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchJwksFetcher } from '../adapters/FetchJwksFetcher';
import { type JwksServer, startJwksServer } from './support/jwksServer';

let server: JwksServer;

beforeAll(async () => {
  server = await startJwksServer({ keys: [] });
});

afterAll(async () => {
  await server?.close();
});

describe('FetchJwksFetcher', () => {
  it('fetches a JWKS over plain HTTP', async () => {
    // Arrange
    server.respond(200, '{"keys":[]}', 'application/json; charset=utf-8');

    // Act
    const body = await new FetchJwksFetcher().fetch(server.url);

    // Assert
    expect(new TextDecoder().decode(body)).toBe('{"keys":[]}');
  });

  it('refuses a non-200 answer and a non-JSON content type without retrying', async () => {
    // Arrange
    const fetcher = new FetchJwksFetcher();
    server.respond(500, 'oops');
    const before = server.requests();

    // Act
    const failed = await fetcher.fetch(server.url).catch((e: unknown) => e);
    server.respond(200, '<html/>', 'text/html');
    const html = await fetcher.fetch(server.url).catch((e: unknown) => e);

    // Assert
    expect((failed as Error).message).toMatch(/Status code is 500/);
    expect((html as Error).message).toMatch(/expected "application\/json"/);
    expect(server.requests() - before).toBe(2);
  });

  it('times out a slow endpoint', async () => {
    // Arrange
    server.respond(200, '{"keys":[]}', 'application/json', 1000);
    const started = Date.now();

    // Act
    const error = await new FetchJwksFetcher({ timeoutMs: 100 }).fetch(server.url).catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(Error);
    expect(Date.now() - started).toBeLessThan(900);
  });
});
