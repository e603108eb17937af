import { createHash, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { GetPublicKeyCommand, type KMSClient, type SignCommand } from '@aws-sdk/client-kms';
import { jwksSchema } from '@quanta/contracts/identity';
import { describe, expect, it } from 'vitest';
import { KmsSigningKeyRing } from '../adapters/KmsSigningKeyRing';
import { LocalSigningKeyRing } from '../adapters/LocalSigningKeyRing';
import { AccessTokenIssuer } from '../domain/AccessTokenIssuer';
import { SigningKeyError } from '../errors';
import { generatePrivateJwk } from './fakes/testKeys';
import { verifyEs256 } from './fakes/verifyEs256';

/**
 * An in-process fake of KMS built on node:crypto: keys are generated here, `Sign` returns a DER
 * ECDSA signature as KMS does, `GetPublicKey` returns the SPKI DER. It is a pure unit test of the
 * adapter's conversions and requests, not of KMS.
 */
function fakeKms(arns: readonly string[]) {
  const keys = new Map<string, KeyObject>(
    arns.map((arn) => [arn, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey]),
  );
  const signRequests: SignCommand['input'][] = [];
  let lastRawMessage: Uint8Array | undefined;
  const client = {
    send: async (command: SignCommand | GetPublicKeyCommand) => {
      const key = keys.get(String(command.input.KeyId));
      if (key === undefined) throw Object.assign(new Error('key not found'), { name: 'NotFoundException' });
      if (command instanceof GetPublicKeyCommand) {
        return {
          KeyId: command.input.KeyId,
          KeySpec: 'ECC_NIST_P256',
          KeyUsage: 'SIGN_VERIFY',
          PublicKey: new Uint8Array(createPublicKey(key).export({ format: 'der', type: 'spki' })),
        };
      }
      signRequests.push(command.input);
      const message = command.input.Message as Uint8Array;
      if (command.input.MessageType === 'RAW') {
        lastRawMessage = message;
        return { Signature: new Uint8Array(sign('sha256', message, { key, dsaEncoding: 'der' })) };
      }
      // DIGEST: node cannot sign a prehash, so the fake signs the original (which the test registered)
      // after checking that the digest it was sent is the SHA-256 of it — the same ECDSA signature.
      if (lastRawMessage === undefined) throw new Error('register the original with signOriginal() first');
      expect(Buffer.from(message).equals(createHash('sha256').update(lastRawMessage).digest())).toBe(true);
      return { Signature: new Uint8Array(sign('sha256', lastRawMessage, { key, dsaEncoding: 'der' })) };
    },
  } as unknown as KMSClient;
  return { client, signRequests, signOriginal: (m: Uint8Array) => (lastRawMessage = m) };
}

const issuerOptions = { issuer: 'https://identity.test', audience: 'quanta-api', ttlSeconds: 900 };

describe('LocalSigningKeyRing', () => {
  it('signs tokens with the first key that an independent verifier accepts', async () => {
    // Arrange
    const ring = new LocalSigningKeyRing([generatePrivateJwk(), generatePrivateJwk()]);
    const issuer = new AccessTokenIssuer({ keyRing: ring, ...issuerOptions });

    // Act
    const { token } = await issuer.issue({ userId: 'u1', sessionId: 's1', roles: ['customer'] }, new Date());

    // Assert
    const jwks = jwksSchema.parse(await ring.publicJwks());
    const { header } = verifyEs256(token, jwks);
    expect(header).toEqual({ alg: 'ES256', typ: 'JWT', kid: await ring.currentKeyId() });
    expect(jwks.keys).toHaveLength(2);
    expect(jwks.keys[0]?.kid).toBe(header.kid);
  });

  it('refuses malformed SIGNING_KEYS_JWK without echoing key material', () => {
    // Arrange
    const secret = generatePrivateJwk();
    const json = JSON.stringify([{ ...secret, crv: 'P-384' }]);

    // Act
    const load = () => LocalSigningKeyRing.fromJson(json);

    // Assert
    expect(load).toThrow(SigningKeyError);
    expect(load).not.toThrow(secret.d);
  });
});

describe('KmsSigningKeyRing', () => {
  it('signs with the first key using ECDSA_SHA_256 and converts the DER signature to JOSE', async () => {
    // Arrange
    const kms = fakeKms(['arn:current', 'arn:previous']);
    const ring = new KmsSigningKeyRing({ client: kms.client, keyArns: ['arn:current', 'arn:previous'] });
    const issuer = new AccessTokenIssuer({ keyRing: ring, ...issuerOptions });

    // Act
    const { token } = await issuer.issue(
      { userId: 'u1', sessionId: 's1', roles: ['customer', 'admin'] },
      new Date(),
    );

    // Assert
    const jwks = jwksSchema.parse(await ring.publicJwks());
    const { claims } = verifyEs256(token, jwks);
    expect(claims).toMatchObject({ sub: 'u1', sid: 's1', roles: ['customer', 'admin'] });
    expect(kms.signRequests).toEqual([
      expect.objectContaining({
        KeyId: 'arn:current',
        SigningAlgorithm: 'ECDSA_SHA_256',
        MessageType: 'RAW',
      }),
    ]);
    expect(jwks.keys.map((k) => k.kid)).toHaveLength(2);
  });

  it('sends the SHA-256 digest for inputs above the 4 KiB RAW limit', async () => {
    // Arrange
    const kms = fakeKms(['arn:current']);
    const ring = new KmsSigningKeyRing({ client: kms.client, keyArns: ['arn:current'] });
    const data = new Uint8Array(5000).fill(7);
    kms.signOriginal(data);

    // Act
    const signature = await ring.sign(data);

    // Assert
    expect(signature).toHaveLength(64);
    expect(kms.signRequests[0]).toMatchObject({ MessageType: 'DIGEST' });
    expect(kms.signRequests[0]?.Message).toHaveLength(32);
  });

  it('reports a KMS failure as a SigningKeyError with the cause chained', async () => {
    // Arrange
    const kms = fakeKms(['arn:current']);
    const ring = new KmsSigningKeyRing({ client: kms.client, keyArns: ['arn:missing'] });

    // Act
    const error = await ring.publicJwks().catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(SigningKeyError);
    expect(((error as Error).cause as Error).name).toBe('NotFoundException');
  });
});
