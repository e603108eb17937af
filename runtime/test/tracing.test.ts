import { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it, vi } from 'vitest';
import {
  createObservability,
  type Observability,
  observedHandler,
  type Tracing,
  type TracingModule,
} from '../src/observability/Observability';
import { lambdaContext } from '../src/testing/lambdaContext';
import { testObservability } from '../src/testing/testObservability';

/** A client as the AWS SDK would see it, named so the journal can tell clients apart. */
interface FakeClient {
  readonly name: string;
}

/**
 * A stand-in for `./xrayTracing` that writes what it is asked to do into `journal`, and a loader for
 * it that resolves only when `resolve()` is called (or rejects with `reject(error)`).
 */
function fakeTracingModule(journal: string[]) {
  const module: TracingModule = {
    xrayTracing: (serviceName): Tracing => {
      journal.push(`tracer for ${serviceName}`);
      return {
        captureAWSv3Client: <T>(client: T): T => {
          const { name } = client as FakeClient;
          if (name === 'not-a-client') throw new TypeError('client.middlewareStack is undefined');
          journal.push(`capture ${name}`);
          return client;
        },
        middleware: {
          before: (request) => void journal.push(`before ${String(request.event)}`),
          after: (request) => void journal.push(`after ${String(request.response)}`),
          onError: (request) => void journal.push(`onError ${String(request.error?.message)}`),
        },
      };
    },
  };
  let settle: { resolve: (m: TracingModule) => void; reject: (error: Error) => void } | undefined;
  const loaded = new Promise<TracingModule>((resolve, reject) => {
    settle = { resolve, reject };
  });
  return {
    load: vi.fn(() => loaded),
    resolve: () => settle?.resolve(module),
    reject: (error: Error) => settle?.reject(error),
  };
}

/** Observability with tracing on or off and `load` as its tracing loader; silent logs and metrics. */
function observabilityWith(tracingEnabled: boolean, load: () => Promise<TracingModule>): Observability {
  const { logger, metrics } = testObservability('orders');
  return createObservability({ serviceName: 'orders', tracingEnabled, loadTracing: load, logger, metrics });
}

describe('tracing that is off', () => {
  it('never loads the tracing module, hands clients back untouched and lets invocations through', async () => {
    // Arrange
    const journal: string[] = [];
    const tracing = fakeTracingModule(journal);
    const observability = observabilityWith(false, tracing.load);
    const client: FakeClient = { name: 'sqs' };
    const handler = observedHandler(async (event: string) => `done ${event}`, { observability });
    tracing.resolve();

    // Act
    const captured = observability.tracer.captureAWSv3Client(client);
    const result = await handler('order-1', lambdaContext());

    // Assert
    expect(captured).toBe(client);
    expect(result).toBe('done order-1');
    expect(tracing.load).not.toHaveBeenCalled();
    expect(journal).toEqual([]);
  });
});

