import { describe, expect, it } from 'vitest';
import { UnauthorizedError } from '../src/errors';
import { httpHandler, jsonResponse } from '../src/http/httpHandler';
import { httpApiEvent } from '../src/testing/httpApiEvent';
import { lambdaContext } from '../src/testing/lambdaContext';
import { testObservability } from '../src/testing/testObservability';

const caller = { userId: 'u1', sessionId: 's1', roles: ['customer'] };
const JWKS_CACHE = 'public, max-age=300';

describe('The security headers of every HTTP function response', () => {
  it('forbid content sniffing and keep the cache-control a public route chose', async () => {
    // Arrange
    const handler = httpHandler(
      async () => jsonResponse(200, { keys: [] }, { 'Cache-Control': JWKS_CACHE }),
      {
        observability: testObservability(),
      },
    );

    // Act
    const response = await handler(httpApiEvent({ method: 'GET', path: '/jwks' }), lambdaContext());

    // Assert
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['cache-control']).toBe(JWKS_CACHE);
  });

  it('answer no-store to an authenticated caller even when the handler allowed caching', async () => {
    // Arrange
    const handler = httpHandler(async () => jsonResponse(200, { me: 1 }, { 'cache-control': JWKS_CACHE }), {
      observability: testObservability(),
    });

    // Act
    const response = await handler(httpApiEvent({ method: 'GET', path: '/me', caller }), lambdaContext());

    // Assert
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('are on error responses too, beside the correlation id', async () => {
    // Arrange
    const handler = httpHandler(
      async () => {
        throw new UnauthorizedError('No session');
      },
      { observability: testObservability() },
    );

    // Act
    const response = await handler(httpApiEvent({ method: 'POST', path: '/x', caller }), lambdaContext());

    // Assert
    expect(response.statusCode).toBe(401);
    expect(response.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    expect(response.headers['x-correlation-id']).toBeDefined();
  });

  it('default to no-store when a public response sets no cache-control, and replace any other sniffing choice', async () => {
    // Arrange
    const handler = httpHandler(
      async () => ({ statusCode: 200, headers: { 'X-Content-Type-Options': 'sniff' }, body: 'token' }),
      { observability: testObservability() },
    );

    // Act
    const response = await handler(httpApiEvent({ method: 'POST', path: '/login' }), lambdaContext());

    // Assert
    expect(response.headers).toEqual({
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      'x-correlation-id': expect.any(String),
    });
  });

  it('answer no-store to an IAM-signed facade call', async () => {
    // Arrange
    const handler = httpHandler(async () => jsonResponse(200, { user: 1 }, { 'cache-control': JWKS_CACHE }), {
      observability: testObservability(),
    });
    const facadeEvent = {
      headers: {},
      requestContext: {
        requestId: 'r1',
        identity: { userArn: 'arn:aws:sts::111111111111:assumed-role/quanta-orders-api-eu-west-1/s' },
      },
    };

    // Act
    const response = await handler(facadeEvent, lambdaContext());

    // Assert
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });
});
