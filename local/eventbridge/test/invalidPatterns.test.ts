import { describe, expect, it } from 'vitest';
import { compilePattern } from '../compilePattern';
import { InvalidEventPatternError } from '../errors';

const reasonOf = (pattern: unknown): string => {
  try {
    compilePattern(pattern);
  } catch (error) {
    if (error instanceof InvalidEventPatternError) return error.reason;
    throw error;
  }
  throw new Error('the pattern was accepted');
};

// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html (InvalidEventPatternException)
// Reasons are AWS's own texts, as EventBridge returns them for these patterns.
describe('invalid event patterns', () => {
  it('are rejected with an InvalidEventPatternError worded like AWS, naming the bad value', () => {
    // Arrange
    const pattern = { detail: { equal: [{ NUMERIC: ['=', 5] }] } };

    // Act
    const act = () => compilePattern(pattern);

    // Assert
    expect(act).toThrow(InvalidEventPatternError);
    expect(act).toThrow('Event pattern is not valid. Reason: Unrecognized match type NUMERIC');
  });

  it.each<[string, unknown, string]>([
    ['a JSON array', ['not', 'a', 'dict'], 'Filter is not an object'],
    ['a string value that is JSON but not an object', '"text"', 'Filter is not an object'],
    ['a number', 42, 'Filter is not an object'],
    ['a leaf that is not an array', { int: 42 }, '"int" must be an object or an array'],
    ['a string leaf', { string: 'my-value' }, '"string" must be an object or an array'],
    ['a null leaf', { detail: { state: null } }, '"state" must be an object or an array'],
    ['an empty array', { resources: [] }, 'Empty arrays are not allowed'],
    ['an empty object', { detail: {} }, 'Empty objects are not allowed'],
    ['an empty pattern', {}, 'Empty objects are not allowed'],
    [
      'a nested array in a value list',
      { source: [['aws.ec2']] },
      'Match value must be String, number, true, false, or null',
    ],
    ['an empty match expression', { source: [{}] }, 'Match expression name not found'],
    ['an unknown operator', { my_key: [{ EXISTS: true }] }, 'Unrecognized match type EXISTS'],
    [
      'two operators in one expression',
      { source: [{ prefix: 'a', suffix: 'b' }] },
      'Only one key allowed in match expression',
    ],
  ])('rejects %s', (_label, pattern, reason) => {
    expect(reasonOf(pattern)).toBe(reason);
  });

  it.each<[string, unknown, string]>([
    ['prefix with a number', { time: [{ prefix: 123 }] }, 'prefix match pattern must be a string'],
    ['prefix with a list', { time: [{ prefix: ['2022-07-13'] }] }, 'prefix match pattern must be a string'],
    ['suffix with a number', { FileName: [{ suffix: 123 }] }, 'suffix match pattern must be a string'],
    ['suffix with a list', { FileName: [{ suffix: ['.png'] }] }, 'suffix match pattern must be a string'],
    [
      'prefix with an operator other than equals-ignore-case',
      { a: [{ prefix: { suffix: 'x' } }] },
      'Unsupported prefix pattern: suffix',
    ],
    [
      'suffix ignoring case of a number',
      { a: [{ suffix: { 'equals-ignore-case': 1 } }] },
      'equals-ignore-case match pattern must be a string',
    ],
    [
      'equals-ignore-case with a list',
      { a: [{ 'equals-ignore-case': ['x'] }] },
      'equals-ignore-case match pattern must be a string',
    ],
    [
      'equals-ignore-case with an object',
      { a: [{ 'equals-ignore-case': { prefix: 'ec2' } }] },
      'equals-ignore-case match pattern must be a string',
    ],
  ])('rejects %s', (_label, pattern, reason) => {
    expect(reasonOf(pattern)).toBe(reason);
  });

  it.each<[string, unknown, string]>([
    [
      'anything-but null',
      { state: [{ 'anything-but': null }] },
      'Value of anything-but must be an array or single string/number value.',
    ],
    [
      'anything-but true',
      { state: [{ 'anything-but': true }] },
      'Value of anything-but must be an array or single string/number value.',
    ],
    [
      'anything-but with null in its list',
      { state: [{ 'anything-but': ['stopped', null] }] },
      'Inside anything but list, start|null|boolean is not supported.',
    ],
    [
      'anything-but mixing strings and numbers',
      { state: [{ 'anything-but': ['stopped', 1] }] },
      'Inside anything but list, either all values are number or string, mixed type is not supported',
    ],
    [
      'anything-but with an empty list',
      { state: [{ 'anything-but': [] }] },
      'Inside anything but list, either all values are number or string, mixed type is not supported',
    ],
    [
      'anything-but with an unknown nested operator',
      { state: [{ 'anything-but': { numeric: ['>', 1] } }] },
      'Unsupported anything-but pattern: numeric',
    ],
    [
      'anything-but with an empty object',
      { state: [{ 'anything-but': {} }] },
      'Anything-But expression name not found',
    ],
    [
      'anything-but prefix of a number',
      { state: [{ 'anything-but': { prefix: 123 } }] },
      'prefix/suffix match pattern must be a string',
    ],
    [
      'anything-but prefix with a number in its list',
      { state: [{ 'anything-but': { prefix: [123, 'test'] } }] },
      'prefix/suffix match pattern must be a string',
    ],
    [
      'anything-but suffix with null in its list',
      { f: [{ 'anything-but': { suffix: [null, '.txt'] } }] },
      'prefix/suffix match pattern must be a string',
    ],
    [
      'anything-but with an empty prefix',
      { f: [{ 'anything-but': { prefix: '' } }] },
      'Null prefix/suffix not allowed',
    ],
    [
      'anything-but with an empty suffix',
      { f: [{ 'anything-but': { suffix: '' } }] },
      'Null prefix/suffix not allowed',
    ],
    [
      'anything-but prefix ignoring case',
      { f: [{ 'anything-but': { prefix: { 'equals-ignore-case': 'file' } } }] },
      'Value of anything-but must be an array or single string/number value.',
    ],
    [
      'anything-but ignoring case of a number',
      { state: [{ 'anything-but': { 'equals-ignore-case': 123 } }] },
      'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
    ],
    [
      'anything-but ignoring case of a list of numbers',
      { state: [{ 'anything-but': { 'equals-ignore-case': [123, 456] } }] },
      'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
    ],
    [
      'anything-but wildcard of a number',
      { f: [{ 'anything-but': { wildcard: 123 } }] },
      'wildcard match pattern must be a string',
    ],
    [
      'anything-but wildcard with a number in its list',
      { f: [{ 'anything-but': { wildcard: [123, '*/dir/*'] } }] },
      'wildcard match pattern must be a string',
    ],
  ])('rejects %s', (_label, pattern, reason) => {
    expect(reasonOf(pattern)).toBe(reason);
  });

  it.each<[string, unknown, string]>([
    [
      'numeric with a number instead of a list',
      { c: [{ numeric: 10 }] },
      'Value of numeric must be an array.',
    ],
    ['numeric with an empty list', { c: [{ numeric: [] }] }, 'Invalid member in numeric match: ]'],
    ['numeric starting with a number', { c: [{ numeric: [5] }] }, 'Invalid member in numeric match: 5'],
    [
      'numeric with an unknown operator',
      { c: [{ numeric: ['!=', 5] }] },
      'Unrecognized numeric range operator: !=',
    ],
    ['numeric with a string operand', { c: [{ numeric: ['=', '5'] }] }, 'Value of equals must be numeric'],
    [
      'numeric = with two operands',
      { c: [{ numeric: ['=', 5, 6] }] },
      'Too many elements in numeric expression',
    ],
    [
      'numeric < followed by another bound',
      { c: [{ numeric: ['<', 5, '>', 1] }] },
      'Too many elements in numeric expression',
    ],
    [
      'numeric with two lower bounds',
      { c: [{ numeric: ['>', 0, '>', 0] }] },
      'Bad numeric range operator: >',
    ],
    [
      'numeric with a number where the second operator goes',
      { c: [{ numeric: ['>', 0, 5] }] },
      'Bad value in numeric range: 5',
    ],
    [
      'numeric with a missing upper operand',
      { c: [{ numeric: ['>', 0, '<'] }] },
      'Value of < must be numeric',
    ],
    [
      'numeric with more than two bounds',
      { c: [{ numeric: ['>', 0, '<', 5, '<', 6] }] },
      'Too many terms in numeric range expression',
    ],
    [
      'numeric with the bottom above the top',
      { c: [{ numeric: ['>', 5, '<', 1] }] },
      'Bottom must be less than top',
    ],
    ['numeric with equal bounds', { c: [{ numeric: ['>=', 5, '<=', 5] }] }, 'Bottom must be less than top'],
    [
      'numeric with an extra key',
      { c: [{ numeric: ['>', 5], x: 1 }] },
      'Too many elements in numeric expression',
    ],
  ])('rejects %s', (_label, pattern, reason) => {
    expect(reasonOf(pattern)).toBe(reason);
  });

  it.each<[string, unknown, string]>([
    [
      'exists with a string',
      { a: [{ exists: 'true' }] },
      'exists match pattern must be either true or false.',
    ],
    ['exists with null', { a: [{ exists: null }] }, 'exists match pattern must be either true or false.'],
    ['cidr without a slash', { ip: [{ cidr: 'bad-filter' }] }, "Malformed CIDR, one '/' required"],
    ['cidr with a trailing slash', { ip: [{ cidr: '10.0.0.0/' }] }, "Malformed CIDR, one '/' required"],
    [
      'cidr with a bad mask',
      { ip: [{ cidr: 'bad-/64filter' }] },
      'Malformed CIDR, mask bits must be an integer',
    ],
    [
      'cidr with a negative mask',
      { ip: [{ cidr: '10.0.0.0/-1' }] },
      'Malformed CIDR, mask bits must not be negative',
    ],
    ['cidr with a host name', { ip: [{ cidr: 'xx.11.xx/8' }] }, 'Nonstandard IP address: xx.11.xx'],
    [
      'cidr with a bad IPv6 address',
      { ip: [{ cidr: 'xxxx:db8:1234:1a00::/64' }] },
      'Nonstandard IP address: xxxx:db8:1234:1a00::',
    ],
    [
      'cidr with an out-of-range IPv4 address',
      { ip: [{ cidr: '999.0.0.0/8' }] },
      'Invalid IP address: 999.0.0.0',
    ],
    ['cidr with a 32-bit IPv4 mask', { ip: [{ cidr: '10.0.0.1/32' }] }, 'IPv4 mask bits must be < 32'],
    ['cidr with a 128-bit IPv6 mask', { ip: [{ cidr: '2001:db8::/128' }] }, 'IPv6 mask bits must be < 128'],
    ['cidr with a list', { ip: [{ cidr: ['bad-type'] }] }, 'prefix match pattern must be a string'],
  ])('rejects %s', (_label, pattern, reason) => {
    expect(reasonOf(pattern)).toBe(reason);
  });

  it.each<[string, unknown, string]>([
    ['wildcard with a number', { a: [{ wildcard: 123 }] }, 'wildcard match pattern must be a string'],
    ['wildcard with a list', { a: [{ wildcard: ['a*'] }] }, 'wildcard match pattern must be a string'],
    [
      'consecutive wildcards, at the AWS position',
      { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:**:event-bus/*' }] },
      'Consecutive wildcard characters at pos 26',
    ],
    [
      'consecutive wildcards inside anything-but',
      { a: [{ 'anything-but': { wildcard: 'a**' } }] },
      'Consecutive wildcard characters at pos 2',
    ],
    [
      'an escape of an ordinary character',
      { a: [{ wildcard: 'a\\b' }] },
      'Invalid escape character at pos 2',
    ],
    [
      'too many wildcards in one value',
      { EventBusArn: [{ wildcard: '*:*:*:*:*:event-bus/*' }] },
      'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character',
    ],
  ])('rejects %s', (_label, pattern, reason) => {
    expect(reasonOf(pattern)).toBe(reason);
  });

  it.each<[string, unknown, string]>([
    ['$or that is not an array', { $or: { a: ['1'] } }, 'It must be an Array followed with $or.'],
    [
      '$or with a single branch',
      { $or: [{ a: ['1'] }] },
      'There must have at least 2 Objects in $or relationship.',
    ],
    ['$or with no branch', { $or: [] }, 'There must have at least 2 Objects in $or relationship.'],
    [
      '$or with a branch that is not an object',
      { $or: [{ a: ['1'] }, ['b']] },
      'Only JSON object is allowed in array of $or relationship.',
    ],
    ['$or with an empty branch', { $or: [{ a: ['1'] }, {}] }, 'Empty objects are not allowed'],
    [
      'an operator name used as a field inside $or',
      { $or: [{ numeric: [123] }, { prefix: ['abc'] }] },
      'numeric is Ruler reserved fieldName which cannot be used inside $or.',
    ],
    [
      'a reserved name nested inside a $or branch',
      { $or: [{ a: { cidr: ['x'] } }, { b: ['1'] }] },
      'cidr is Ruler reserved fieldName which cannot be used inside $or.',
    ],
  ])('rejects %s', (_label, pattern, reason) => {
    expect(reasonOf(pattern)).toBe(reason);
  });

  it('rejects JSON text that does not parse, chaining the parser error as the cause', () => {
    const act = () => compilePattern('{"not": closed mark"');

    expect(act).toThrow(/^Event pattern is not valid\. Reason: /);
    try {
      act();
    } catch (error) {
      expect((error as InvalidEventPatternError).cause).toBeInstanceOf(SyntaxError);
    }
  });

  it('accepts the operator names as ordinary field names outside $or', () => {
    const act = () => compilePattern({ detail: { prefix: ['x'], numeric: [1] } });

    expect(act).not.toThrow();
  });

  it('accepts five wildcards in one value and a repeated sequence after one wildcard', () => {
    const act = () =>
      compilePattern({
        a: [{ wildcard: '*:*:*:*:*' }],
        b: [{ wildcard: '/Users/*/dir/dir/dir/dir/dir/doc.txt' }],
      });

    expect(act).not.toThrow();
  });
});
