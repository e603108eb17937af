import { describe, expect, it } from 'vitest';
import { toFunctionError } from '../toFunctionError';

describe('toFunctionError', () => {
  it('reports an Error by its name and message, with its stack as the trace', () => {
    const { error, trace } = toFunctionError(new TypeError('bad input'));

    expect(error).toEqual({ errorType: 'TypeError', errorMessage: 'bad input' });
    expect(trace[0]).toBe('TypeError: bad input');
  });

  it('reports a thrown non-error by its typeof and string form', () => {
    expect(toFunctionError('boom').error).toEqual({ errorType: 'string', errorMessage: 'boom' });
    expect(toFunctionError(42).error).toEqual({ errorType: 'number', errorMessage: '42' });
    expect(toFunctionError({ name: 'Custom', message: 'error-like' }).error).toEqual({
      errorType: 'Custom',
      errorMessage: 'error-like',
    });
  });
});
