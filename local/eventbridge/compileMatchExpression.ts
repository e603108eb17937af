import { compileAnythingBut } from './compileAnythingBut';
import { compileCidr } from './compileCidr';
import { compileNumericMatch } from './compileNumericMatch';
import type { WildcardPattern } from './compileWildcard';
import { compileWildcard } from './compileWildcard';
import { InvalidEventPatternError } from './errors';
import { isJsonObject } from './isJsonObject';
import type { LeafPredicate } from './LeafValue';

/** A compiled match expression: a test of leaf values, or an `exists` test of the field itself. */
export type CompiledMatchExpression =
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
