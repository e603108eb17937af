import { describe, expect, it } from 'vitest';
import { compilePattern } from '../compilePattern';
import { awsEvent, withDetail } from './awsEvent';

// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
// section "Exists matching" ("Exists matching only works on leaf nodes")
describe('exists matching', () => {
  it('with true matches an event that has detail.state, as in the AWS example', () => {
    const matcher = compilePattern({ detail: { state: [{ exists: true }] } });

    expect(matcher.matches(withDetail({ 'instance-id': 'i-abcd1111', state: 'pending' }))).toBe(true);
  });

  it('with true does not match an event without detail.state, as in the AWS counter-example', () => {
    const matcher = compilePattern({ detail: { state: [{ exists: true }] } });

    expect(matcher.matches(withDetail({ 'c-count': { c1: 100 } }))).toBe(false);
  });

  it('with false matches an event without detail.c-count', () => {
    const matcher = compilePattern({ detail: { 'c-count': [{ exists: false }] } });

    const results = [
      matcher.matches(withDetail({ state: 'pending' })),
      matcher.matches(withDetail({ 'c-count': 5 })),
    ];

    expect(results).toEqual([true, false]);
  });

  it('with false also matches when c-count is an object, because c-count is then not a leaf', () => {
    const matcher = compilePattern({ detail: { 'c-count': [{ exists: false }] } });

    expect(matcher.matches(withDetail({ 'c-count': { c1: 100 } }))).toBe(true);
  });

  it('with true does not match an intermediate object', () => {
    const matcher = compilePattern({ dynamodb: { presentKey: [{ exists: true }] } });
    const nested = compilePattern({ dynamodb: { presentKey: { S: [{ exists: true }] } } });
    const event = awsEvent({ dynamodb: { presentKey: { S: 'test123' } } });

    const results = [matcher.matches(event), nested.matches(event)];

    expect(results).toEqual([false, true]);
  });

  it('with true matches a null leaf, which exists', () => {
    const matcher = compilePattern({ detail: { state: [{ exists: true }] } });

    expect(matcher.matches(withDetail({ state: null }))).toBe(true);
  });

  it('with true does not match an empty array, which has no leaf', () => {
    const matcher = compilePattern({ resources: [{ exists: true }] });

    const results = [matcher.matches(awsEvent({ resources: [] })), matcher.matches(awsEvent())];

    expect(results).toEqual([false, true]);
  });

  it('with false matches when the parent object itself is missing', () => {
    const matcher = compilePattern({ detail: { level1: { level2: { level3: [{ exists: false }] } } } });

    const results = [
      matcher.matches(withDetail({ level1: { other: 'x' } })),
      matcher.matches(withDetail({ level1: { level2: { level3: 'l3' } } })),
    ];

    expect(results).toEqual([true, false]);
  });

  it('with true matches a field inside any object of an array', () => {
    const matcher = compilePattern({ detail: { automations: { id: [{ exists: true }] } } });

    const event = withDetail({
      automations: [{ key1: 'value1' }, { id: 'match-does-exist' }, { key2: 'value2' }],
    });

    expect(matcher.matches(event)).toBe(true);
  });

  it('combined with other values in a list, any of them suffices', () => {
    const matcher = compilePattern({
      dynamodb: { NewImage: { homemade: { S: [{ 'anything-but': ['roses'] }, { exists: false }] } } },
    });

    const results = [
      matcher.matches(awsEvent({ dynamodb: { NewImage: { homemade: { N: '789' } } } })),
      matcher.matches(awsEvent({ dynamodb: { NewImage: { homemade: { S: 'tulips' } } } })),
      matcher.matches(awsEvent({ dynamodb: { NewImage: { homemade: { S: 'roses' } } } })),
    ];

    expect(results).toEqual([true, true, false]);
  });
});
