import type { AuthorizerContext } from '@quanta/contracts/platform';
import { describe, expect, it } from 'vitest';
import type { AccessTokenVerifier, Denylist } from '../domain/Denylist';
import type { StoredTicket, TicketStore } from '../domain/TicketStore';
import { InvalidTokenError, JwksUnavailableError } from '../errors';
import { AccessAuthorizer } from '../service/AccessAuthorizer';
import { TicketService } from '../service/TicketService';

const caller: AuthorizerContext = { userId: 'u1', sessionId: 's1', roles: ['customer'] };

class MemoryDenylist implements Denylist {
  readonly entries = new Map<string, number>();
  async isDenied(sessionId: string, now: number) {
    return (this.entries.get(sessionId) ?? 0) > now;
  }
  async deny(sessionId: string, until: number) {
    this.entries.set(sessionId, Math.max(until, this.entries.get(sessionId) ?? 0));
  }
}

class MemoryTickets implements TicketStore {
  readonly tickets = new Map<string, StoredTicket>();
  async save(ticket: StoredTicket) {
    this.tickets.set(ticket.ticketHash, ticket);
  }
  async consume(hash: string, now: number) {
    const ticket = this.tickets.get(hash);
    this.tickets.delete(hash);
    return ticket !== undefined && ticket.expiresAt > now ? ticket.caller : undefined;
  }
}

/** A verifier that accepts the token 'good' and rejects anything else. */
const verifier: AccessTokenVerifier = {
  verify: async (token) => {
    if (token === 'good') return caller;
    throw new InvalidTokenError('bad signature');
  },
};

describe('AccessAuthorizer', () => {
  it('admits a verified token of a session that is not denied', async () => {
    // Arrange
    const authorizer = new AccessAuthorizer({ verifier, denylist: new MemoryDenylist() });

    // Act
    const decision = await authorizer.authorize('Bearer good');

    // Assert
    expect(decision).toEqual({ allowed: true, caller });
  });

  it('denies a missing header, another scheme and a token that fails verification, with a reason', async () => {
    // Arrange
    const authorizer = new AccessAuthorizer({ verifier, denylist: new MemoryDenylist() });

    // Act
    const decisions = await Promise.all([
      authorizer.authorize(undefined),
      authorizer.authorize('Token good'),
      authorizer.authorize('Bearer bad'),
    ]);

    // Assert
    expect(decisions.map((d) => d.allowed)).toEqual([false, false, false]);
    expect(decisions[2]).toMatchObject({ reason: expect.stringContaining('bad signature') });
  });

  it('denies a token whose session is on the denylist', async () => {
    // Arrange
    const denylist = new MemoryDenylist();
    await denylist.deny('s1', Math.floor(Date.now() / 1000) + 60);
    const authorizer = new AccessAuthorizer({ verifier, denylist });

    // Act
    const decision = await authorizer.authorize('Bearer good');

    // Assert
    expect(decision).toEqual({ allowed: false, reason: 'session s1 is revoked' });
  });

  it('lets infrastructure failures propagate instead of denying', async () => {
    // Arrange
    const broken: AccessTokenVerifier = {
      verify: async () => {
        throw new JwksUnavailableError('http://jwks');
      },
    };
    const authorizer = new AccessAuthorizer({ verifier: broken, denylist: new MemoryDenylist() });

    // Act
    const attempt = authorizer.authorize('Bearer good');

    // Assert
    await expect(attempt).rejects.toBeInstanceOf(JwksUnavailableError);
  });
});

describe('TicketService', () => {
  it('stores only the hash of a ticket and redeems it once', async () => {
    // Arrange
    const store = new MemoryTickets();
    const tickets = new TicketService({
      store,
      denylist: new MemoryDenylist(),
      webSocketUrl: 'ws://127.0.0.1:3001',
    });

    // Act
    const { ticket, expiresIn, url } = await tickets.issue(caller);
    const first = await tickets.redeem(ticket);
    const second = await tickets.redeem(ticket);

    // Assert
    expect(expiresIn).toBe(60);
    expect(url).toBe(`ws://127.0.0.1:3001/?ticket=${ticket}`);
    expect(first).toEqual(caller);
    expect(second).toBeUndefined();
  });

  it('never stores the ticket itself', async () => {
    // Arrange
    const store = new MemoryTickets();
    const tickets = new TicketService({
      store,
      denylist: new MemoryDenylist(),
      webSocketUrl: 'ws://127.0.0.1:3001',
    });

    // Act
    const { ticket } = await tickets.issue(caller);

    // Assert
    expect(JSON.stringify([...store.tickets.entries()])).not.toContain(ticket);
  });

  it('refuses a ticket once its configured lifetime has passed', async () => {
    // Arrange
    let now = new Date('2026-12-01T10:00:00Z');
    const tickets = new TicketService({
      store: new MemoryTickets(),
      denylist: new MemoryDenylist(),
      webSocketUrl: 'ws://127.0.0.1:3001',
      ttlSeconds: 5,
      now: () => now,
    });
    const early = await tickets.issue(caller);
    const late = await tickets.issue(caller);

    // Act
    now = new Date('2026-12-01T10:00:04Z');
    const withinLifetime = await tickets.redeem(early.ticket);
    now = new Date('2026-12-01T10:00:05Z');
    const atExpiry = await tickets.redeem(late.ticket);

    // Assert
    expect(late.expiresIn).toBe(5);
    expect(withinLifetime).toEqual(caller);
    expect(atExpiry).toBeUndefined();
  });
});
