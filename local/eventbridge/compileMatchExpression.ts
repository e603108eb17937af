/**
 * The match expressions of an event pattern (the objects in a field's value list) and their
 * operators: prefix, suffix, equals-ignore-case, wildcard, numeric, anything-but, exists and cidr,
 * each checked with AWS's rules and error messages. `compilePattern` handles everything around them.
 */
import { Buffer } from 'node:buffer';
import { isIPv4, isIPv6 } from 'node:net';
import { isJsonObject } from './EventBridgeEvent';
import { InvalidEventPatternError } from './errors';
import type { LeafValue } from './indexEvent';

/** A test of one leaf value, compiled from one entry of a pattern's value list. */
export type LeafPredicate = (value: LeafValue) => boolean;

/** A compiled match expression: a test of leaf values, or an `exists` test of the field itself. */
type CompiledMatchExpression =
  | {
      readonly kind: 'value';
      readonly predicate: LeafPredicate;
      readonly wildcards: readonly WildcardPattern[];
    }
  | { readonly kind: 'exists'; readonly exists: boolean };

const ONLY_ONE_KEY = 'Only one key allowed in match expression';

/**
 * Compiles one match expression — an object in a pattern's value list such as `{ "prefix": "us-" }` —
 * checking it as EventBridge does, in the same order, so the first error reported is AWS's.
 *
 * @throws {InvalidEventPatternError} with AWS's reason, e.g. `Unrecognized match type NUMERIC`.
 */
export function compileMatchExpression(expression: Record<string, unknown>): CompiledMatchExpression {
  const keys = Object.keys(expression);
  const operator = keys[0];
  if (operator === undefined) throw new InvalidEventPatternError('Match expression name not found');
  const operand = expression[operator];
  const extraKeys = keys.length > 1;
  const value = (
    predicate: LeafPredicate,
    wildcards: readonly WildcardPattern[] = [],
  ): CompiledMatchExpression => {
    if (extraKeys) throw new InvalidEventPatternError(ONLY_ONE_KEY);
    return { kind: 'value', predicate, wildcards };
  };

  switch (operator) {
    case 'prefix':
    case 'suffix': {
      if (isJsonObject(operand)) return value(affixIgnoringCase(operator, operand));
      if (typeof operand !== 'string')
        throw new InvalidEventPatternError(`${operator} match pattern must be a string`);
      return value(
        operator === 'prefix'
          ? (v) => typeof v === 'string' && v.startsWith(operand)
          : (v) => typeof v === 'string' && v.endsWith(operand),
      );
    }
    case 'equals-ignore-case': {
      if (typeof operand !== 'string') {
        throw new InvalidEventPatternError('equals-ignore-case match pattern must be a string');
      }
      const lowered = operand.toLowerCase();
      return value((v) => typeof v === 'string' && v.toLowerCase() === lowered);
    }
    case 'wildcard': {
      if (typeof operand !== 'string')
        throw new InvalidEventPatternError('wildcard match pattern must be a string');
      const wildcard = compileWildcard(operand);
      return value((v) => typeof v === 'string' && wildcard.matches(v), [wildcard]);
    }
    case 'numeric': {
      const predicate = compileNumericMatch(operand);
      if (extraKeys) throw new InvalidEventPatternError('Too many elements in numeric expression');
      return { kind: 'value', predicate, wildcards: [] };
    }
    case 'anything-but': {
      const { predicate, wildcards } = compileAnythingBut(operand);
      if (extraKeys) throw new InvalidEventPatternError('Too many elements in numeric expression');
      return { kind: 'value', predicate, wildcards };
    }
    case 'exists': {
      if (typeof operand !== 'boolean') {
        throw new InvalidEventPatternError('exists match pattern must be either true or false.');
      }
      if (extraKeys) throw new InvalidEventPatternError(ONLY_ONE_KEY);
      return { kind: 'exists', exists: operand };
    }
    case 'cidr': {
      // AWS reuses the prefix message here; mirrored so error texts stay identical.
      if (typeof operand !== 'string')
        throw new InvalidEventPatternError('prefix match pattern must be a string');
      return value(compileCidr(operand));
    }
    default:
      throw new InvalidEventPatternError(`Unrecognized match type ${operator}`);
  }
}

function affixIgnoringCase(operator: 'prefix' | 'suffix', operand: Record<string, unknown>): LeafPredicate {
  const keys = Object.keys(operand);
  const inner = keys[0];
  const label = operator === 'prefix' ? 'Prefix' : 'Suffix';
  if (inner === undefined) throw new InvalidEventPatternError(`${label} expression name not found`);
  if (inner !== 'equals-ignore-case')
    throw new InvalidEventPatternError(`Unsupported ${operator} pattern: ${inner}`);
  const text = operand[inner];
  if (typeof text !== 'string')
    throw new InvalidEventPatternError('equals-ignore-case match pattern must be a string');
  if (keys.length > 1) throw new InvalidEventPatternError(ONLY_ONE_KEY);
  const lowered = text.toLowerCase();
  return operator === 'prefix'
    ? (v) => typeof v === 'string' && v.toLowerCase().startsWith(lowered)
    : (v) => typeof v === 'string' && v.toLowerCase().endsWith(lowered);
}

