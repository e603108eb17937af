import { describe, expect, it } from 'vitest';
import { compilePattern } from '../compilePattern';
import { awsEvent } from './awsEvent';

// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
// section "Matching using wildcards"
describe('wildcard matching', () => {
  it('matches any .png file in the "dir" folder, as in the FileName example', () => {
    const matcher = compilePattern({ FileName: [{ wildcard: 'dir/*.png' }] });

    const results = ['dir/image.png', 'dir/a/b.png', 'dir/.png', 'other/image.png', 'dir/image.jpg'].map(
      (FileName) => matcher.matches(awsEvent({ FileName })),
    );

    expect(results).toEqual([true, true, true, false, false]);
  });

  it('matches any account in an event bus ARN, as in the EventBusArn example', () => {
    const matcher = compilePattern({ EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] });

    const results = [
      matcher.matches(
        awsEvent({ EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/myEventBus' }),
      ),
      matcher.matches(
        awsEvent({ EventBusArn: 'arn:aws:events:eu-west-1:123456789012:event-bus/myEventBus' }),
      ),
    ];

    expect(results).toEqual([true, false]);
  });

  it('lets * stand for any run of characters, the empty one included', () => {
    const matcher = compilePattern({ FileName: [{ wildcard: '/Users/*/dir/dir/dir/dir/dir/doc.txt' }] });

    const results = [
      matcher.matches(awsEvent({ FileName: '/Users/ls_user/dir/dir/dir/dir/dir/doc.txt' })),
      matcher.matches(awsEvent({ FileName: '/Users/ls_user/dir/dir/dir/dir/otherdir/doc.txt' })),
      matcher.matches(awsEvent({ FileName: '/Users//dir/dir/dir/dir/dir/doc.txt' })),
    ];

    expect(results).toEqual([true, false, true]);
  });

  it('reads \\* as a literal star and \\\\ as a literal backslash', () => {
    const star = compilePattern({ detail: { value: [{ wildcard: 'a\\*b' }] } });
    const backslash = compilePattern({ detail: { value: [{ wildcard: 'a\\\\*' }] } });

    const results = [
      star.matches(awsEvent({ detail: { value: 'a*b' } })),
      star.matches(awsEvent({ detail: { value: 'axb' } })),
      backslash.matches(awsEvent({ detail: { value: 'a\\anything' } })),
    ];

    expect(results).toEqual([true, false, true]);
  });

  it('with an empty operand matches only the empty string', () => {
    const matcher = compilePattern({ EventBusArn: [{ wildcard: '' }] });

    const results = [
      matcher.matches(awsEvent({ EventBusArn: 'arn' })),
      matcher.matches(awsEvent({ EventBusArn: '' })),
    ];

    expect(results).toEqual([false, true]);
  });

  it('only applies to strings', () => {
    const matcher = compilePattern({ detail: { value: [{ wildcard: '1*' }] } });

    expect(matcher.matches(awsEvent({ detail: { value: 12 } }))).toBe(false);
  });
});
