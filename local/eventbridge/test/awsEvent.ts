/**
 * An EventBridge event in the shape AWS documents (the EC2 state-change sample of the user guide),
 * with the given fields merged over it, for matcher tests.
 */
export function awsEvent(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '0',
    id: '7bf73129-1428-4cd3-a780-95db273d1602',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: '123456789012',
    time: '2017-10-02T18:43:48Z',
    region: 'us-east-1',
    resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
    detail: { 'instance-id': 'i-abcd1111', state: 'pending' },
    ...fields,
  };
}

/** `awsEvent` with `detail` replaced. */
export function withDetail(detail: Record<string, unknown>): Record<string, unknown> {
  return awsEvent({ detail });
}
