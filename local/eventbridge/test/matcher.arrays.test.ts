import { describe, expect, it } from 'vitest';
import { compilePattern } from '../compilePattern';
import { awsEvent, withDetail } from './awsEvent';

// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
describe('arrays in events', () => {
  const pattern = {
    resources: [
      'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
    ],
  };

  it('matches when the pattern array and the event array intersect, as in the AWS example', () => {
    const matcher = compilePattern(pattern);
    const event = awsEvent({
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    });

    expect(matcher.matches(event)).toBe(true);
  });

  it('does not match when they do not intersect', () => {
    const matcher = compilePattern(pattern);
    const event = awsEvent({
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
      ],
    });

    expect(matcher.matches(event)).toBe(false);
  });

  it('looks into objects inside arrays and arrays inside arrays', () => {
    const matcher = compilePattern({ detail: { employees: { firstName: ['Anna'] } } });

    const results = [
      matcher.matches(withDetail({ employees: [{ firstName: 'John' }, { firstName: 'Anna' }] })),
      matcher.matches(withDetail({ employees: [[{ firstName: 'John' }], [{ firstName: 'Anna' }]] })),
      matcher.matches(withDetail({ employees: [{ firstName: 'John' }] })),
    ];

    expect(results).toEqual([true, true, false]);
  });

  it('never combines fields taken from different elements of the same array', () => {
    const matcher = compilePattern({ detail: { employees: { firstName: ['Anna'], lastName: ['Jones'] } } });
    const employees = [
      { firstName: 'John', lastName: 'Doe' },
      { firstName: 'Anna', lastName: 'Smith' },
      { firstName: 'Peter', lastName: 'Jones' },
    ];

    const results = [
      matcher.matches(withDetail({ employees })),
      matcher.matches(withDetail({ employees: [...employees, { firstName: 'Anna', lastName: 'Jones' }] })),
    ];

    expect(results).toEqual([false, true]);
  });

  it('applies exists: false only to the array element the other fields came from', () => {
    // Fields are walked in path order, as AWS does; here `id` comes before `removed`.
    const matcher = compilePattern({ detail: { items: { id: ['a'], removed: [{ exists: false }] } } });

    const results = [
      matcher.matches(withDetail({ items: [{ id: 'a', removed: true }, { id: 'b' }] })),
      matcher.matches(withDetail({ items: [{ id: 'b', removed: true }, { id: 'a' }] })),
    ];

    expect(results).toEqual([false, true]);
  });
});
