import type { WildcardPattern } from './compileWildcard';
import { compileWildcard } from './compileWildcard';
import { InvalidEventPatternError } from './errors';
import { isJsonObject } from './isJsonObject';
import type { LeafPredicate } from './LeafValue';

/** What compiling an `anything-but` operand yields. */
export interface CompiledAnythingBut {
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
export function compileAnythingBut(operand: unknown): CompiledAnythingBut {
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
