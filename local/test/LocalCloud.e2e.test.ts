import path from 'node:path';
import { parseRegistry, plan } from '@quanta/runtime/manifest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ScheduleInvocation, scheduleInputOf } from '../../stacks/scheduleInputOf';
import { signRequest } from '../facade/test/signedRequest';
import { LocalCloud } from '../LocalCloud';
import { testQuanta } from './fixtures/testQuanta';
import '../../test/setup/ProvidedContext';

const root = path.resolve(import.meta.dirname, '../..');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function payloadOf(
  result: Awaited<ReturnType<LocalCloud['invocations']['invoke']>>,
): Record<string, unknown> {
  if (!result.ok)
    throw new Error(`invocation failed: ${result.error.errorType}: ${result.error.errorMessage}`);
  return result.payload as Record<string, unknown>;
}

describe('LocalCloud wiring of facades, request/reply, keys, schedules and faults', () => {
  const prefix = `lc${Math.random().toString(36).slice(2, 8)}`;
  const scheduled: { at: number; event: ScheduleInvocation }[] = [];
  const logs: string[] = [];
  let cloud: LocalCloud;

  beforeAll(async () => {
    cloud = await LocalCloud.start({
      plan: plan(
        testQuanta,
        parseRegistry({
          quanta: { platform: {}, alpha: {}, beta: {}, gamma: {} },
          'quanta:prefix': prefix,
          'quanta:environment': {
            alpha: { REPLY_QUEUE_URL: 'https://overridden.example/replies', FEATURE: 'on' },
          },
        }),
      ),
      root,
      httpPort: 0,
      dynamodbEndpoint: inject('dynamodbEndpoint'),
      functionLogs: (line) => logs.push(`[${line.functionId}] ${line.line}`),
      log: (message) => logs.push(message),
      scheduleEverySeconds: 0.25,
      faultSeed: 1,
      onInvoke: (functionId, event) => {
        const run = event as Partial<ScheduleInvocation>;
        if (functionId === 'alpha.tick' && run.source === 'quanta.scheduler') {
          scheduled.push({ at: Date.now(), event: event as ScheduleInvocation });
        }
      },
    });
  });

  afterAll(async () => {
    await cloud?.stop();
  });

  const env = async (functionId: string, names: readonly string[]) =>
    payloadOf(await cloud.invocations.invoke(functionId, { action: 'env', names }));
  const callFacade = async (functionId: string, target: string, operation: string) =>
    payloadOf(
      await cloud.invocations.invoke(functionId, {
        action: 'callFacade',
        url: `${cloud.facadeUrlOf(target)}/ops/${operation}`,
        body: '{"probe":true}',
      }),
    ) as { status: number; body: string };

  it('tells a caller the target’s facade URL in FACADE_URL_<TARGET>, in the stack’s format', async () => {
    const vars = await env('alpha.worker', ['FACADE_URL_BETA']);

    expect(vars.FACADE_URL_BETA).toBe(cloud.facadeUrlOf('beta'));
    expect(vars.FACADE_URL_BETA).toBe(`${cloud.urls.facade}/beta/v1`);
  });

  it('gives every function its quantum’s own credentials', async () => {
    const alpha = await env('alpha.replies', ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
    const beta = await env('beta.requests', ['AWS_ACCESS_KEY_ID']);

    expect(alpha).toEqual({
      AWS_ACCESS_KEY_ID: 'LOCALALPHA',
      AWS_SECRET_ACCESS_KEY: cloud.credentialsOf('alpha').secretAccessKey,
    });
    expect(beta.AWS_ACCESS_KEY_ID).toBe('LOCALBETA');
  });

  it('lets a registered caller call the facade with SigV4 from inside a function, and the facade sees who called', async () => {
    const response = await callFacade('alpha.worker', 'beta', 'Whoami');

    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({
      path: '/ops/Whoami',
      caller: `arn:aws:sts::000000000000:assumed-role/Alpha-LocalExecutionRole/${prefix}-alpha`,
    });
  });

  it('denies a registered quantum the operation does not name, without running the facade function', async () => {
    const before = cloud.faults.stats('beta.facade').executions;

    const response = await callFacade('gamma.worker', 'beta', 'Whoami');

    expect(response.status).toBe(403);
    expect(JSON.parse(response.body).Message).toMatch(
      /^User: arn:aws:sts::000000000000:assumed-role\/Gamma-LocalExecutionRole\/.+ is not authorized to perform: execute-api:Invoke/,
    );
    expect(cloud.faults.stats('beta.facade').executions).toBe(before);
  });

  it('answers an unsigned call to a facade with 403 Missing Authentication Token', async () => {
    const response = await fetch(`${cloud.facadeUrlOf('beta')}/ops/Whoami`, { method: 'POST', body: '{}' });

    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
  });

  it('tells the request handler, and only it, the reply queue of each sender in REPLY_QUEUE_URL_<SENDER>', async () => {
    const requests = await env('beta.requests', ['REPLY_QUEUE_URL_ALPHA']);
    const facade = await env('beta.facade', ['REPLY_QUEUE_URL_ALPHA']);
    const sender = await env('alpha.worker', ['REQUEST_QUEUE_URL_BETA']);

    expect(requests.REPLY_QUEUE_URL_ALPHA).toMatch(new RegExp(`/${prefix}-alpha-replies$`));
    expect(facade.REPLY_QUEUE_URL_ALPHA).toBeNull();
    expect(sender.REQUEST_QUEUE_URL_BETA).toMatch(new RegExp(`/${prefix}-beta-requests$`));
  });

  it('gives every function of a quantum with encryptionKey the same generated 256-bit key', async () => {
    const worker = await env('alpha.worker', ['ENCRYPTION_KEY_LOCAL']);
    const tick = await env('alpha.tick', ['ENCRYPTION_KEY_LOCAL']);
    const beta = await env('beta.facade', ['ENCRYPTION_KEY_LOCAL']);

    expect(worker.ENCRYPTION_KEY_LOCAL).toBe(cloud.encryptionKeyOf('alpha'));
    expect(tick.ENCRYPTION_KEY_LOCAL).toBe(worker.ENCRYPTION_KEY_LOCAL);
    expect(Buffer.from(String(worker.ENCRYPTION_KEY_LOCAL), 'base64')).toHaveLength(32);
    expect(beta.ENCRYPTION_KEY_LOCAL).toBeNull();
  });

  it('applies quanta:environment last, over what the local cloud sets, to that quantum only', async () => {
    const alpha = await env('alpha.worker', ['REPLY_QUEUE_URL', 'FEATURE']);
    const beta = await env('beta.requests', ['FEATURE']);

    expect(alpha).toEqual({ REPLY_QUEUE_URL: 'https://overridden.example/replies', FEATURE: 'on' });
    expect(beta.FEATURE).toBeNull();
  });

  it('runs each schedule at the scaled period with the stack’s schedule input, never two runs at once', async () => {
    await sleep(2_400);

    // The run takes 700 ms and the period is 250 ms: each run skips the due times it overlaps.
    expect(scheduled.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < scheduled.length; i++) {
      expect((scheduled[i]?.at ?? 0) - (scheduled[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(690);
    }
    expect(scheduled[0]?.event).toEqual(
      scheduleInputOf('alpha', 'tick', {
        scheduleArn: `arn:aws:scheduler:eu-west-1:000000000000:schedule/default/${prefix}-alpha-tick`,
        scheduledTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        executionId: expect.stringMatching(/^[0-9a-f]{16}$/),
        attemptNumber: '1',
      }),
    );
    expect(cloud.scheduler.stats('alpha.tick').skipped).toBeGreaterThan(0);
  });

  it('applies injected faults to the facade gateway’s invocations: fail-before is a 502 without running the function', async () => {
    const before = cloud.faults.stats('beta.facade');
    cloud.faults.inject('beta.facade', { mode: 'fail-before' });

    const failed = await callFacade('alpha.worker', 'beta', 'Whoami');
    cloud.faults.clear('beta.facade');
    const recovered = await callFacade('alpha.worker', 'beta', 'Whoami');

    expect(failed).toEqual({ status: 502, body: '{"message": "Internal server error"}' });
    expect(recovered.status).toBe(200);
    const after = cloud.faults.stats('beta.facade');
    expect(after.invocations - before.invocations).toBe(2);
    expect(after.executions - before.executions).toBe(1);
  });

  it('makes a hanging facade fail only after the function’s own timeout, so a caller with a shorter timeout gives up first', async () => {
    cloud.faults.inject('beta.facade', { mode: 'hang' });
    const signed = await signRequest(`${cloud.facadeUrlOf('beta')}/ops/Whoami`, {
      credentials: cloud.credentialsOf('alpha'),
      region: 'eu-west-1',
    });
    const { host: _host, ...headers } = signed.headers;
    const started = Date.now();

    const outcome = await fetch(`${cloud.facadeUrlOf('beta')}/ops/Whoami`, {
      method: 'POST',
      headers,
      body: signed.body,
      signal: AbortSignal.timeout(500),
    }).then(
      (response) => `status ${response.status}`,
      (error: Error) => error.name,
    );
    const gaveUpAfter = Date.now() - started;
    // beta.facade's timeout is 2 s (below the gateway's 29 s): then the invocation fails, a 502.
    const late = await callFacade('alpha.worker', 'beta', 'Whoami');
    const failedAfter = Date.now() - started;
    cloud.faults.clear();

    expect(outcome).toBe('TimeoutError');
    expect(gaveUpAfter).toBeLessThan(1_000);
    expect(late.status).toBe(502);
    expect(failedAfter).toBeGreaterThanOrEqual(2_400);
    expect(cloud.faults.stats('beta.facade').injected.hang).toBe(2);
  });
});
