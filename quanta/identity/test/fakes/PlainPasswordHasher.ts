import type { PasswordHasher } from '../../domain/User';

/** A transparent {@link PasswordHasher} for service tests (the real one has its own tests). */
export class PlainPasswordHasher implements PasswordHasher {
  readonly verified: (string | undefined)[] = [];

  async hash(password: string): Promise<string> {
    return `plain:${password}`;
  }

  async verify(password: string, encoded: string | undefined): Promise<boolean> {
    this.verified.push(encoded);
    return encoded === `plain:${password}`;
  }

  needsRehash(): boolean {
    return false;
  }
}
