import { describe, expect, it } from 'vitest';
import { OWASP_SCRYPT, ScryptPasswordHasher } from '../adapters/ScryptPasswordHasher';
import { PasswordHashFormatError } from '../errors';

const FAST = { logN: 10, r: 8, p: 1 };

describe('ScryptPasswordHasher', () => {
  it('hashes with the OWASP parameters, a 16-byte salt and a 64-byte key, encoded with its parameters', async () => {
    // Arrange
    const hasher = new ScryptPasswordHasher();

    // Act
    const encoded = await hasher.hash('correct horse battery staple');

    // Assert
    const [, scheme, params, salt, key] = encoded.split('$');
    expect(OWASP_SCRYPT).toEqual({ logN: 17, r: 8, p: 1 });
    expect(scheme).toBe('scrypt');
    expect(params).toBe('ln=17,r=8,p=1');
    expect(Buffer.from(salt ?? '', 'base64')).toHaveLength(16);
    expect(Buffer.from(key ?? '', 'base64')).toHaveLength(64);
    expect(await hasher.verify('correct horse battery staple', encoded)).toBe(true);
    expect(await hasher.verify('correct horse battery stapl3', encoded)).toBe(false);
  });

  it('salts every hash differently', async () => {
    // Arrange
    const hasher = new ScryptPasswordHasher(FAST);

    // Act
    const [a, b] = await Promise.all([hasher.hash('same password'), hasher.hash('same password')]);

    // Assert
    expect(a).not.toBe(b);
  });

  it('spends about the same time on an unknown account as on a real check, and answers false', async () => {
    // Arrange
    const hasher = new ScryptPasswordHasher({ logN: 14, r: 8, p: 1 });
    const stored = await hasher.hash('a real password');
    await hasher.verify('warm up the thread pool', undefined);
    const time = async (run: () => Promise<boolean>) => {
      const start = performance.now();
      const result = await run();
      return { result, ms: performance.now() - start };
    };

    // Act: time the two side by side, pair after pair (which goes first alternates), and compare
    // the median of the pairs' ratios: a busy spell of the machine (other test files run beside
    // this one) slows both runs of a pair alike, and one odd pair cannot decide the outcome.
    const realCheck = () => time(() => hasher.verify('wrong password', stored));
    const unknownAccount = () => time(() => hasher.verify('wrong password', undefined));
    const ratios: number[] = [];
    for (let i = 0; i < 7; i++) {
      let real: { ms: number };
      let missing: { result: boolean; ms: number };
      if (i % 2 === 0) {
        real = await realCheck();
        missing = await unknownAccount();
      } else {
        missing = await unknownAccount();
        real = await realCheck();
      }
      expect(missing.result).toBe(false);
      ratios.push(missing.ms / real.ms);
    }
    const median = [...ratios].sort((a, b) => a - b)[3] as number;

    // Assert
    expect(median).toBeGreaterThan(0.4);
    expect(median).toBeLessThan(2.5);
  });

  it('verifies hashes made with older parameters and asks for a rehash', async () => {
    // Arrange
    const old = await new ScryptPasswordHasher(FAST).hash('pw');
    const current = new ScryptPasswordHasher({ logN: 11, r: 8, p: 1 });

    // Act
    const verified = await current.verify('pw', old);

    // Assert
    expect(verified).toBe(true);
    expect(current.needsRehash(old)).toBe(true);
    expect(current.needsRehash(await current.hash('pw'))).toBe(false);
  });

  it('refuses a stored hash that asks for unsafe parameters', async () => {
    // Arrange
    const hasher = new ScryptPasswordHasher(FAST);
    const tampered = (await hasher.hash('pw')).replace('ln=10', 'ln=30');

    // Act + Assert
    await expect(hasher.verify('pw', tampered)).rejects.toBeInstanceOf(PasswordHashFormatError);
    await expect(hasher.verify('pw', 'md5$abc')).rejects.toBeInstanceOf(PasswordHashFormatError);
  });
});
