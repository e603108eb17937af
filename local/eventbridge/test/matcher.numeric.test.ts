import { describe, expect, it } from 'vitest';
import { compilePattern } from '../compilePattern';
import { withDetail } from './awsEvent';

// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
// section "Numeric matching"
describe('numeric matching', () => {
  const pattern = {
    detail: {
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ numeric: ['=', 3.018e2] }],
    },
  };

  it('matches when every field is in its range, as in the c-count/d-count/x-limit example', () => {
    const matcher = compilePattern(pattern);

    const result = matcher.matches(withDetail({ 'c-count': 3, 'd-count': 9, 'x-limit': 301.8 }));

    expect(result).toBe(true);
  });

  it('does not match when one field is out of its range', () => {
    const matcher = compilePattern(pattern);

    const results = [
      matcher.matches(withDetail({ 'c-count': 42, 'd-count': 9, 'x-limit': 301.8 })),
      matcher.matches(withDetail({ 'c-count': 0, 'd-count': 9, 'x-limit': 301.8 })),
      matcher.matches(withDetail({ 'c-count': 3, 'd-count': 10, 'x-limit': 301.8 })),
      matcher.matches(withDetail({ 'c-count': 3, 'd-count': 9, 'x-limit': 301.9 })),
    ];

    expect(results).toEqual([false, false, false, false]);
  });

  it('includes or excludes each bound exactly as written', () => {
    const cases: [readonly unknown[], number, boolean][] = [
      [['<', 200], 200, false],
      [['<=', 200], 200, true],
      [['>', 200], 200, false],
      [['>=', 200], 200, true],
      [['>=', 200, '<=', 500], 500, true],
      [['>', 200, '<', 500], 500, false],
      [['>=', 200, '<', 500], 200, true],
    ];

    const results = cases.map(([numeric, value]) =>
      compilePattern({ detail: { n: [{ numeric }] } }).matches(withDetail({ n: value })),
    );

    expect(results).toEqual(cases.map(([, , expected]) => expected));
  });

  it('matches the price examples: = 100 and a (10, 20] range', () => {
    const equals = compilePattern({ detail: { Price: [{ numeric: ['=', 100] }] } });
    const range = compilePattern({ detail: { Price: [{ numeric: ['>', 10, '<=', 20] }] } });

    const results = [
      equals.matches(withDetail({ Price: 100 })),
      range.matches(withDetail({ Price: 20 })),
      range.matches(withDetail({ Price: 10 })),
    ];

    expect(results).toEqual([true, true, false]);
  });

  it('only matches JSON numbers, not numeric strings or null', () => {
    const matcher = compilePattern({ detail: { n: [{ numeric: ['>', 100] }] } });

    const results = [
      matcher.matches(withDetail({ n: 101.0 })),
      matcher.matches(withDetail({ n: '300' })),
      matcher.matches(withDetail({ n: null })),
    ];

    expect(results).toEqual([true, false, false]);
  });
});
