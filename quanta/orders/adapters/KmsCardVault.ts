import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { Card } from '@quanta/contracts/payments';
import { type CardVault, parseOpenedCard } from '../domain/CardVault';
import { CardVaultError } from '../errors';

const PREFIX = 'kms:v1:';

/** Options of {@link KmsCardVault}. */
export interface KmsCardVaultOptions {
  readonly client: KMSClient;
  /** ARN of the quantum's symmetric KMS key (`ENCRYPTION_KEY_ARN`). */
  readonly keyArn: string;
}

/**
 * {@link CardVault} in AWS: KMS `Encrypt`/`Decrypt` with the quantum's symmetric key and the
 * encryption context `{ orderId }`, so a sealed card decrypts only for its own order (and every use
 * is in CloudTrail with that order id). A card is far below KMS's 4 KB plaintext limit, so no data key.
 * Output: `kms:v1:` + base64(ciphertext blob).
 *
 * @example
 * ```ts
 * const vault = new KmsCardVault({ client: new KMSClient({}), keyArn: env.ENCRYPTION_KEY_ARN });
 * ```
 */
export class KmsCardVault implements CardVault {
  readonly #client: KMSClient;
  readonly #keyArn: string;

  constructor(options: KmsCardVaultOptions) {
    this.#client = options.client;
    this.#keyArn = options.keyArn;
  }

  async seal(card: Card, orderId: string): Promise<string> {
    const plaintext = Buffer.from(JSON.stringify(card), 'utf8');
    try {
      const { CiphertextBlob } = await this.#client.send(
        new EncryptCommand({ KeyId: this.#keyArn, Plaintext: plaintext, EncryptionContext: { orderId } }),
      );
      if (CiphertextBlob === undefined)
        throw new CardVaultError(`KMS returned no ciphertext for order ${orderId}`);
      return PREFIX + Buffer.from(CiphertextBlob).toString('base64');
    } catch (error) {
      if (error instanceof CardVaultError) throw error;
      throw new CardVaultError(`KMS could not seal the card of order ${orderId}`, { cause: error });
    } finally {
      plaintext.fill(0);
    }
  }

  async open(sealed: string, orderId: string): Promise<Card> {
    if (!sealed.startsWith(PREFIX))
      throw new CardVaultError(`Sealed card of order ${orderId} is not a KMS one`);
    let plaintext: Uint8Array | undefined;
    try {
      ({ Plaintext: plaintext } = await this.#client.send(
        new DecryptCommand({
          KeyId: this.#keyArn,
          CiphertextBlob: Buffer.from(sealed.slice(PREFIX.length), 'base64'),
          EncryptionContext: { orderId },
        }),
      ));
    } catch (error) {
      throw new CardVaultError(`KMS could not open the card of order ${orderId}`, { cause: error });
    }
    if (plaintext === undefined) throw new CardVaultError(`KMS returned no plaintext for order ${orderId}`);
    try {
      return parseOpenedCard(plaintext, orderId);
    } finally {
      plaintext.fill(0);
    }
  }
}
