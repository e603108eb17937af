import { describe, expect, it, vi } from 'vitest';
import { ConflictError } from '../src/errors';
import { httpHandler, jsonResponse } from '../src/http/httpHandler';
import {
  createObservability,
  isTracingAvailable,
  type TracingModule,
} from '../src/observability/Observability';
import { httpApiEvent } from '../src/testing/httpApiEvent';
import { lambdaContext } from '../src/testing/lambdaContext';
import { testObservability } from '../src/testing/testObservability';

describe('httpHandler', () => {
  it('answers JSON with the utf-8 content type and echoes the client correlation id', async () => {
    // Arrange
    const handler = httpHandler(async () => jsonResponse(200, { ok: true }), {
      observability: testObservability(),
    });
    const event = httpApiEvent({ method: 'GET', path: '/x', headers: { 'X-Correlation-Id': 'corr-123' } });

    // Act
    const response = await handler(event, lambdaContext());

    // Assert
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['x-correlation-id']).toBe('corr-123');
  });

  it('falls back to the request id when the client correlation id is unsafe', async () => {
    // Arrange
    const handler = httpHandler(async () => jsonResponse(200, {}), { observability: testObservability() });
    const event = httpApiEvent({ method: 'GET', path: '/x', headers: { 'x-correlation-id': 'bad\nvalue' } });

    // Act
    const response = await handler(event, lambdaContext());

    // Assert
    expect(response.headers['x-correlation-id']).toBe(event.requestContext.requestId);
  });

  it('adopts an API Gateway request id forwarded by another quantum as the correlation id', async () => {
    // Arrange
    const handler = httpHandler(async () => jsonResponse(200, {}), { observability: testObservability() });
    const event = httpApiEvent({
      method: 'GET',
      path: '/x',
      headers: { 'x-correlation-id': 'Xk3P0a9+m1/EJrA=' },
    });

    // Act
    const response = await handler(event, lambdaContext());

    // Assert
    expect(response.headers['x-correlation-id']).toBe('Xk3P0a9+m1/EJrA=');
  });

  it('turns a thrown QuantaError into its JSON response, with the correlation id', async () => {
    // Arrange
    const handler = httpHandler(
      async () => {
        throw new ConflictError('E-mail is already registered', { code: 'EMAIL_TAKEN' });
      },
      { observability: testObservability() },
    );

    // Act
    const response = await handler(httpApiEvent({ method: 'POST', path: '/x' }), lambdaContext());

    // Assert
    expect(response.statusCode).toBe(409);
    expect(JSON.parse(response.body).error.code).toBe('EMAIL_TAKEN');
    expect(response.headers['x-correlation-id']).toBeDefined();
  });

  it('turns an unexpected error into a generic 500 without a stack trace and logs the stack', async () => {
    // Arrange
    const observability = testObservability();
    const logged = vi.spyOn(observability.logger, 'error');
    const handler = httpHandler(
      async () => {
        throw new Error('connect ECONNREFUSED 10.0.0.12:8000');
      },
      { observability },
    );

    // Act
    const response = await handler(httpApiEvent({ method: 'GET', path: '/x' }), lambdaContext());

    // Assert
    expect(response.statusCode).toBe(500);
    expect(response.body).toBe('{"error":{"code":"INTERNAL","message":"Internal error"}}');
    expect(logged).toHaveBeenCalledWith(
      'Request failed',
      expect.objectContaining({ stack: expect.any(String) }),
    );
  });

  it('runs without an X-Ray daemon, and without loading the X-Ray SDK, because tracing is off outside Lambda', async () => {
    // Arrange
    const { logger, metrics } = testObservability();
    const loadTracing = vi.fn<() => Promise<TracingModule>>();
    const observability = createObservability({
      serviceName: 'test',
      tracingEnabled: isTracingAvailable({ AWS_LAMBDA_FUNCTION_NAME: 'local-worker' }),
      loadTracing,
      logger,
      metrics,
    });
    const handler = httpHandler(async () => jsonResponse(200, {}), { observability });

    // Act
    const response = await handler(httpApiEvent({ method: 'GET', path: '/x' }), lambdaContext());

    // Assert
    expect(loadTracing).not.toHaveBeenCalled();
    expect(response.statusCode).toBe(200);
  });

  it('answers 500 and logs why when tracing is on but the tracer fails to load', async () => {
    // Arrange
    const { logger, metrics } = testObservability();
    const logged = vi.spyOn(logger, 'error');
    const observability = createObservability({
      serviceName: 'test',
      tracingEnabled: true,
      loadTracing: () => Promise.reject(new Error("Cannot find module 'aws-xray-sdk-core'")),
      logger,
      metrics,
    });
    const body = vi.fn(async () => jsonResponse(200, {}));
    const handler = httpHandler(body, { observability });

    // Act
    const response = await handler(httpApiEvent({ method: 'GET', path: '/x' }), lambdaContext());

    // Assert
    expect(response.statusCode).toBe(500);
    expect(body).not.toHaveBeenCalled();
    expect(logged).toHaveBeenCalledWith(
      'Request failed',
      expect.objectContaining({ message: "Cannot find module 'aws-xray-sdk-core'" }),
    );
  });
});

describe('isTracingAvailable', () => {
  it('is true only with a Lambda execution environment and an X-Ray daemon address', () => {
    // Arrange
    const lambda = {
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129:2000',
    };

    // Act + Assert
    expect(isTracingAvailable(lambda)).toBe(true);
    expect(isTracingAvailable({ ...lambda, POWERTOOLS_TRACE_ENABLED: 'false' })).toBe(false);
    expect(isTracingAvailable({ AWS_LAMBDA_FUNCTION_NAME: 'local-worker' })).toBe(false);
    expect(isTracingAvailable({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' })).toBe(false);
  });
});
