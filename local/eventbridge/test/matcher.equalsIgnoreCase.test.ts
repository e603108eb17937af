import { describe, expect, it } from 'vitest';
import { compilePattern } from '../compilePattern';
import { awsEvent, withDetail } from './awsEvent';

// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
// section "Equals-ignore-case matching"
describe('equals-ignore-case matching', () => {
  it('matches the detail-type in any casing, as in the AWS example', () => {
    const matcher = compilePattern({
      'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }],
    });

    const results = [
      matcher.matches(awsEvent({ 'detail-type': 'EC2 Instance State-change Notification' })),
      matcher.matches(awsEvent({ 'detail-type': 'EC2 Instance Launch Successful' })),
    ];

    expect(results).toEqual([true, false]);
  });

  it('matches Alice, ALICE and alice for "alice", as in the Name example', () => {
    const matcher = compilePattern({ detail: { Name: [{ 'equals-ignore-case': 'alice' }] } });

    const results = ['Alice', 'ALICE', 'alice', 'Alicia'].map((Name) =>
      matcher.matches(withDetail({ Name })),
    );

    expect(results).toEqual([true, true, true, false]);
  });

  it('requires the whole value, so an empty operand matches only the empty string', () => {
    const matcher = compilePattern({ detail: { value: [{ 'equals-ignore-case': '' }] } });

    const results = [matcher.matches(withDetail({ value: '' })), matcher.matches(withDetail({ value: 'x' }))];

    expect(results).toEqual([true, false]);
  });

  it('matches within an array of values', () => {
    const matcher = compilePattern({
      'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }],
    });

    expect(matcher.matches(awsEvent({ 'detail-type': ['EC2 Instance State-change Notification'] }))).toBe(
      true,
    );
  });
});
