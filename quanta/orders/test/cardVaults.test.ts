import { randomBytes } from 'node:crypto';
import { type DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { KmsCardVault } from '../adapters/KmsCardVault';
import { LocalCardVault } from '../adapters/LocalCardVault';
import { CardVaultError } from '../errors';
import { VISA } from './fakes/buildTestOrders';

describe('LocalCardVault', () => {
  it('seals a card into text without the number and opens it for the same order', async () => {
    // Arrange
    const vault = LocalCardVault.fromBase64(randomBytes(32).toString('base64'));

    // Act
    const sealed = await vault.seal(VISA, 'o-1');
    const opened = await vault.open(sealed, 'o-1');

    // Assert
    expect(sealed).toMatch(/^local:v1:[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain(VISA.number);
    expect(Buffer.from(sealed.slice(9), 'base64url').toString('latin1')).not.toContain(VISA.number);
    expect(opened).toEqual(VISA);
  });

  it('never seals the same card to the same text twice (random IV)', async () => {
    // Arrange
    const vault = new LocalCardVault(randomBytes(32));

    // Act
    const sealed = [await vault.seal(VISA, 'o-1'), await vault.seal(VISA, 'o-1')];

    // Assert
    expect(sealed[0]).not.toBe(sealed[1]);
  });

  it.each([
    ['another order', async (v: LocalCardVault, s: string) => v.open(s, 'o-2')],
    [
      'another key',
      async (_: LocalCardVault, s: string) => new LocalCardVault(randomBytes(32)).open(s, 'o-1'),
    ],
    [
      'a flipped bit',
      async (v: LocalCardVault, s: string) => {
        const bytes = Buffer.from(s.slice(9), 'base64url');
        bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
        return v.open(`local:v1:${bytes.toString('base64url')}`, 'o-1');
      },
    ],
    ['a KMS-sealed value', async (v: LocalCardVault) => v.open('kms:v1:AAAA', 'o-1')],
  ])('refuses to open with %s, without quoting the card', async (_, open) => {
    // Arrange
    const vault = new LocalCardVault(randomBytes(32));
    const sealed = await vault.seal(VISA, 'o-1');

    // Act
    const error = await open(vault, sealed).catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(CardVaultError);
    expect(String((error as Error).message)).not.toContain('4242424242');
  });

  it('refuses a key that is not 256 bits', () => {
    // Act
    const making = () => new LocalCardVault(randomBytes(16));

    // Assert
    expect(making).toThrow(CardVaultError);
  });
});

describe('KmsCardVault', () => {
  /** A KMS stand-in that "encrypts" by reversing bytes and records the calls. */
  function fakeKms() {
    const calls: { name: string; input: Record<string, unknown> }[] = [];
    const client = {
      send: async (command: EncryptCommand | DecryptCommand) => {
        calls.push({ name: command.constructor.name, input: { ...command.input } });
        if (command instanceof EncryptCommand) {
          return { CiphertextBlob: Uint8Array.from(Buffer.from(command.input.Plaintext ?? []).reverse()) };
        }
        const context = command.input.EncryptionContext;
        if (context?.orderId !== 'o-1')
          throw Object.assign(new Error('InvalidCiphertextException'), {
            name: 'InvalidCiphertextException',
          });
        return { Plaintext: Uint8Array.from(Buffer.from(command.input.CiphertextBlob ?? []).reverse()) };
      },
    };
    return { client: client as unknown as KMSClient, calls };
  }

  it('encrypts and decrypts with the key and the order id as encryption context', async () => {
    // Arrange
    const kms = fakeKms();
    const vault = new KmsCardVault({
      client: kms.client,
      keyArn: 'arn:aws:kms:eu-west-1:111111111111:key/abc',
    });

    // Act
    const sealed = await vault.seal(VISA, 'o-1');
    const opened = await vault.open(sealed, 'o-1');

    // Assert
    expect(sealed).toMatch(/^kms:v1:/);
    expect(opened).toEqual(VISA);
    expect(kms.calls.map((c) => [c.name, c.input.KeyId, c.input.EncryptionContext])).toEqual([
      ['EncryptCommand', 'arn:aws:kms:eu-west-1:111111111111:key/abc', { orderId: 'o-1' }],
      ['DecryptCommand', 'arn:aws:kms:eu-west-1:111111111111:key/abc', { orderId: 'o-1' }],
    ]);
  });

  it('wraps a KMS refusal (e.g. another order’s context) in a CardVaultError', async () => {
    // Arrange
    const vault = new KmsCardVault({
      client: fakeKms().client,
      keyArn: 'arn:aws:kms:eu-west-1:111111111111:key/abc',
    });
    const sealed = await vault.seal(VISA, 'o-1');

    // Act
    const opening = vault.open(sealed, 'o-2');

    // Assert
    await expect(opening).rejects.toBeInstanceOf(CardVaultError);
  });
});
