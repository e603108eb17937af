import {
  APIGatewayProxyEventV2Schema,
  APIGatewayRequestAuthorizerEventV2Schema,
  DynamoDBStreamSchema,
  EventBridgeSchema,
  SqsSchema,
} from '@aws-lambda-powertools/parser/schemas';
import { SessionRevoked, UserRegistered } from '@quanta/contracts/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { manifests } from '../../quanta/manifests';
import type { E2eTarget } from './support/E2eTarget';
import { startE2eTarget } from './support/E2eTarget';
import { HttpClient } from './support/HttpClient';
import { signUpAndLogIn } from './support/users';
import { waitFor } from './support/waitFor';

/**
 * Every event the local cloud hands a function, during a real flow, must parse with the Powertools
 * parser schema of the AWS event it imitates: if AWS's shape and ours differ, we are wrong.
 */
type Kind = 'http' | 'authorizer' | 'stream' | 'sqs';

/** What kind of event each function receives, derived from the manifests (not hand-listed). */
function kindsOfFunctions(): Map<string, Kind> {
  const kinds = new Map<string, Kind>([['platform.authorizer', 'authorizer']]);
  for (const m of Object.values(manifests)) {
    if ((m.routes ?? []).length > 0) kinds.set(`${m.name}.api`, 'http');
    if (m.outboxRelay !== undefined) kinds.set(`${m.name}.${m.outboxRelay}`, 'stream');
    for (const s of m.subscriptions ?? []) kinds.set(`${m.name}.${s.function}`, 'sqs');
    for (const r of m.requestHandlers ?? []) kinds.set(`${m.name}.${r.function}`, 'sqs');
    if (m.replyHandler !== undefined) kinds.set(`${m.name}.${m.replyHandler}`, 'sqs');
  }
  return kinds;
}

const schemaOf: Record<Kind, z.ZodType> = {
  http: APIGatewayProxyEventV2Schema,
  authorizer: APIGatewayRequestAuthorizerEventV2Schema,
  stream: DynamoDBStreamSchema,
  sqs: SqsSchema,
};

const seen: Array<{ functionId: string; event: unknown }> = [];
let target: E2eTarget;

beforeAll(async () => {
  target = await startE2eTarget({
    authorizerCacheTtlSeconds: 0,
    onInvoke: (functionId, event) => seen.push({ functionId, event: structuredClone(event) }),
  });
  const api = new HttpClient(target.httpUrl);
  const user = await signUpAndLogIn(api, 'shapes');
  await api.call('GET', '/identity/me', { token: user.tokens.accessToken });
  await api.call('POST', '/realtime/tickets', { token: user.tokens.accessToken });
  await api.call('POST', '/identity/logout', { token: user.tokens.accessToken });
  // The logout's SessionRevoked travels outbox -> stream -> relay -> bus -> inbox -> consumer.
  await waitFor('the SessionRevoked consumer to run', async () =>
    seen.some((s) => s.functionId === 'platform.sessionRevoked') ? true : undefined,
  );
});
afterAll(async () => {
  await target.stop();
});

describe('the events the local cloud hands functions', () => {
  it('cover every kind of trigger the flow exercises', () => {
    const kinds = kindsOfFunctions();

    const exercised = new Set(seen.map((s) => kinds.get(s.functionId)));

    expect([...exercised].sort()).toEqual(['authorizer', 'http', 'sqs', 'stream']);
  });

  it('each parse with the Powertools schema of the AWS event they imitate', () => {
    const kinds = kindsOfFunctions();

    const failures = seen.flatMap(({ functionId, event }) => {
      const kind = kinds.get(functionId);
      if (kind === undefined) return [`${functionId}: no known trigger kind`];
      const parsed = schemaOf[kind].safeParse(event);
      return parsed.success ? [] : [`${functionId} (${kind}): ${parsed.error.message}`];
    });

    expect(seen.length).toBeGreaterThan(5);
    expect(failures).toEqual([]);
  });

  it('deliver bus events to inboxes as EventBridge events carrying our envelope', () => {
    const sqsBatches = seen.filter((s) => s.functionId === 'platform.sessionRevoked');

    const details = sqsBatches.flatMap(({ event }) =>
      SqsSchema.parse(event).Records.map((record) => EventBridgeSchema.parse(JSON.parse(record.body))),
    );

    expect(details.length).toBeGreaterThan(0);
    for (const event of details) {
      expect(event.source).toBe('quanta.identity');
      expect(event['detail-type']).toBe('SessionRevoked');
      expect(SessionRevoked.envelope.safeParse(event.detail).success).toBe(true);
    }
  });

  it('relay outbox inserts from the table stream with the committed envelope', () => {
    const streamBatches = seen.filter((s) => s.functionId === 'identity.outboxRelay');

    const images = streamBatches.flatMap(({ event }) =>
      DynamoDBStreamSchema.parse(event).Records.map((r) => r.dynamodb.NewImage),
    );

    const types = images.map((image) => (image as { type?: unknown } | undefined)?.type);
    expect(types).toContain(UserRegistered.type);
    expect(types).toContain(SessionRevoked.type);
  });
});