describe('tracing that is on', () => {
  it('starts loading at init and captures init clients before the first handler runs, which waits', async () => {
    // Arrange
    const journal: string[] = [];
    const tracing = fakeTracingModule(journal);
    const observability = observabilityWith(true, tracing.load);
    const sqs: FakeClient = { name: 'sqs' };
    const dynamoDb: FakeClient = { name: 'dynamodb' };
    const capturedAtInit = [
      observability.tracer.captureAWSv3Client(sqs),
      observability.tracer.captureAWSv3Client(dynamoDb),
    ];
    const handler = observedHandler(
      async (event: string) => {
        journal.push(`handler ${event}`);
        return `done ${event}`;
      },
      { observability },
    );

    // Act
    const invocation = handler('order-1', lambdaContext());
    await new Promise((resolve) => setTimeout(resolve, 10));
    const beforeLoad = [...journal];
    tracing.resolve();
    const result = await invocation;

    // Assert
    expect(tracing.load).toHaveBeenCalledTimes(1);
    expect(capturedAtInit[0]).toBe(sqs);
    expect(capturedAtInit[1]).toBe(dynamoDb);
    expect(beforeLoad).toEqual([]);
    expect(result).toBe('done order-1');
    expect(journal).toEqual([
      'tracer for orders',
      'capture sqs',
      'capture dynamodb',
      'before order-1',
      'handler order-1',
      'after done order-1',
    ]);
  });

  it('captures a client given after the tracer has loaded right away, not a tick later', async () => {
    // Arrange
    const journal: string[] = [];
    const tracing = fakeTracingModule(journal);
    const observability = observabilityWith(true, tracing.load);
    const handler = observedHandler(async () => 'done', { observability });
    tracing.resolve();
    await handler('order-1', lambdaContext());
    journal.length = 0;

    // Act
    observability.tracer.captureAWSv3Client({ name: 'eventbridge' });

    // Assert
    expect(journal).toEqual(['capture eventbridge']);
  });

  it("hands a failing invocation to the tracer's onError and still fails it", async () => {
    // Arrange
    const journal: string[] = [];
    const tracing = fakeTracingModule(journal);
    const observability = observabilityWith(true, tracing.load);
    const handler = observedHandler(
      async (): Promise<string> => {
        throw new Error('table unavailable');
      },
      { observability },
    );
    tracing.resolve();

    // Act
    const invocation = handler('order-1', lambdaContext());

    // Assert
    await expect(invocation).rejects.toThrow('table unavailable');
    expect(journal).toEqual(['tracer for orders', 'before order-1', 'onError table unavailable']);
  });

  it('fails every invocation, without running the handler, when the tracer fails to load', async () => {
    // Arrange: it fails during init, which must not be an unhandled rejection (vitest reports those).
    const journal: string[] = [];
    const tracing = fakeTracingModule(journal);
    const observability = observabilityWith(true, tracing.load);
    const body = vi.fn(async () => 'done');
    const handler = observedHandler(body, { observability });
    tracing.reject(new Error("Cannot find module 'aws-xray-sdk-core'"));
    await new Promise((resolve) => setTimeout(resolve, 10));

    // Act
    const first = handler('order-1', lambdaContext());
    const second = handler('order-2', lambdaContext());

    // Assert
    await expect(first).rejects.toThrow("Cannot find module 'aws-xray-sdk-core'");
    await expect(second).rejects.toThrow("Cannot find module 'aws-xray-sdk-core'");
    expect(body).not.toHaveBeenCalled();
    expect(journal).toEqual([]);
  });

  it('fails every invocation when a client given at init cannot be captured', async () => {
    // Arrange
    const journal: string[] = [];
    const tracing = fakeTracingModule(journal);
    const observability = observabilityWith(true, tracing.load);
    observability.tracer.captureAWSv3Client({ name: 'not-a-client' });
    const body = vi.fn(async () => 'done');
    const handler = observedHandler(body, { observability });
    tracing.resolve();

    // Act
    const invocation = handler('order-1', lambdaContext());

    // Assert
    await expect(invocation).rejects.toThrow('client.middlewareStack is undefined');
    expect(body).not.toHaveBeenCalled();
  });
});

describe('the X-Ray tracing module', () => {
  it("is what tracing loads by default, and puts the X-Ray SDK's middleware on clients given at init", async () => {
    // Arrange: in Lambda, as Powertools Tracer switches itself off elsewhere; without patching http
    // globally, without the SDK's async hook, and quiet about the missing segment.
    const restore = setEnvironment({
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS: 'false',
      AWS_XRAY_MANUAL_MODE: 'true',
      AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const { logger, metrics } = testObservability('orders');
      const observability = createObservability({
        serviceName: 'orders',
        tracingEnabled: true,
        logger,
        metrics,
      });
      const client = new SQSClient({ region: 'eu-west-1' });
      observability.tracer.captureAWSv3Client(client);
      let middlewareInHandler: string[] = [];
      const handler = observedHandler(
        async () => {
          middlewareInHandler = client.middlewareStack.identify();
        },
        { observability },
      );

      // Act
      await handler('order-1', lambdaContext());

      // Assert
      expect(middlewareInHandler).toContainEqual(expect.stringContaining('XRaySDKInstrumentation'));
    } finally {
      restore();
      warn.mockRestore();
    }
  });
});

/** Sets `variables` in `process.env`; the function returned puts back what was there. */
function setEnvironment(variables: Readonly<Record<string, string>>): () => void {
  const previous = Object.keys(variables).map((name) => [name, process.env[name]] as const);
  Object.assign(process.env, variables);
  return () => {
    for (const [name, value] of previous) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
