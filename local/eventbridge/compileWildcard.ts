import { Buffer } from 'node:buffer';
import { InvalidEventPatternError } from './errors';

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
export function compileWildcard(text: string): WildcardPattern {
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
