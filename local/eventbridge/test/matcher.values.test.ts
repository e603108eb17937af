import { describe, expect, it } from 'vitest';
import { compilePattern } from '../compilePattern';
import { awsEvent, withDetail } from './awsEvent';

// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern.html
// ("Event pattern syntax": fields AND-ed, values in a list OR-ed, only listed fields compared)
describe('exact matching of event values', () => {
  const pattern = {
    source: ['aws.ec2'],
    'detail-type': ['EC2 Instance State-change Notification'],
    detail: { state: ['terminated'] },
  };

  it('matches an event whose every listed field has a listed value, ignoring the other fields', () => {
    // Arrange
    const matcher = compilePattern(pattern);
    const event = withDetail({ 'instance-id': 'i-1', state: 'terminated', extra: 42 });

    // Act
    const result = matcher.matches(event);

    // Assert
    expect(result).toBe(true);
  });

  it('does not match when one listed field has another value', () => {
    const matcher = compilePattern(pattern);

    const result = matcher.matches(withDetail({ state: 'running' }));

    expect(result).toBe(false);
  });

  it('matches either value of a list, as in the aws.ec2 or aws.fargate example', () => {
    const matcher = compilePattern({ source: ['aws.ec2', 'aws.fargate'] });

    const results = [
      matcher.matches(awsEvent({ source: 'aws.fargate' })),
      matcher.matches(awsEvent({ source: 'aws.s3' })),
    ];

    expect(results).toEqual([true, false]);
  });

  it('compares strings exactly, case included', () => {
    const matcher = compilePattern({ source: ['AWS.EC2'] });

    const result = matcher.matches(awsEvent());

    expect(result).toBe(false);
  });

  it('compares field names exactly, case included', () => {
    const matcher = compilePattern({ SOURCE: ['aws.ec2'] });

    const result = matcher.matches(awsEvent());

    expect(result).toBe(false);
  });

  it('compares numbers by value, so 300 matches 300.0 and 3.0e2', () => {
    const matcher = compilePattern({ detail: { count: [300] } });

    const results = [
      matcher.matches(JSON.parse('{"detail": {"count": 300.0}}')),
      matcher.matches(JSON.parse('{"detail": {"count": 3.0e2}}')),
      matcher.matches(withDetail({ count: '300' })),
    ];

    expect(results).toEqual([true, true, false]);
  });

  it('matches booleans only against the same JSON literal', () => {
    const matcher = compilePattern({ detail: { enabled: [false] } });

    const results = [
      matcher.matches(withDetail({ enabled: false })),
      matcher.matches(withDetail({ enabled: true })),
      matcher.matches(withDetail({ enabled: 'false' })),
    ];

    expect(results).toEqual([true, false, false]);
  });

  it('accepts the pattern as JSON text, as PutRule receives it', () => {
    const matcher = compilePattern('{"detail": {"state": ["pending"]}}');

    const result = matcher.matches(awsEvent());

    expect(result).toBe(true);
  });

  it('uses the last occurrence of a key repeated in the JSON text, as AWS documents', () => {
    // "if you include a key more than once the last reference will be the one used"
    const matcher = compilePattern(
      '{"detail": {"location": [{"prefix": "us-"}], "location": [{"anything-but": "us-east"}]}}',
    );

    const result = matcher.matches(withDetail({ location: 'eu-central-1' }));

    expect(result).toBe(true);
  });

  it('never matches something that is not a JSON object', () => {
    const matcher = compilePattern({ source: ['aws.ec2'] });

    const results = [
      matcher.matches('{"source": "aws.ec2"}'),
      matcher.matches([awsEvent()]),
      matcher.matches(null),
    ];

    expect(results).toEqual([false, false, false]);
  });
});

// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html
describe('null values and empty strings', () => {
  const event = awsEvent({
    id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
    'detail-type': 'EC2 Instance Launch Successful',
    source: 'aws.autoscaling',
    time: '2015-11-11T21:31:47Z',
    resources: [],
    detail: { eventVersion: '', responseElements: null },
  });

  it('matches an empty string with [""]', () => {
    const matcher = compilePattern({ detail: { eventVersion: [''] } });

    expect(matcher.matches(event)).toBe(true);
  });

  it('matches a JSON null with [null]', () => {
    const matcher = compilePattern({ detail: { responseElements: [null] } });

    expect(matcher.matches(event)).toBe(true);
  });

  it('does not treat null and the empty string as interchangeable', () => {
    const emptyString = compilePattern({ detail: { responseElements: [''] } });
    const nullValue = compilePattern({ detail: { eventVersion: [null] } });

    const results = [emptyString.matches(event), nullValue.matches(event)];

    expect(results).toEqual([false, false]);
  });

  it('does not match [null] against a missing field', () => {
    const matcher = compilePattern({ detail: { missing: [null] } });

    expect(matcher.matches(event)).toBe(false);
  });

  it('does not match [null] against the string "null"', () => {
    const matcher = compilePattern({ detail: { responseElements: [null] } });

    expect(matcher.matches(withDetail({ responseElements: 'null' }))).toBe(false);
  });

  it('does not match [null] against an empty array', () => {
    const matcher = compilePattern({ resources: [null] });

    expect(matcher.matches(event)).toBe(false);
  });
});

// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern.html (nested fields)
describe('nested fields', () => {
  it('matches a field at the same nesting depth in the event', () => {
    const matcher = compilePattern({ detail: { responseElements: { instance: { state: ['running'] } } } });

    const results = [
      matcher.matches(withDetail({ responseElements: { instance: { state: 'running' } } })),
      matcher.matches(withDetail({ instance: { state: 'running' } })),
    ];

    expect(results).toEqual([true, false]);
  });

  it('does not match a pattern leaf against an object in the event', () => {
    const matcher = compilePattern({ detail: { state: ['running'] } });

    const result = matcher.matches(withDetail({ state: { name: 'running' } }));

    expect(result).toBe(false);
  });

  it('does not parse a string that holds JSON', () => {
    const matcher = compilePattern({ detail: { 'my-key': ['my-value'] } });

    const result = matcher.matches(awsEvent({ detail: '{"my-key": "my-value"}' }));

    expect(result).toBe(false);
  });

  it('treats a dot in a key like nesting, in the event and in the pattern, as AWS does', () => {
    const nested = compilePattern({ detail: { state: { status: ['running'] } } });
    const dotted = compilePattern({ detail: { 'state.status': ['running'] } });

    const results = [
      nested.matches(withDetail({ 'state.status': 'running' })),
      dotted.matches(withDetail({ state: { status: 'running' } })),
    ];

    expect(results).toEqual([true, true]);
  });
});
