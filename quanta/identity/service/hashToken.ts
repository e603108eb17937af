import { createHash } from 'node:crypto';

/**
 * SHA-256 (hex) of a refresh token: what is stored and looked up. A fast hash is right here because
 * the token is 256 random bits, not a guessable password.
 *
 * @example
 * ```ts
 * hashToken('q8…'); // '3f1c…' (64 hex chars)
 * ```
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
