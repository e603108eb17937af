import { createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { FetchJwksFetcher } from '../quanta/platform/adapters/FetchJwksFetcher';
import {
  JwtAccessTokenVerifier,
  maxTokenLifetimeSeconds,
} from '../quanta/platform/adapters/JwtAccessTokenVerifier';
import { signEs256 } from '../test/e2e/support/forgeToken';
import { emit } from './lib/emit';
import { round } from './lib/percentile';

/**
 * Access-token verifications per second by the authorizer's verifier (aws-jwt-verify `JwtVerifier`
 * + the claims contract), with the JWKS cached as it is across warm invocations. Tokens are
 * distinct (200 users) so nothing is memoised per token. One core, one loop, bounded in time.
 */
export async function authorizerVerifications(options: { durationMs: number }): Promise<void> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privateJwk = privateKey.export({ format: 'jwk' });
  const publicJwk = createPublicKey(privateKey).export({ format: 'jwk' });
  const kid = 'bench-key';
  const jwks = JSON.stringify({ keys: [{ ...publicJwk, kid, alg: 'ES256', use: 'sig' }] });
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(jwks);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const jwksUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  try {
    const issuer = 'https://identity.bench';
    const audience = 'quanta-api';
    const verifier = new JwtAccessTokenVerifier({
      issuer,
      audience,
      jwksUri,
      jwksCache: new SimpleJwksCache({ fetcher: new FetchJwksFetcher() }),
      maxLifetimeSeconds: maxTokenLifetimeSeconds(900),
    });
    const now = Math.floor(Date.now() / 1000);
    const tokens = Array.from({ length: 200 }, () =>
      signEs256(privateJwk, kid, {
        iss: issuer,
        aud: audience,
        sub: randomUUID(),
        sid: randomUUID(),
        roles: ['customer'],
        jti: randomUUID(),
        iat: now,
        nbf: now,
        exp: now + 900,
      }),
    );
    await verifier.verify(tokens[0] ?? ''); // fetches and caches the JWKS
    let count = 0;
    const started = performance.now();
    const ends = started + options.durationMs;
    while (performance.now() < ends) {
      await verifier.verify(tokens[count % tokens.length] ?? '');
      count++;
    }
    const elapsed = performance.now() - started;
    emit({
      bench: 'authorizer_verify',
      verifications: count,
      per_second: round((count / elapsed) * 1000, 0),
      mean_us: round((elapsed / count) * 1000, 1),
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}
