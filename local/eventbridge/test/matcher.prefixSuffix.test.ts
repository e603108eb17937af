import { describe, expect, it } from 'vitest';
import { compilePattern } from '../compilePattern';
import { awsEvent, withDetail } from './awsEvent';

// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
// section "Prefix matching"
describe('prefix matching', () => {
  it('matches a time field starting with "2017-10-02", as in the AWS example', () => {
    const matcher = compilePattern({ time: [{ prefix: '2017-10-02' }] });

    const results = [
      matcher.matches(awsEvent({ time: '2017-10-02T18:43:48Z' })),
      matcher.matches(awsEvent({ time: '2017-10-03T18:43:48Z' })),
    ];

    expect(results).toEqual([true, false]);
  });

  it('matches "us-" regions and not others, as in the Region example', () => {
    const matcher = compilePattern({ detail: { Region: [{ prefix: 'us-' }] } });

    const results = [
      matcher.matches(withDetail({ Region: 'us-east-1' })),
      matcher.matches(withDetail({ Region: 'eu-west-1' })),
    ];

    expect(results).toEqual([true, false]);
  });

  it('is case-sensitive', () => {
    const matcher = compilePattern({ detail: { Region: [{ prefix: 'US-' }] } });

    expect(matcher.matches(withDetail({ Region: 'us-east-1' }))).toBe(false);
  });

  it('only applies to strings', () => {
    const matcher = compilePattern({ detail: { code: [{ prefix: '1' }] } });

    const results = [matcher.matches(withDetail({ code: 12 })), matcher.matches(withDetail({ code: '12' }))];

    expect(results).toEqual([false, true]);
  });

  it('matches every string with an empty prefix', () => {
    const matcher = compilePattern({ source: [{ prefix: '' }] });

    expect(matcher.matches(awsEvent())).toBe(true);
  });
});

// same page, section "Prefix matching while ignoring case"
describe('prefix matching ignoring case', () => {
  it('matches EventB, EVENTB, eventb and other casings of the start, as in the service example', () => {
    const matcher = compilePattern({ detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } });

    const results = ['EventBridge', 'EVENTBRIDGE', 'eventbridge', 'EvEnTb', 'Event Bridge'].map((service) =>
      matcher.matches(withDetail({ service })),
    );

    expect(results).toEqual([true, true, true, true, false]);
  });
});

// same page, section "Suffix matching"
describe('suffix matching', () => {
  it('matches a FileName ending with the .png extension, as in the AWS example', () => {
    const matcher = compilePattern({ FileName: [{ suffix: '.png' }] });

    const results = [
      matcher.matches(awsEvent({ FileName: 'image.png' })),
      matcher.matches(awsEvent({ FileName: 'image.jpg' })),
      matcher.matches(awsEvent({ FileName: 'image.PNG' })),
    ];

    expect(results).toEqual([true, false, false]);
  });

  it('matches every string with an empty suffix', () => {
    const matcher = compilePattern({ source: [{ suffix: '' }] });

    expect(matcher.matches(awsEvent())).toBe(true);
  });
});

// same page, section "Suffix matching while ignoring case"
describe('suffix matching ignoring case', () => {
  it('matches .png and .PNG endings, as in the FileName example', () => {
    const matcher = compilePattern({ detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } });

    const results = ['image.png', 'image.PNG', 'image.Png', 'image.jpg'].map((FileName) =>
      matcher.matches(withDetail({ FileName })),
    );

    expect(results).toEqual([true, true, true, false]);
  });
});
