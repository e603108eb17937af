import { describe, expect, it } from 'vitest';
import { compilePattern } from '../compilePattern';
import { withDetail } from './awsEvent';

// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
// section "IP address matching"
describe('IP address matching', () => {
  it('matches addresses 10.0.0.0 to 10.0.0.255 with 10.0.0.0/24, as in the AWS example', () => {
    const matcher = compilePattern({ detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } });

    const results = ['10.0.0.0', '10.0.0.255', '10.0.1.0', '10.0.0.256', 'not an ip'].map((sourceIPAddress) =>
      matcher.matches(withDetail({ sourceIPAddress })),
    );

    expect(results).toEqual([true, true, false, false, false]);
  });

  it('matches IPv6 addresses in any spelling inside the block', () => {
    const matcher = compilePattern({ detail: { sourceIPAddress: [{ cidr: '2001:db8:1234:1a00::/64' }] } });

    const results = [
      '2001:0db8:1234:1a00:0000:0000:0000:0000',
      '2001:db8:1234:1a00::1',
      '2001:0db8:123f:1a01:0000:0000:0000:0000',
      '10.0.0.1',
    ].map((sourceIPAddress) => matcher.matches(withDetail({ sourceIPAddress })));

    expect(results).toEqual([true, true, false, false]);
  });

  it('does not match a number', () => {
    const matcher = compilePattern({ detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } });

    expect(matcher.matches(withDetail({ sourceIPAddress: 123 }))).toBe(false);
  });

  it('honours masks that do not fall on a byte boundary', () => {
    const matcher = compilePattern({ detail: { ip: [{ cidr: '192.168.0.0/20' }] } });

    const results = ['192.168.15.255', '192.168.16.0'].map((ip) => matcher.matches(withDetail({ ip })));

    expect(results).toEqual([true, false]);
  });

  it('matches a plain IP value against other spellings of the same address', () => {
    const matcher = compilePattern({ detail: { ip: ['2001:db8::1'] } });

    const results = ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::2'].map((ip) =>
      matcher.matches(withDetail({ ip })),
    );

    expect(results).toEqual([true, false]);
  });
});
