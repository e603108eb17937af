import type { EventData, SessionRevoked } from '@quanta/contracts';
import type { Denylist } from '../domain/Denylist';

/**
 * Applies identity's `SessionRevoked` facts to the denylist: the session's access tokens are denied
 * until `tokensValidUntil`, after which none of them verifies anyway.
 *
 * @example
 * ```ts
 * await revocations.apply(event.data);
 * ```
 */
export class SessionRevocations {
  readonly #denylist: Denylist;

  constructor(denylist: Denylist) {
    this.#denylist = denylist;
  }

  async apply(revoked: EventData<typeof SessionRevoked>): Promise<void> {
    await this.#denylist.deny(revoked.sessionId, revoked.tokensValidUntil);
  }
}
