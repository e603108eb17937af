import { accessTokenClaimsSchema } from '@quanta/contracts/identity';
import { describe, expect, it } from 'vitest';
import { LocalSigningKeyRing } from '../adapters/LocalSigningKeyRing';
import { AccessTokenIssuer } from '../domain/AccessTokenIssuer';
import { generatePrivateJwk } from './fakes/testKeys';
import { verifyEs256 } from './fakes/verifyEs256';

describe('AccessTokenIssuer', () => {
  it('issues an ES256 JWT with iss, aud, sub, sid, roles, jti, iat, nbf and exp', async () => {
    // Arrange
    const keyRing = new LocalSigningKeyRing([generatePrivateJwk()]);
    const issuer = new AccessTokenIssuer({
      keyRing,
      issuer: 'https://id.test',
      audience: 'api',
      ttlSeconds: 600,
    });
    const now = new Date('2026-03-01T10:00:00Z');

    // Act
    const { token } = await issuer.issue({ userId: 'u1', sessionId: 's1', roles: ['customer'] }, now);

    // Assert
    const { claims } = verifyEs256(token, await keyRing.publicJwks());
    const iat = now.getTime() / 1000;
    expect(accessTokenClaimsSchema.parse(claims)).toEqual({
      iss: 'https://id.test',
      aud: 'api',
      sub: 'u1',
      sid: 's1',
      roles: ['customer'],
      jti: expect.any(String),
      iat,
      nbf: iat,
      exp: iat + 600,
    });
  });

  it('gives every token its own jti', async () => {
    // Arrange
    const keyRing = new LocalSigningKeyRing([generatePrivateJwk()]);
    const issuer = new AccessTokenIssuer({ keyRing, issuer: 'i', audience: 'a', ttlSeconds: 60 });
    const subject = { userId: 'u1', sessionId: 's1', roles: [] };

    // Act
    const [a, b] = await Promise.all([issuer.issue(subject, new Date()), issuer.issue(subject, new Date())]);

    // Assert
    expect(a.claims.jti).not.toBe(b.claims.jti);
  });

  it('refuses a lifetime above 15 minutes', () => {
    // Arrange
    const keyRing = new LocalSigningKeyRing([generatePrivateJwk()]);

    // Act
    const build = () => new AccessTokenIssuer({ keyRing, issuer: 'i', audience: 'a', ttlSeconds: 901 });

    // Assert
    expect(build).toThrow(/1\.\.900/);
  });
});
