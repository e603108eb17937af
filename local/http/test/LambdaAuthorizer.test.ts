import { describe, expect, it } from 'vitest';
import type { AuthorizerEventV2 } from '../httpApiEvents';
import { LambdaAuthorizer } from '../LambdaAuthorizer';
import { FakeInvoker } from './FakeInvoker';

const AUTHORIZER = 'platform.authorizer';
const TOKEN = 'Bearer one-token';

/** A minimal authorizer event; the fake authorizer only reads `identitySource`. */
function eventFor(token: string, routeKey = 'GET /me'): AuthorizerEventV2 {
  return { identitySource: [token], routeKey } as unknown as AuthorizerEventV2;
}

/** An authorizer that allows {@link TOKEN} only once `release()` is called, so calls overlap. */
function heldAuthorizer() {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const invoker = new FakeInvoker({
    [AUTHORIZER]: async (event) => {
      await released;
      return { isAuthorized: (event as { identitySource: string[] }).identitySource[0] === TOKEN };
    },
  });
  return { invoker, release };
}

function authorizerWith(invoker: FakeInvoker, resultTtlSeconds: number): LambdaAuthorizer {
  return new LambdaAuthorizer({
    invoker,
    functionId: AUTHORIZER,
    resultTtlSeconds,
    timeoutMs: 10_000,
    now: () => 1_700_000_000_000,
  });
}

describe('LambdaAuthorizer', () => {
  it('invokes the authorizer once for 50 concurrent cache misses with the same token', async () => {
    // Arrange
    const { invoker, release } = heldAuthorizer();
    const authorizer = authorizerWith(invoker, 60);

    // Act
    const verdicts = Array.from({ length: 50 }, () => authorizer.authorize([TOKEN], eventFor(TOKEN)));
    release();
    const outcomes = await Promise.all(verdicts);

    // Assert
    expect(invoker.eventsOf(AUTHORIZER)).toHaveLength(1);
    expect(outcomes.every((outcome) => outcome.kind === 'allow')).toBe(true);
    expect(authorizer.cached([TOKEN])).toMatchObject({ kind: 'allow' });
  });

  it('invokes the authorizer once per distinct token, however many requests each has in flight', async () => {
    // Arrange
    const { invoker, release } = heldAuthorizer();
    const authorizer = authorizerWith(invoker, 60);
    const tokens = [TOKEN, 'Bearer other', 'Bearer third'];

    // Act
    const verdicts = tokens.flatMap((token) =>
      Array.from({ length: 10 }, () => authorizer.authorize([token], eventFor(token))),
    );
    release();
    const outcomes = await Promise.all(verdicts);

    // Assert
    expect(invoker.eventsOf(AUTHORIZER)).toHaveLength(3);
    expect(outcomes.filter((outcome) => outcome.kind === 'allow')).toHaveLength(10);
    expect(outcomes.filter((outcome) => outcome.kind === 'deny')).toHaveLength(20);
  });

  it('shares a failure with the requests that waited on it, yet invokes again for the next one', async () => {
    // Arrange
    let calls = 0;
    const invoker = new FakeInvoker({
      [AUTHORIZER]: async () => {
        calls++;
        if (calls === 1) throw new Error('boom');
        return { isAuthorized: true };
      },
    });
    const authorizer = authorizerWith(invoker, 60);

    // Act
    const failed = await Promise.all([
      authorizer.authorize([TOKEN], eventFor(TOKEN)),
      authorizer.authorize([TOKEN], eventFor(TOKEN)),
    ]);
    const next = await authorizer.authorize([TOKEN], eventFor(TOKEN));

    // Assert
    expect(failed.map((outcome) => outcome.kind)).toEqual(['failed', 'failed']);
    expect(next.kind).toBe('allow');
    expect(calls).toBe(2);
  });

  it('invokes the authorizer for every concurrent request when caching is off', async () => {
    // Arrange
    const { invoker, release } = heldAuthorizer();
    const authorizer = authorizerWith(invoker, 0);

    // Act
    const verdicts = Array.from({ length: 5 }, (_, i) =>
      authorizer.authorize([TOKEN], eventFor(TOKEN, `GET /route-${i}`)),
    );
    release();
    await Promise.all(verdicts);

    // Assert
    expect(invoker.eventsOf(AUTHORIZER)).toHaveLength(5);
  });

  it('starts a new invocation after a cache reset instead of joining the one under way', async () => {
    // Arrange
    const { invoker, release } = heldAuthorizer();
    const authorizer = authorizerWith(invoker, 60);
    const before = authorizer.authorize([TOKEN], eventFor(TOKEN));

    // Act
    authorizer.clearCache();
    const after = authorizer.authorize([TOKEN], eventFor(TOKEN));
    const joined = authorizer.authorize([TOKEN], eventFor(TOKEN));
    release();
    await Promise.all([before, after, joined]);

    // Assert
    expect(invoker.eventsOf(AUTHORIZER)).toHaveLength(2);
  });
});