/** What compiling an `anything-but` operand yields. */
interface CompiledAnythingBut {
  readonly predicate: LeafPredicate;
  /** The wildcards of an `anything-but: { wildcard }` operand, for the complexity check. */
  readonly wildcards: readonly WildcardPattern[];
}

const NESTED_OPERATORS = new Set(['equals-ignore-case', 'prefix', 'suffix', 'wildcard']);
const NOT_ARRAY_OR_SCALAR = 'Value of anything-but must be an array or single string/number value.';

/**
 * Compiles the operand of `anything-but` in all its AWS forms: a string, a number, a list of strings
 * or of numbers, and `{ prefix | suffix | equals-ignore-case | wildcard: string | string[] }`.
 *
 * The result matches every leaf that is present and not excluded — including `null`, booleans and
 * values of another type (`anything-but: { prefix: "init" }` matches the number `12`). A missing
 * field never matches: that is what `exists: false` is for.
 *
 * @throws {InvalidEventPatternError} with AWS's reason.
 */
function compileAnythingBut(operand: unknown): CompiledAnythingBut {
  if (isJsonObject(operand)) return compileNested(operand);
  if (!Array.isArray(operand) && typeof operand !== 'string' && typeof operand !== 'number') {
    throw new InvalidEventPatternError(NOT_ARRAY_OR_SCALAR);
  }
  const values: readonly unknown[] = Array.isArray(operand) ? operand : [operand];
  const strings = new Set<string>();
  const numbers = new Set<number>();
  for (const value of values) {
    if (typeof value === 'string') strings.add(value);
    else if (typeof value === 'number') numbers.add(finite(value));
    else throw new InvalidEventPatternError('Inside anything but list, start|null|boolean is not supported.');
  }
  if (strings.size > 0 === numbers.size > 0) {
    throw new InvalidEventPatternError(
      'Inside anything but list, either all values are number or string, mixed type is not supported',
    );
  }
  const predicate: LeafPredicate =
    strings.size > 0
      ? (v) => !(typeof v === 'string' && strings.has(v))
      : (v) => !(typeof v === 'number' && numbers.has(v));
  return { predicate, wildcards: [] };
}

function compileNested(operand: Record<string, unknown>): CompiledAnythingBut {
  const keys = Object.keys(operand);
  const operator = keys[0];
  if (operator === undefined) throw new InvalidEventPatternError('Anything-But expression name not found');
  if (!NESTED_OPERATORS.has(operator))
    throw new InvalidEventPatternError(`Unsupported anything-but pattern: ${operator}`);
  const inner = operand[operator];
  if (!Array.isArray(inner) && typeof inner !== 'string' && typeof inner !== 'number') {
    throw new InvalidEventPatternError(NOT_ARRAY_OR_SCALAR);
  }
  const values: readonly unknown[] = Array.isArray(inner) ? inner : [inner];
  const strings = values.map((value) => stringOperand(value, operator));
  const excludes = excluder(operator, strings);
  if (keys.length > 1) throw new InvalidEventPatternError('Too many elements in numeric expression');
  return {
    predicate: (v) => typeof v !== 'string' || !excludes.test(v),
    wildcards: excludes.wildcards,
  };
}

function stringOperand(value: unknown, operator: string): string {
  if (typeof value !== 'string') {
    if (operator === 'equals-ignore-case') {
      throw new InvalidEventPatternError(
        'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
      );
    }
    if (operator === 'wildcard')
      throw new InvalidEventPatternError('wildcard match pattern must be a string');
    throw new InvalidEventPatternError('prefix/suffix match pattern must be a string');
  }
  if ((operator === 'prefix' || operator === 'suffix') && value === '') {
    throw new InvalidEventPatternError('Null prefix/suffix not allowed');
  }
  return value;
}

function excluder(
  operator: string,
  values: readonly string[],
): { test: (v: string) => boolean; wildcards: readonly WildcardPattern[] } {
  switch (operator) {
    case 'prefix':
      return { test: (v) => values.some((p) => v.startsWith(p)), wildcards: [] };
    case 'suffix':
      return { test: (v) => values.some((s) => v.endsWith(s)), wildcards: [] };
    case 'equals-ignore-case': {
      const lowered = new Set(values.map((s) => s.toLowerCase()));
      return { test: (v) => lowered.has(v.toLowerCase()), wildcards: [] };
    }
    default: {
      const wildcards = values.map(compileWildcard);
      return { test: (v) => wildcards.some((w) => w.matches(v)), wildcards };
    }
  }
}

