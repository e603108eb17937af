import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { authorizerContextSchema } from '@quanta/contracts/platform';
import {
  createTestTable,
  type DynamoDbLocal,
  dynamoDbClientFor,
  lambdaContext,
  testObservability,
  useDynamoDbLocal,
} from '@quanta/runtime/testing';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbDenylist } from '../adapters/DynamoDbDenylist';
import { FetchJwksFetcher } from '../adapters/FetchJwksFetcher';
import { JwtAccessTokenVerifier, maxTokenLifetimeSeconds } from '../adapters/JwtAccessTokenVerifier';
import { createHttpAuthorizer } from '../functions/createHttpAuthorizer';
import { AccessAuthorizer } from '../service/AccessAuthorizer';
import { type JwksServer, startJwksServer } from './support/jwksServer';
import { type TestIssuer, testIssuer } from './support/tokens';

const ISSUER = 'https://identity.quanta.test';
const AUDIENCE = 'quanta-api';

let db: DynamoDbLocal;
let client: DynamoDBClient;
let tableName: string;
let issuer: TestIssuer;
let jwks: JwksServer;

beforeAll(async () => {
  issuer = testIssuer(ISSUER, AUDIENCE);
  jwks = await startJwksServer(issuer.jwks);
  db = await useDynamoDbLocal();
  client = dynamoDbClientFor(db.endpoint);
  tableName = await createTestTable(client, 'platform-authorizer');
});

afterAll(async () => {
  client?.destroy();
  await db?.stop();
  await jwks?.close();
});

/** The authorizer as deployed, with its JWKS fetched over plain HTTP from the local server. */
function authorizer(jwksUri = jwks.url) {
  const verifier = new JwtAccessTokenVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    jwksUri,
    jwksCache: new SimpleJwksCache({ fetcher: new FetchJwksFetcher({ timeoutMs: 500 }) }),
    maxLifetimeSeconds: maxTokenLifetimeSeconds(900),
  });
  const denylist = new DynamoDbDenylist({ client, tableName, ttlAttribute: 'expiresAt' });
  return {
    handler: createHttpAuthorizer(
      new AccessAuthorizer({ verifier, denylist }),
      testObservability('platform'),
    ),
    denylist,
  };
}

function event(authorization: string | undefined): APIGatewayRequestAuthorizerEventV2 {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:eu-west-1:111111111111:api/$default/GET/identity/me',
    identitySource: authorization === undefined ? [] : [authorization],
    routeKey: 'ANY /identity/{proxy+}',
    rawPath: '/identity/me',
    rawQueryString: '',
    headers: authorization === undefined ? {} : { authorization },
    requestContext: {
      accountId: '111111111111',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: {
        method: 'GET',
        path: '/identity/me',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'test',
      },
      requestId: 'r',
      routeKey: 'ANY /identity/{proxy+}',
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
  } as APIGatewayRequestAuthorizerEventV2;
}

const now = () => Math.floor(Date.now() / 1000);

