import { InvalidEventPatternError } from './errors';
import type { LeafPredicate } from './LeafValue';

type Bound = { readonly value: number; readonly inclusive: boolean };

/**
 * Compiles the operand of `numeric` (`["=", 5]`, `["<", 10]`, `[">", 0, "<=", 5]` …) with AWS's
 * grammar: one comparison, or a lower bound (`>`/`>=`) followed by an upper bound (`<`/`<=`) that
 * must be above it. Only JSON numbers in the event match.
 *
 * @throws {InvalidEventPatternError} with AWS's reason, e.g. `Bad numeric range operator: >`.
 */
export function compileNumericMatch(operand: unknown): LeafPredicate {
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