function finite(value: number): number {
  if (!Number.isFinite(value)) throw new InvalidEventPatternError(`Cannot compare number : ${String(value)}`);
  return value;
}

type Bound = { readonly value: number; readonly inclusive: boolean };

/**
 * Compiles the operand of `numeric` (`["=", 5]`, `["<", 10]`, `[">", 0, "<=", 5]` …) with AWS's
 * grammar: one comparison, or a lower bound (`>`/`>=`) followed by an upper bound (`<`/`<=`) that
 * must be above it. Only JSON numbers in the event match.
 *
 * @throws {InvalidEventPatternError} with AWS's reason, e.g. `Bad numeric range operator: >`.
 */
function compileNumericMatch(operand: unknown): LeafPredicate {
  if (!Array.isArray(operand)) throw new InvalidEventPatternError('Value of numeric must be an array.');
  const terms: readonly unknown[] = operand;
  const operator = terms[0];
  if (typeof operator !== 'string') throw invalid(`Invalid member in numeric match: ${tokenText(operator)}`);
  const first = terms[1];

  switch (operator) {
    case '=': {
      const value = numberOperand(first, 'equals');
      if (terms.length > 2) throw tooManyElements();
      return (v) => typeof v === 'number' && v === value;
    }
    case '<':
    case '<=': {
      const value = numberOperand(first, operator);
      if (terms.length > 2) throw tooManyElements();
      return rangePredicate(undefined, { value, inclusive: operator === '<=' });
    }
    case '>':
    case '>=': {
      const bottom: Bound = { value: numberOperand(first, operator), inclusive: operator === '>=' };
      if (terms.length === 2) return rangePredicate(bottom, undefined);
      const secondOperator = terms[2];
      if (typeof secondOperator !== 'string')
        throw invalid(`Bad value in numeric range: ${tokenText(secondOperator)}`);
      if (secondOperator !== '<' && secondOperator !== '<=')
        throw invalid(`Bad numeric range operator: ${secondOperator}`);
      const top: Bound = {
        value: numberOperand(terms[3], secondOperator),
        inclusive: secondOperator === '<=',
      };
      if (terms.length > 4) throw invalid('Too many terms in numeric range expression');
      if (bottom.value >= top.value) throw invalid('Bottom must be less than top');
      return rangePredicate(bottom, top);
    }
    default:
      throw invalid(`Unrecognized numeric range operator: ${operator}`);
  }
}

function numberOperand(value: unknown, operatorName: string): number {
  if (typeof value !== 'number') throw invalid(`Value of ${operatorName} must be numeric`);
  if (!Number.isFinite(value)) throw invalid(`Cannot compare number : ${String(value)}`);
  return value;
}

function rangePredicate(bottom: Bound | undefined, top: Bound | undefined): LeafPredicate {
  return (v) => {
    if (typeof v !== 'number') return false;
    if (bottom !== undefined && (bottom.inclusive ? v < bottom.value : v <= bottom.value)) return false;
    if (top !== undefined && (top.inclusive ? v > top.value : v >= top.value)) return false;
    return true;
  };
}

function invalid(reason: string): InvalidEventPatternError {
  return new InvalidEventPatternError(reason);
}

function tooManyElements(): InvalidEventPatternError {
  return invalid('Too many elements in numeric expression');
}

// The text of the JSON token AWS's parser stands on; a missing element is the array's closing bracket.
function tokenText(value: unknown): string {
  if (value === undefined) return ']';
  if (Array.isArray(value)) return '[';
  if (typeof value === 'object' && value !== null) return '{';
  return String(value);
}

/** A parsed `wildcard` operand: literal segments between `*` characters. */
export interface WildcardPattern {
  /** Number of `*` wildcards (escaped `\*` are literals and not counted). */
  readonly wildcardCount: number;
  /** True when `value` matches the whole pattern (`*` matches zero or more characters). */
  matches(value: string): boolean;
}

/**
 * Parses a `wildcard` operand with AWS's rules: `*` matches any run of characters (including none),
 * `\*` is a literal star, `\\` a literal backslash; two consecutive `*` and any other escape are
 * rejected. Matching is linear-time (no regular expression, no backtracking).
 *
 * @throws {InvalidEventPatternError} with AWS's reason, e.g. `Consecutive wildcard characters at pos 26`.
 */
function compileWildcard(text: string): WildcardPattern {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '*') {
      if (text[i + 1] === '*')
        throw new InvalidEventPatternError(`Consecutive wildcard characters at pos ${awsPosition(text, i)}`);
      segments.push(current);
      current = '';
    } else if (char === '\\') {
      const next = text[i + 1];
      if (next !== '*' && next !== '\\')
        throw new InvalidEventPatternError(`Invalid escape character at pos ${awsPosition(text, i)}`);
      current += next;
      i++;
    } else {
      current += char;
    }
  }
  segments.push(current);
  return { wildcardCount: segments.length - 1, matches: (value) => matchSegments(segments, value) };
}

