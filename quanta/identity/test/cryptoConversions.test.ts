import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { derToJose } from '../adapters/derToJose';
import { joseToDer } from '../adapters/joseToDer';
import { jwkThumbprint } from '../adapters/jwkThumbprint';
import { spkiToJwk } from '../adapters/spkiToJwk';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

describe('derToJose and joseToDer', () => {
  it('turn a DER signature into 64 bytes that verify as ieee-p1363, and back', () => {
    // Arrange: many signatures, so components with a leading zero byte or a high bit set occur.
    const data = Buffer.from('header.payload');

    for (let i = 0; i < 200; i++) {
      const der = sign('sha256', data, { key: privateKey, dsaEncoding: 'der' });

      // Act
      const jose = derToJose(der);

      // Assert
      expect(jose).toHaveLength(64);
      expect(verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, jose)).toBe(true);
      expect(Buffer.from(joseToDer(jose)).equals(der)).toBe(true);
    }
  });

  it('pads short components and strips the sign byte of high ones', () => {
    // Arrange: r = 0x01 (one byte), s = 0x80 followed by 31 zero bytes (needs a 0x00 sign byte in DER).
    const s = [0x00, 0x80, ...new Array(31).fill(0)];
    const der = Uint8Array.from([0x30, 3 + 2 + s.length, 0x02, 0x01, 0x01, 0x02, s.length, ...s]);

    // Act
    const jose = derToJose(der);

    // Assert
    expect([...jose.subarray(0, 32)]).toEqual([...new Array(31).fill(0), 1]);
    expect([...jose.subarray(32)]).toEqual([0x80, ...new Array(31).fill(0)]);
    expect([...joseToDer(jose)]).toEqual([...der]);
  });

  it('rejects malformed DER', () => {
    // Arrange
    const valid = sign('sha256', Buffer.from('x'), { key: privateKey, dsaEncoding: 'der' });

    // Act + Assert
    expect(() => derToJose(Uint8Array.from([0x31, 0x00]))).toThrow(/SEQUENCE/);
    expect(() => derToJose(valid.subarray(0, valid.length - 1))).toThrow();
    expect(() => derToJose(Uint8Array.from([...valid, 0x00]))).toThrow();
    expect(() => joseToDer(new Uint8Array(63))).toThrow(/64 bytes/);
  });
});

describe('spkiToJwk', () => {
  it('converts a P-256 SubjectPublicKeyInfo into the published JWK with its thumbprint as kid', () => {
    // Arrange
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    const expected = publicKey.export({ format: 'jwk' });

    // Act
    const jwk = spkiToJwk(spki);

    // Assert
    expect(jwk).toEqual({
      kty: 'EC',
      crv: 'P-256',
      x: expected.x,
      y: expected.y,
      kid: jwkThumbprint({ kty: 'EC', crv: 'P-256', x: String(expected.x), y: String(expected.y) }),
      alg: 'ES256',
      use: 'sig',
    });
  });

  it('rejects a key on another curve', () => {
    // Arrange
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({
      format: 'der',
      type: 'spki',
    });

    // Act + Assert
    expect(() => spkiToJwk(p384)).toThrow(/P-256/);
  });
});

describe('jwkThumbprint', () => {
  it('hashes the required members in lexicographic order without whitespace (RFC 7638)', () => {
    // Arrange
    const jwk = { kty: 'EC', crv: 'P-256', x: 'xx', y: 'yy' };
    const canonical = '{"crv":"P-256","kty":"EC","x":"xx","y":"yy"}';

    // Act
    const thumbprint = jwkThumbprint(jwk);

    // Assert
    expect(thumbprint).toBe(createHash('sha256').update(canonical).digest('base64url'));
    expect(thumbprint).toHaveLength(43);
  });
});
