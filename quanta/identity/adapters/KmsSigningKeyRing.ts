import { createHash } from 'node:crypto';
import {
  GetPublicKeyCommand,
  type GetPublicKeyCommandOutput,
  type KMSClient,
  SignCommand,
} from '@aws-sdk/client-kms';
import type { Jwk, Jwks } from '@quanta/contracts/identity';
import type { SigningKeyRing } from '../domain/AccessTokenIssuer';
import { SigningKeyError } from '../errors';
import { derToJose } from './derToJose';
import { spkiToJwk } from './spkiToJwk';

/** Largest message KMS `Sign` accepts with `MessageType: RAW`. */
const KMS_MAX_RAW_MESSAGE_BYTES = 4096;

/** The KMS operations the key ring uses (a `KMSClient` satisfies it; tests pass a fake). */
type KmsSender = Pick<KMSClient, 'send'>;

/**
 * {@link SigningKeyRing} on asymmetric KMS keys (`ECC_NIST_P256`, `SIGN_VERIFY`): the private key
 * never leaves KMS. The first key ARN signs — `Sign` with `ECDSA_SHA_256` (`MessageType: RAW`, or
 * `DIGEST` with the SHA-256 of inputs above KMS's 4 KiB RAW limit), the DER signature converted to
 * JOSE — and every key is published from `GetPublicKey` (SPKI DER -> JWK, `kid` = thumbprint),
 * fetched once per cold start.
 *
 * @example
 * ```ts
 * const ring = new KmsSigningKeyRing({ client: new KMSClient({}), keyArns: env.SIGNING_KEY_ARNS });
 * ```
 */
export class KmsSigningKeyRing implements SigningKeyRing {
  readonly #client: KmsSender;
  readonly #keyArns: readonly string[];
  #publicKeys: Promise<readonly Jwk[]> | undefined;

  constructor(options: { readonly client: KmsSender; readonly keyArns: readonly string[] }) {
    if (options.keyArns.length === 0)
      throw new SigningKeyError('At least one KMS signing key ARN is required');
    this.#client = options.client;
    this.#keyArns = options.keyArns;
  }

  async currentKeyId(): Promise<string> {
    const [current] = await this.#loadPublicKeys();
    if (current === undefined) throw new SigningKeyError('No signing key loaded');
    return current.kid;
  }

  async sign(data: Uint8Array): Promise<Uint8Array> {
    const keyId = this.#keyArns[0] as string;
    // KMS takes at most 4096 bytes of RAW message; beyond that, send the SHA-256 digest instead.
    const raw = data.byteLength <= KMS_MAX_RAW_MESSAGE_BYTES;
    let signature: Uint8Array | undefined;
    try {
      const response = await this.#client.send(
        new SignCommand({
          KeyId: keyId,
          Message: raw ? data : createHash('sha256').update(data).digest(),
          MessageType: raw ? 'RAW' : 'DIGEST',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      );
      signature = response.Signature;
    } catch (error) {
      throw new SigningKeyError(`KMS Sign failed for key ${keyId}`, { cause: error });
    }
    if (signature === undefined) throw new SigningKeyError(`KMS returned no signature for key ${keyId}`);
    return derToJose(signature);
  }

  async publicJwks(): Promise<Jwks> {
    return { keys: [...(await this.#loadPublicKeys())] };
  }

  #loadPublicKeys(): Promise<readonly Jwk[]> {
    this.#publicKeys ??= Promise.all(this.#keyArns.map((arn) => this.#publicKeyOf(arn))).catch(
      (error: unknown) => {
        // Do not cache a failure: the next request tries KMS again.
        this.#publicKeys = undefined;
        throw error;
      },
    );
    return this.#publicKeys;
  }

  async #publicKeyOf(keyArn: string): Promise<Jwk> {
    let response: GetPublicKeyCommandOutput;
    try {
      response = await this.#client.send(new GetPublicKeyCommand({ KeyId: keyArn }));
    } catch (error) {
      throw new SigningKeyError(`KMS GetPublicKey failed for key ${keyArn}`, { cause: error });
    }
    if (
      response.KeySpec !== 'ECC_NIST_P256' ||
      response.KeyUsage !== 'SIGN_VERIFY' ||
      response.PublicKey === undefined
    ) {
      throw new SigningKeyError(
        `KMS key ${keyArn} must be ECC_NIST_P256 / SIGN_VERIFY, got ${response.KeySpec} / ${response.KeyUsage}`,
      );
    }
    return spkiToJwk(response.PublicKey);
  }
}
