import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { PasswordHasher } from '../domain/User';
import { PasswordHashFormatError } from '../errors';

/** scrypt cost parameters. */
interface ScryptParameters {
  /** log2 of the CPU/memory cost N. */
  readonly logN: number;
  /** Block size. */
  readonly r: number;
  /** Parallelization. */
  readonly p: number;
}

/** OWASP Password Storage Cheat Sheet: N=2^17, r=8, p=1 (about 128 MiB per hash). */
export const OWASP_SCRYPT: ScryptParameters = { logN: 17, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 64;
/** Refuse stored hashes that would ask for more than N=2^20 (1 GiB): a tampered row must not exhaust memory. */
const MAX_LOG_N = 20;
const FORMAT = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/**
 * {@link PasswordHasher} with scrypt (node:crypto, run on the libuv pool so the event loop stays free).
 * Hashes are PHC-style strings carrying their parameters — `$scrypt$ln=17,r=8,p=1$<salt>$<key>` —
 * with a 16-byte random salt and a 64-byte key, so parameters can be raised later (`needsRehash`)
 * and old hashes still verify. Comparison is constant-time; verifying against no hash (unknown user)
 * runs a full scrypt against a dummy hash so it takes as long as a real check.
 *
 * @example
 * ```ts
 * const hasher = new ScryptPasswordHasher();
 * const stored = await hasher.hash('correct horse battery staple');
 * await hasher.verify('correct horse battery staple', stored); // true
 * ```
 */
export class ScryptPasswordHasher implements PasswordHasher {
  readonly #params: ScryptParameters;
  /** What an unknown account is checked against: current parameters, random salt and key (matches nothing). */
  readonly #dummy: { readonly salt: Buffer; readonly key: Buffer };

  /** @param params cost parameters; lower them only in tests. @default OWASP_SCRYPT */
  constructor(params: ScryptParameters = OWASP_SCRYPT) {
    this.#params = params;
    this.#dummy = { salt: randomBytes(SALT_BYTES), key: randomBytes(KEY_BYTES) };
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await derive(password, salt, this.#params, KEY_BYTES);
    const { logN, r, p } = this.#params;
    return `$scrypt$ln=${logN},r=${r},p=${p}$${b64(salt)}$${b64(key)}`;
  }

  async verify(password: string, encoded: string | undefined): Promise<boolean> {
    if (encoded === undefined) {
      // Same work as a real verification, so response time does not reveal whether the account exists.
      const candidate = await derive(password, this.#dummy.salt, this.#params, KEY_BYTES);
      timingSafeEqual(candidate, this.#dummy.key);
      return false;
    }
    const stored = parse(encoded);
    const candidate = await derive(password, stored.salt, stored.params, stored.key.length);
    return timingSafeEqual(candidate, stored.key);
  }

  needsRehash(encoded: string): boolean {
    const { params } = parse(encoded);
    return params.logN < this.#params.logN || params.r < this.#params.r || params.p < this.#params.p;
  }
}

function parse(encoded: string): { params: ScryptParameters; salt: Buffer; key: Buffer } {
  const m = FORMAT.exec(encoded);
  if (m === null)
    throw new PasswordHashFormatError(
      'Stored password hash is not in the $scrypt$ln=…,r=…,p=…$salt$key format',
    );
  const params = { logN: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (
    params.logN < 1 ||
    params.logN > MAX_LOG_N ||
    params.r < 1 ||
    params.r > 32 ||
    params.p < 1 ||
    params.p > 16
  ) {
    throw new PasswordHashFormatError(
      `Stored password hash has unsafe scrypt parameters ln=${params.logN},r=${params.r},p=${params.p}`,
    );
  }
  return { params, salt: Buffer.from(m[4] as string, 'base64'), key: Buffer.from(m[5] as string, 'base64') };
}

function derive(password: string, salt: Buffer, params: ScryptParameters, keyBytes: number): Promise<Buffer> {
  const N = 2 ** params.logN;
  // OpenSSL needs about 128·r·(N + p + 2) bytes; the default 32 MiB limit would refuse N=2^17.
  const maxmem = 128 * params.r * (N + params.p + 2) + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFKC'),
      salt,
      keyBytes,
      { N, r: params.r, p: params.p, maxmem },
      (error, key) => (error === null ? resolve(key) : reject(error)),
    );
  });
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}
