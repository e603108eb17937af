import { describe, expect, it } from 'vitest';
import { batchItemFailuresOf } from '../batchItemFailuresOf';

const ids = ['m1', 'm2', 'm3'];

describe('batchItemFailuresOf', () => {
  it.each([
    ['a null response', null],
    ['an undefined response', undefined],
    ['an empty object', {}],
    ['a null list', { batchItemFailures: null }],
    ['an empty list', { batchItemFailures: [] }],
    ['an object with unrelated fields', { statusCode: 200 }],
  ])('treats %s as a complete success', (_, payload) => {
    expect(batchItemFailuresOf(payload, ids)).toEqual({ kind: 'success' });
  });

  it('returns the listed identifiers as a partial failure', () => {
    const verdict = batchItemFailuresOf(
      { batchItemFailures: [{ itemIdentifier: 'm3' }, { itemIdentifier: 'm1' }] },
      ids,
    );

    expect(verdict).toEqual({ kind: 'partial', failed: new Set(['m3', 'm1']) });
  });

  it.each([
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }, /is empty/],
    ['a null itemIdentifier', { batchItemFailures: [{ itemIdentifier: null }] }, /is null/],
    ['a bad key name', { batchItemFailures: [{ itemId: 'm1' }] }, /no itemIdentifier key/],
    [
      'an identifier not in the batch',
      { batchItemFailures: [{ itemIdentifier: 'm9' }] },
      /'m9' is not in the batch/,
    ],
    ['a numeric identifier', { batchItemFailures: [{ itemIdentifier: 1 }] }, /not a string/],
    ['a string response', 'ok', /not an EventResponse/],
    ['an array response', [{ itemIdentifier: 'm1' }], /not an EventResponse/],
    ['a list that is not a list', { batchItemFailures: { itemIdentifier: 'm1' } }, /not a list/],
    ['a list entry that is not an object', { batchItemFailures: ['m1'] }, /not an object/],
  ])('treats %s as a complete failure', (_, payload, reason) => {
    const verdict = batchItemFailuresOf(payload, ids);

    expect(verdict.kind).toBe('failure');
    expect(verdict.kind === 'failure' && verdict.reason).toMatch(reason);
  });

  it('fails the whole batch when one of several identifiers is invalid', () => {
    const verdict = batchItemFailuresOf(
      { batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: '' }] },
      ids,
    );

    expect(verdict.kind).toBe('failure');
  });
});
