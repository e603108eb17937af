import { describe, expect, it } from 'vitest';
import { compilePattern } from '../compilePattern';
import { awsEvent, withDetail } from './awsEvent';

// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
// section "$or matching" (and the "Or (multiple fields)" row of the operator table)
describe('$or matching', () => {
  it('matches when any branch matches, as in the c-count/d-count/x-limit example', () => {
    const matcher = compilePattern({
      detail: {
        $or: [
          { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
          { 'd-count': [{ numeric: ['<', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      },
    });

    const results = [
      matcher.matches(withDetail({ 'c-count': 0, 'd-count': 0, 'x-limit': 9.018e2 })),
      matcher.matches(withDetail({ 'c-count': 0, 'd-count': 10, 'x-limit': 9.018e2 })),
      matcher.matches(withDetail({ 'c-count': 0, 'd-count': 10, 'x-limit': 301.8 })),
    ];

    expect(results).toEqual([true, false, true]);
  });

  it('works at the top level across fields, as in the Location/Day example', () => {
    const matcher = compilePattern({ $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] });

    const results = [
      matcher.matches(awsEvent({ Location: 'New York', Day: 'Friday' })),
      matcher.matches(awsEvent({ Location: 'Paris', Day: 'Monday' })),
      matcher.matches(awsEvent({ Location: 'Paris', Day: 'Friday' })),
    ];

    expect(results).toEqual([true, true, false]);
  });

  it('is AND-ed with the fields next to it', () => {
    const matcher = compilePattern({
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    });

    const results = [
      matcher.matches(awsEvent({ source: 'aws.cloudwatch', namespace: 'AWS/EC2' })),
      matcher.matches(awsEvent({ source: 'aws.ec2', namespace: 'AWS/EC2' })),
      matcher.matches(awsEvent({ source: 'aws.cloudwatch', namespace: 'AWS/S3' })),
    ];

    expect(results).toEqual([true, false, false]);
  });

  it('nests, with ANDs inside branches', () => {
    const matcher = compilePattern({
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization'] },
        {
          metricType: ['MetricType'],
          namespace: ['AWS/EC2'],
          $or: [{ metricId: [1234] }, { spaceId: [1000] }],
        },
      ],
    });

    const results = [
      matcher.matches(
        awsEvent({ source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2', spaceId: 1000 }),
      ),
      matcher.matches(
        awsEvent({ source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2', spaceId: 1 }),
      ),
      matcher.matches(awsEvent({ source: 'aws.cloudwatch', metricName: 'CPUUtilization' })),
    ];

    expect(results).toEqual([true, false, true]);
  });

  it('combines parallel $or blocks at different levels', () => {
    const matcher = compilePattern({
      $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
      detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] },
    });

    const results = [
      matcher.matches(awsEvent({ namespace: 'AWS/EC2', detail: { source: 'aws.cloudwatch' } })),
      matcher.matches(awsEvent({ namespace: 'AWS/EC2', detail: { source: 'aws.s3' } })),
    ];

    expect(results).toEqual([true, false]);
  });

  it('matches the EC2 running-or-terminated example', () => {
    const matcher = compilePattern({ detail: { $or: [{ state: ['running'] }, { state: ['terminated'] }] } });

    const results = ['running', 'terminated', 'stopped'].map((state) =>
      matcher.matches(withDetail({ state })),
    );

    expect(results).toEqual([true, true, false]);
  });
});