// AWS reports byte offsets in the UTF-8 form of the quoted JSON string, hence the +1 for the quote.
function awsPosition(text: string, index: number): number {
  return Buffer.byteLength(text.slice(0, index), 'utf8') + 1;
}

function matchSegments(segments: readonly string[], value: string): boolean {
  const first = segments[0] ?? '';
  if (segments.length === 1) return value === first;
  const last = segments[segments.length - 1] ?? '';
  if (value.length < first.length + last.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  // Greedy leftmost placement of the middle segments is optimal for star-only globs.
  let position = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const segment = segments[i] ?? '';
    const found = value.indexOf(segment, position);
    if (found === -1 || found + segment.length > end) return false;
    position = found + segment.length;
  }
  return true;
}

/**
 * Compiles a `cidr` operand (`"10.0.0.0/24"`, `"2001:db8::/64"`) into a test of event values.
 * Only strings that are IP addresses of the same family inside the block match.
 *
 * @throws {InvalidEventPatternError} when the block is malformed, with AWS's reason.
 */
function compileCidr(cidr: string): LeafPredicate {
  // Java's String.split drops trailing empty strings, so "10.0.0.0/" has a single part, like in AWS.
  const parts = cidr.split('/');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length !== 2) throw new InvalidEventPatternError("Malformed CIDR, one '/' required");
  const [address = '', maskText = ''] = parts;
  if (!/^[+-]?\d+$/.test(maskText) || !Number.isSafeInteger(Number(maskText))) {
    throw new InvalidEventPatternError('Malformed CIDR, mask bits must be an integer');
  }
  const maskBits = Number(maskText);
  if (maskBits < 0) throw new InvalidEventPatternError('Malformed CIDR, mask bits must not be negative');

  const parsed = parseIpAddress(address);
  if (parsed.kind === 'not-an-ip') throw new InvalidEventPatternError(`Nonstandard IP address: ${address}`);
  if (parsed.kind === 'invalid') throw new InvalidEventPatternError(`Invalid IP address: ${address}`);
  const network = parsed.bytes;
  // AWS rejects a full-length mask: a single address is written as a plain string instead.
  if (network.length === 4 && maskBits > 31)
    throw new InvalidEventPatternError('IPv4 mask bits must be < 32');
  if (network.length === 16 && maskBits > 127)
    throw new InvalidEventPatternError('IPv6 mask bits must be < 128');

  return (value) => {
    if (typeof value !== 'string') return false;
    const candidate = parseIpAddress(value);
    if (candidate.kind !== 'ip' || candidate.bytes.length !== network.length) return false;
    return samePrefix(candidate.bytes, network, maskBits);
  };
}

function samePrefix(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  const fullBytes = Math.floor(bits / 8);
  for (let i = 0; i < fullBytes; i++) {
    if (a[i] !== b[i]) return false;
  }
  const rest = bits % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((a[fullBytes] ?? 0) & mask) === ((b[fullBytes] ?? 0) & mask);
}

// EventBridge only treats a string as an IP address when it has one of these shapes; anything else
// (host names, zone ids, dotted IPv6 tails) is never an IP, neither in a pattern nor in an event.
const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

/** The outcome of reading a string as an IP address. */
type IpParseResult =
  | { readonly kind: 'ip'; readonly bytes: Uint8Array }
  | { readonly kind: 'not-an-ip' }
  | { readonly kind: 'invalid' };

/**
 * Reads `text` as an IPv4 or IPv6 address, in network byte order. An IPv4-mapped IPv6 address
 * (`::ffff:a.b.c.d` written in hex) is returned as its 4 IPv4 bytes, as EventBridge compares it.
 *
 * `not-an-ip`: the text does not look like an address; `invalid`: it looks like one but is not
 * (e.g. `999.1.1.1`).
 */
export function parseIpAddress(text: string): IpParseResult {
  if (IPV4_SHAPE.test(text)) {
    if (!isIPv4(text)) return { kind: 'invalid' };
    return { kind: 'ip', bytes: Uint8Array.from(text.split('.').map(Number)) };
  }
  if (IPV6_SHAPE.test(text)) {
    if (!isIPv6(text)) return { kind: 'invalid' };
    const bytes = ipv6Bytes(text);
    const mapped = bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
    return { kind: 'ip', bytes: mapped ? bytes.slice(12) : bytes };
  }
  return { kind: 'not-an-ip' };
}

function ipv6Bytes(text: string): Uint8Array {
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(zeros).fill('0'), ...tailGroups];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    const value = Number.parseInt(group, 16);
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  });
  return bytes;
}
