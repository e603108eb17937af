import { errorBodySchema } from '@quanta/contracts/http';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  ConflictError,
  EventPublishError,
  FacadeUnavailableError,
  MethodNotAllowedError,
  NotFoundError,
  QuantaError,
  ServiceUnavailableError,
  TooManyRequestsError,
  ValidationError,
} from '../src/errors';
import { errorResponse } from '../src/http/httpHandler';

const silentLogger = () => ({ error: vi.fn(), info: vi.fn() });

describe('errorResponse', () => {
  it('answers a client error with its status, code, message and details', () => {
    // Arrange
    const error = new ConflictError('E-mail is already registered', {
      code: 'EMAIL_TAKEN',
      details: { field: 'email' },
    });

    // Act
    const response = errorResponse(error, silentLogger());

    // Assert
    expect(response.statusCode).toBe(409);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(response.body)).toEqual({
      error: { code: 'EMAIL_TAKEN', message: 'E-mail is already registered', details: { field: 'email' } },
    });
  });

  it('lists every zod issue with its path for a validation error', () => {
    // Arrange
    const schema = z.object({ email: z.email(), items: z.array(z.object({ qty: z.number().positive() })) });
    const zodError = schema.safeParse({ email: 'nope', items: [{ qty: -1 }] }).error as z.ZodError;

    // Act
    const response = errorResponse(ValidationError.fromZod(zodError, 'request body'), silentLogger());

    // Assert
    const body = errorBodySchema.parse(JSON.parse(response.body));
    expect(response.statusCode).toBe(400);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details).toEqual([
      expect.objectContaining({ path: 'email' }),
      expect.objectContaining({ path: 'items.0.qty', code: 'too_small' }),
    ]);
  });

  it('answers an unknown error with a generic 500 and logs it with its stack', () => {
    // Arrange
    const logger = silentLogger();
    const error = new TypeError("Cannot read properties of undefined (reading 'secretTableName')");

    // Act
    const response = errorResponse(error, logger);

    // Assert
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toEqual({ error: { code: 'INTERNAL', message: 'Internal error' } });
    expect(response.body).not.toContain('secretTableName');
    expect(response.body).not.toContain('at ');
    expect(logger.error).toHaveBeenCalledWith('Request failed', error);
  });

  it('hides the message and code of a server-side QuantaError', () => {
    // Arrange
    const error = new EventPublishError([
      { eventId: 'e1', errorCode: 'ThrottlingException', errorMessage: 'slow down' },
    ]);

    // Act
    const response = errorResponse(error, silentLogger());

    // Assert
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('e1');
    expect(JSON.parse(response.body).error.code).toBe('INTERNAL');
  });

  it('answers a 503 with a generic retryable body and a Retry-After header', () => {
    // Arrange
    const error = new ServiceUnavailableError('Table quanta-identity throttled after 5 attempts');

    // Act
    const response = errorResponse(error, silentLogger());

    // Assert
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.body).not.toContain('quanta-identity');
  });

  it('keeps a 503’s stable code but never its internal message', () => {
    // Arrange
    const error = new FacadeUnavailableError('catalog', 'timed out after 2000 ms');

    // Act
    const response = errorResponse(error, silentLogger());

    // Assert
    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body).error.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(response.body).not.toContain('catalog');
    expect(response.body).not.toContain('2000');
  });

  it('adds the Allow header to a 405', () => {
    // Arrange
    const error = new MethodNotAllowedError('DELETE', '/orders', ['GET', 'POST']);

    // Act
    const response = errorResponse(error, silentLogger());

    // Assert
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET, POST');
  });

  it('answers a 429 with the error body and Retry-After in whole seconds, at least 1', () => {
    // Arrange
    const error = new TooManyRequestsError('Too many attempts; retry later', 59.2);
    const immediate = new TooManyRequestsError('Too many attempts; retry later', 0);

    // Act
    const response = errorResponse(error, silentLogger());
    const soon = errorResponse(immediate, silentLogger());

    // Assert
    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBe('60');
    expect(soon.headers['retry-after']).toBe('1');
    expect(errorBodySchema.parse(JSON.parse(response.body)).error).toEqual({
      code: 'TOO_MANY_REQUESTS',
      message: 'Too many attempts; retry later',
    });
  });

  it('chains the cause of a QuantaError', () => {
    // Arrange
    const cause = new Error('ConditionalCheckFailed');

    // Act
    const error = new NotFoundError('User u1 not found', { cause });

    // Assert
    expect(error.cause).toBe(cause);
    expect(error.name).toBe('NotFoundError');
  });

  it('refuses a code that is not UPPER_SNAKE_CASE', () => {
    // Arrange
    const build = () => new QuantaError('x', { status: 400, code: 'lower-case' });

    // Act + Assert
    expect(build).toThrow(/UPPER_SNAKE_CASE/);
  });
});
