import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LambdaRuntimeStoppedError, UnknownFunctionError } from '../errors';
import type { FunctionLogLine } from '../FunctionLogSink';
import type { LambdaInvokeResult } from '../LambdaRuntime';
import { LambdaRuntime } from '../LambdaRuntime';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const buildDir = path.resolve(import.meta.dirname, '../../../.quanta/build', `test-lambda-${randomUUID()}`);
const behaviours = path.join(fixtures, 'behaviours.ts');

function payloadOf(result: LambdaInvokeResult): unknown {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
  return result.payload;
}

describe('LambdaRuntime', () => {
  const logs: FunctionLogLine[] = [];
  let runtime: LambdaRuntime;
  let startInfo: Awaited<ReturnType<LambdaRuntime['start']>>;

  beforeAll(async () => {
    process.env.QUANTA_PARENT_ONLY_SECRET = 'must-not-leak';
    runtime = new LambdaRuntime({
      buildDir,
      region: 'eu-west-1',
      maxWorkersPerFunction: 4,
      baseEnvironment: { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' },
      logSink: (line) => logs.push(line),
      functions: [
        {
          id: 'fx.alpha',
          entry: behaviours,
          environment: { GREETING: 'alpha', ONLY_ALPHA: 'yes' },
          memoryMb: 256,
        },
        {
          id: 'fx.beta',
          entry: behaviours,
          environment: { GREETING: 'beta' },
          timeoutSeconds: 1,
          reservedConcurrency: 1,
        },
        { id: 'fx.pool', entry: behaviours, reservedConcurrency: 3 },
        {
          id: 'fx.signer',
          entry: behaviours,
          credentials: { accessKeyId: 'LOCALFX', secretAccessKey: 'fx-secret' },
          // A function cannot override what Lambda reserves, its credentials included.
          environment: { AWS_ACCESS_KEY_ID: 'spoofed' },
        },
        { id: 'fx.crash', entry: behaviours, reservedConcurrency: 1 },
        { id: 'fx.initFails', entry: path.join(fixtures, 'initFails.ts') },
        { id: 'fx.noHandler', entry: path.join(fixtures, 'noHandler.ts') },
      ],
    });
    startInfo = await runtime.start();
  });

  afterAll(async () => {
    delete process.env.QUANTA_PARENT_ONLY_SECRET;
    await runtime.stop();
    await rm(buildDir, { recursive: true, force: true });
  });

  it('bundles every function in one build and reports its duration and bundle sizes', () => {
    expect(startInfo.functions).toBe(7);
    expect(startInfo.buildMs).toBeGreaterThan(0);
    expect(startInfo.bundleSizes.get('fx.alpha')).toBeGreaterThan(0);
  });

  it('gives each function its own environment and nothing of the parent process', async () => {
    const names = ['GREETING', 'ONLY_ALPHA', 'QUANTA_PARENT_ONLY_SECRET', 'PATH', 'HOME', 'AWS_REGION'];
    const alpha = payloadOf(await runtime.invoke('fx.alpha', { action: 'env', names }));
    const beta = payloadOf(await runtime.invoke('fx.beta', { action: 'env', names }));

    expect(alpha).toEqual({
      GREETING: 'alpha',
      ONLY_ALPHA: 'yes',
      QUANTA_PARENT_ONLY_SECRET: null,
      PATH: null,
      HOME: null,
      AWS_REGION: 'eu-west-1',
    });
    expect(beta).toEqual({
      GREETING: 'beta',
      ONLY_ALPHA: null,
      QUANTA_PARENT_ONLY_SECRET: null,
      PATH: null,
      HOME: null,
      AWS_REGION: 'eu-west-1',
    });
  });

  it('adds dummy credentials, the base endpoints and Lambda reserved variables to the environment', async () => {
    const names = [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_ENDPOINT_URL_DYNAMODB',
      'AWS_LAMBDA_FUNCTION_NAME',
      'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
      'AWS_EXECUTION_ENV',
      'AWS_XRAY_MANUAL_MODE',
      'POWERTOOLS_LOG_LEVEL',
    ];

    const env = payloadOf(await runtime.invoke('fx.alpha', { action: 'env', names }));

    expect(env).toEqual({
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
      AWS_LAMBDA_FUNCTION_NAME: 'fx-alpha',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_EXECUTION_ENV: null,
      // No X-Ray daemon locally: the SDK's async hook would cost every promise for nothing.
      AWS_XRAY_MANUAL_MODE: 'true',
      // Output goes to a sink here, so logging stays as configured (unset in this fixture).
      POWERTOOLS_LOG_LEVEL: null,
    });
  });

  it('gives a function that brings its own credentials those, and not the runtime’s default', async () => {
    const env = payloadOf(
      await runtime.invoke('fx.signer', {
        action: 'env',
        names: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
      }),
    );

    expect(env).toEqual({ AWS_ACCESS_KEY_ID: 'LOCALFX', AWS_SECRET_ACCESS_KEY: 'fx-secret' });
  });

  it('keeps module state between warm invocations and reports only the first as a cold start', async () => {
    const first = await runtime.invoke('fx.beta', { action: 'count' });
    const second = await runtime.invoke('fx.beta', { action: 'count' });

    const a = payloadOf(first) as { invocations: number; threadId: number };
    const b = payloadOf(second) as { invocations: number; threadId: number };
    expect(b.threadId).toBe(a.threadId);
    expect(b.invocations).toBe(a.invocations + 1);
    expect(second.coldStart).toBe(false);
  });

  it('keeps V8’s compile cache of what its workers loaded in the build folder, for the next cold start', async () => {
    payloadOf(await runtime.invoke('fx.alpha', { action: 'count' }));

    const cached = readdirSync(buildDir, { recursive: true, withFileTypes: true }).filter(
      (entry) => entry.isFile() && entry.parentPath.split(path.sep).includes('.compile-cache'),
    );
    expect(cached.length).toBeGreaterThan(0);
  });

  it('fails a slow invocation with Sandbox.Timedout and cold-starts a fresh worker for the next one', async () => {
    const warm = payloadOf(await runtime.invoke('fx.beta', { action: 'count' })) as { threadId: number };

    const timedOut = await runtime.invoke('fx.beta', { action: 'sleep', ms: 3_000 });
    const next = await runtime.invoke('fx.beta', { action: 'count' });

    expect(timedOut.ok).toBe(false);
    expect(!timedOut.ok && timedOut.error.errorType).toBe('Sandbox.Timedout');
    expect(!timedOut.ok && timedOut.error.errorMessage).toMatch(/Task timed out after 1\.00 seconds/);
    expect(timedOut.durationMs).toBeGreaterThanOrEqual(990);
    expect(timedOut.durationMs).toBeLessThan(2_000);
    expect(next.coldStart).toBe(true);
    expect(next.initDurationMs).toBeGreaterThan(0);
    const fresh = payloadOf(next) as { invocations: number; threadId: number };
    expect(fresh.invocations).toBe(1);
    expect(fresh.threadId).not.toBe(warm.threadId);
  });

  it('times out a handler that blocks its event loop, by terminating its thread', async () => {
    const blocked = await runtime.invoke('fx.beta', { action: 'spin', ms: 10_000 });
    const next = await runtime.invoke('fx.beta', { action: 'count' });

    expect(blocked).toMatchObject({ ok: false, error: { errorType: 'Sandbox.Timedout' } });
    expect(blocked.durationMs).toBeLessThan(2_000);
    expect(next).toMatchObject({ ok: true, coldStart: true });
  });

  it('replaces a worker that died while idle instead of failing the next invocation', async () => {
    const first = payloadOf(await runtime.invoke('fx.crash', { action: 'exitLater' })) as {
      threadId: number;
    };
    await new Promise((resolve) => setTimeout(resolve, 100));

    const next = await runtime.invoke('fx.crash', { action: 'count' });

    expect(next).toMatchObject({ ok: true, coldStart: true });
    expect((payloadOf(next) as { threadId: number }).threadId).not.toBe(first.threadId);
  });

  it('maps an error thrown by the handler to errorType and errorMessage, like an Unhandled Lambda error', async () => {
    const thrown = await runtime.invoke('fx.alpha', {
      action: 'throw',
      name: 'OrderRejectedError',
      message: 'no stock',
    });
    const thrownString = await runtime.invoke('fx.alpha', { action: 'throwString' });

    expect(thrown).toMatchObject({
      ok: false,
      error: { errorType: 'OrderRejectedError', errorMessage: 'no stock' },
    });
    expect(thrownString).toMatchObject({
      ok: false,
      error: { errorType: 'string', errorMessage: 'a plain string' },
    });
    const warm = await runtime.invoke('fx.alpha', { action: 'count' });
    expect(warm.coldStart).toBe(false);
    expect(
      logs.some((l) => l.functionId === 'fx.alpha' && l.stream === 'stderr' && l.line.includes('no stock')),
    ).toBe(true);
  });

  it('reports a worker that exits or throws outside the handler as an error instead of hanging', async () => {
    const exited = await runtime.invoke('fx.crash', { action: 'exit' });
    const crashed = await runtime.invoke('fx.crash', { action: 'crashLater' });
    const after = await runtime.invoke('fx.crash', { action: 'count' });

    expect(exited).toMatchObject({ ok: false, error: { errorType: 'Runtime.ExitError' } });
    expect(!exited.ok && exited.error.errorMessage).toMatch(/exit status 3/);
    expect(crashed).toMatchObject({
      ok: false,
      error: { errorType: 'RangeError', errorMessage: 'thrown outside the handler' },
    });
    expect(crashed.durationMs).toBeLessThan(2_000);
    expect(after.ok).toBe(true);
    expect(after.coldStart).toBe(true);
  });

  it('runs parallel invocations on separate workers up to the reserved concurrency and queues the rest', async () => {
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => runtime.invoke('fx.pool', { action: 'sleep', ms: 400 })),
    );
    const elapsed = performance.now() - started;

    const threads = new Set(results.map((r) => (payloadOf(r) as { threadId: number }).threadId));
    expect(threads.size).toBe(3);
    // 5 invocations of 400 ms on 3 workers take two rounds.
    expect(elapsed).toBeGreaterThanOrEqual(800);
    expect(runtime.stats('fx.pool')).toEqual({ workers: 3, busy: 0, queued: 0, started: 3, retired: 0 });
  });

  it('shows the queue while all workers are busy', async () => {
    const pending = Array.from({ length: 5 }, () => runtime.invoke('fx.pool', { action: 'sleep', ms: 300 }));
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(runtime.stats('fx.pool')).toMatchObject({ busy: 3, queued: 2 });
    await Promise.all(pending);
  });

  it('passes a Lambda-like context object', async () => {
    const result = await runtime.invoke('fx.alpha', { action: 'context' });

    const context = payloadOf(result) as Record<string, unknown>;
    expect(context).toMatchObject({
      awsRequestId: result.requestId,
      functionName: 'fx-alpha',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:fx-alpha',
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/fx-alpha',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(context.remainingTimeInMillis).toBeGreaterThan(9_000);
    expect(context.remainingTimeInMillis).toBeLessThanOrEqual(10_000);
  });

  it('serializes events and payloads as JSON, like the Invoke API', async () => {
    const result = await runtime.invoke('fx.alpha', {
      action: 'echo',
      payload: { when: new Date(0), skipped: undefined, list: [1, 'two'] },
    });

    expect(payloadOf(result)).toEqual({ when: '1970-01-01T00:00:00.000Z', list: [1, 'two'] });
  });

  it('reports init failures: a module that throws while loading and a missing handler export', async () => {
    const initFails = await runtime.invoke('fx.initFails', {});
    const noHandler = await runtime.invoke('fx.noHandler', {});

    expect(initFails).toMatchObject({
      ok: false,
      coldStart: true,
      error: { errorType: 'Error', errorMessage: 'MUST_BE_SET is missing' },
    });
    expect(noHandler).toMatchObject({ ok: false, error: { errorType: 'Runtime.HandlerNotFound' } });
  });

  it('routes function output to the log sink, line by line, tagged with the function id', async () => {
    await runtime.invoke('fx.alpha', { action: 'log', message: 'hello' });
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(logs).toContainEqual({ functionId: 'fx.alpha', stream: 'stdout', line: 'out: hello' });
    expect(logs).toContainEqual({ functionId: 'fx.alpha', stream: 'stderr', line: 'err: hello' });
  });

  it('rejects an unknown function id', async () => {
    await expect(runtime.invoke('fx.missing', {})).rejects.toBeInstanceOf(UnknownFunctionError);
  });
});

describe('LambdaRuntime with output discarded and a small pool', () => {
  const dir = `${buildDir}-quiet`;
  let runtime: LambdaRuntime;

  beforeAll(async () => {
    runtime = new LambdaRuntime({
      buildDir: dir,
      logSink: 'discard',
      maxWorkersPerFunction: 2,
      workerIdleTimeoutMs: 300,
      functions: [{ id: 'fx.quiet', entry: behaviours, reservedConcurrency: 5 }],
    });
    await runtime.start();
  });

  afterAll(async () => {
    await runtime.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('drops function output inside the worker and switches Powertools logging and metrics off', async () => {
    // Act
    const logged = await runtime.invoke('fx.quiet', { action: 'log', message: 'nobody reads this' });
    const env = await runtime.invoke('fx.quiet', {
      action: 'env',
      names: ['POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_METRICS_DISABLED'],
    });

    // Assert
    expect(payloadOf(logged)).toBe('logged');
    expect(payloadOf(env)).toEqual({ POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' });
  });

  it('caps a function at maxWorkersPerFunction even when its reserved concurrency is higher', async () => {
    // Act
    const results = await Promise.all(
      Array.from({ length: 4 }, () => runtime.invoke('fx.quiet', { action: 'sleep', ms: 200 })),
    );

    // Assert
    const threads = new Set(results.map((r) => (payloadOf(r) as { threadId: number }).threadId));
    expect(threads.size).toBe(2);
  });

  it('retires workers that stay idle for workerIdleTimeoutMs, and cold-starts the next invocation', async () => {
    // Arrange
    await Promise.all([
      runtime.invoke('fx.quiet', { action: 'sleep', ms: 50 }),
      runtime.invoke('fx.quiet', { action: 'sleep', ms: 50 }),
    ]);

    // Act
    await vi.waitFor(() => expect(runtime.stats('fx.quiet').workers).toBe(0), { timeout: 5_000 });
    const next = await runtime.invoke('fx.quiet', { action: 'count' });

    // Assert
    expect(runtime.stats('fx.quiet').retired).toBeGreaterThanOrEqual(2);
    expect(next.coldStart).toBe(true);
  });
});

describe('LambdaRuntime.stop', () => {
  it('terminates the workers and rejects in-flight and later invocations', async () => {
    const dir = `${buildDir}-stop`;
    const runtime = new LambdaRuntime({
      buildDir: dir,
      logSink: () => {},
      functions: [{ id: 'fx.stop', entry: behaviours, reservedConcurrency: 1 }],
    });
    await runtime.start();
    await runtime.invoke('fx.stop', { action: 'count' });

    const pending = Promise.allSettled([
      runtime.invoke('fx.stop', { action: 'sleep', ms: 5_000 }),
      runtime.invoke('fx.stop', { action: 'count' }),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await runtime.stop();

    const [inFlight, queued] = await pending;
    expect(inFlight.status === 'rejected' && inFlight.reason).toBeInstanceOf(LambdaRuntimeStoppedError);
    expect(queued.status === 'rejected' && queued.reason).toBeInstanceOf(LambdaRuntimeStoppedError);
    await expect(runtime.invoke('fx.stop', {})).rejects.toBeInstanceOf(LambdaRuntimeStoppedError);
    expect(runtime.stats('fx.stop')).toMatchObject({ workers: 0 });
    await rm(dir, { recursive: true, force: true });
  });
});