describe('HTTP API authorizer', () => {
  it('admits a valid token with the caller as simple-response context', async () => {
    // Arrange
    const { handler } = authorizer();
    const token = issuer.token({ sub: 'user-7', sid: 'session-7', roles: ['customer', 'admin'] });

    // Act
    const result = await handler(event(`Bearer ${token}`), lambdaContext());

    // Assert
    expect(result).toEqual({
      isAuthorized: true,
      context: { userId: 'user-7', sessionId: 'session-7', roles: ['customer', 'admin'] },
    });
    expect(authorizerContextSchema.parse(result.context)).toBeDefined();
  });

  it.each([
    ['no header', () => undefined],
    ['a non-Bearer scheme', () => `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['garbage', () => 'Bearer not.a.jwt'],
    ['alg none', () => `Bearer ${issuer.unsigned()}`],
    ['HS256 signed with the public key', () => `Bearer ${issuer.hs256WithPublicKey()}`],
    ['RS256 in the header', () => `Bearer ${issuer.token({}, { alg: 'RS256' })}`],
    ['no kid', () => `Bearer ${issuer.token({}, { kid: undefined })}`],
    ['an unknown kid', () => `Bearer ${issuer.token({}, { kid: 'unknown-kid' })}`],
    ['a bad signature', () => `Bearer ${issuer.forgedWithOtherKey()}`],
    [
      'a tampered payload',
      () => {
        const [h, , s] = issuer.token().split('.');
        const payload = Buffer.from(
          JSON.stringify({
            sub: 'admin',
            sid: 's',
            roles: ['admin'],
            iss: ISSUER,
            aud: AUDIENCE,
            exp: now() + 900,
          }),
        ).toString('base64url');
        return `Bearer ${h}.${payload}.${s}`;
      },
    ],
    [
      'an expired token',
      () => `Bearer ${issuer.token({ iat: now() - 1000, nbf: now() - 1000, exp: now() - 10 })}`,
    ],
    ['a not-yet-valid token (nbf in the future)', () => `Bearer ${issuer.token({ nbf: now() + 600 })}`],
    ['a wrong issuer', () => `Bearer ${issuer.token({ iss: 'https://evil.example' })}`],
    ['a wrong audience', () => `Bearer ${issuer.token({ aud: 'another-api' })}`],
    ['no sid', () => `Bearer ${issuer.token({ sid: undefined })}`],
    ['no sub', () => `Bearer ${issuer.token({ sub: undefined })}`],
    [
      'a correctly signed token that lives ten years',
      () => `Bearer ${issuer.token({ iat: now(), nbf: now(), exp: now() + 10 * 365 * 24 * 3600 })}`,
    ],
    [
      'a token one second longer-lived than the issuer’s lifetime plus the skew',
      () => `Bearer ${issuer.token({ iat: now(), exp: now() + 961 })}`,
    ],
    ['a token without iat', () => `Bearer ${issuer.token({ iat: undefined })}`],
    [
      'a short-lived token issued far in the future (iat ahead of the clock)',
      () => {
        const later = now() + 10 * 365 * 24 * 3600;
        return `Bearer ${issuer.token({ iat: later, nbf: now(), exp: later + 900 })}`;
      },
    ],
  ])('denies %s without throwing', async (_case, authorization) => {
    // Arrange
    const { handler } = authorizer();

    // Act
    const result = await handler(event(authorization()), lambdaContext());

    // Assert
    expect(result).toEqual({ isAuthorized: false });
  });

  it('admits a token whose lifetime is exactly the issuer’s lifetime plus the skew', async () => {
    // Arrange
    const { handler } = authorizer();

    // Act
    const result = await handler(
      event(`Bearer ${issuer.token({ iat: now(), exp: now() + 960 })}`),
      lambdaContext(),
    );

    // Assert
    expect(result.isAuthorized).toBe(true);
  });

  it('gives the lifetime and the maximum as the reason of a long-lived token’s deny', async () => {
    // Arrange
    const verifier = new JwtAccessTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUri: jwks.url,
      jwksCache: new SimpleJwksCache({ fetcher: new FetchJwksFetcher({ timeoutMs: 500 }) }),
      maxLifetimeSeconds: 960,
    });

    // Act
    const verifying = verifier.verify(issuer.token({ iat: now(), exp: now() + 3600 }));

    // Assert
    await expect(verifying).rejects.toThrow(/lifetime exp - iat is 3600 s; at most 960 s is accepted/);
  });

  it('denies a token of a revoked session', async () => {
    // Arrange
    const { handler, denylist } = authorizer();
    const token = issuer.token({ sid: 'session-revoked' });
    const before = await handler(event(`Bearer ${token}`), lambdaContext());
    await denylist.deny('session-revoked', now() + 900);

    // Act
    const after = await handler(event(`Bearer ${token}`), lambdaContext());

    // Assert
    expect(before.isAuthorized).toBe(true);
    expect(after).toEqual({ isAuthorized: false });
  });

  it('admits a session again once its denylist entry has expired', async () => {
    // Arrange
    const { handler, denylist } = authorizer();
    await denylist.deny('session-old', now() - 1);

    // Act
    const result = await handler(event(`Bearer ${issuer.token({ sid: 'session-old' })}`), lambdaContext());

    // Assert
    expect(result.isAuthorized).toBe(true);
  });

  it('keeps the JWKS cached across invocations', async () => {
    // Arrange
    const { handler } = authorizer();
    const before = jwks.requests();

    // Act
    for (let i = 0; i < 5; i++) await handler(event(`Bearer ${issuer.token()}`), lambdaContext());

    // Assert
    expect(jwks.requests() - before).toBe(1);
  });

  it('fails (instead of caching a deny) when the JWKS cannot be fetched', async () => {
    // Arrange
    const { handler } = authorizer('http://127.0.0.1:9/unreachable/jwks.json');

    // Act
    const attempt = handler(event(`Bearer ${issuer.token()}`), lambdaContext());

    // Assert
    await expect(attempt).rejects.toThrow(
      /JWKS at http:\/\/127\.0\.0\.1:9\/unreachable\/jwks\.json is unavailable/,
    );
  });
});
