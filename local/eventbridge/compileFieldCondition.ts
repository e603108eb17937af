import { compileMatchExpression } from './compileMatchExpression';
import type { WildcardPattern } from './compileWildcard';
import { InvalidEventPatternError } from './errors';
import { isJsonObject } from './isJsonObject';
import type { LeafPredicate, LeafValue } from './LeafValue';
import { parseIpAddress } from './parseIpAddress';

/** The compiled value list of one field of a pattern, e.g. `"state": ["running", { "prefix": "stop" }]`. */
export interface FieldCondition {
  /** Dot-joined path of the field, e.g. `detail.state`. */
  readonly path: string;
  /** True when `value` satisfies at least one entry of the list (entries are OR-ed). */
  matchesLeaf(value: LeafValue): boolean;
  /** True when the list holds `{ "exists": false }`: the field may be absent. */
  readonly matchesAbsence: boolean;
  /** Every wildcard in the list, for the rule complexity check. */
  readonly wildcards: readonly WildcardPattern[];
}

/**
 * Compiles the value list of a pattern field. Plain values match exactly and by type (`"5"` is not
 * `5`, `""` is not `null`); a string that is an IP address also matches other spellings of the same
 * address, as in AWS.
 *
 * @throws {InvalidEventPatternError} with AWS's reason when the list or one of its entries is invalid.
 */
export function compileFieldCondition(path: string, values: readonly unknown[]): FieldCondition {
  if (values.length === 0) throw new InvalidEventPatternError('Empty arrays are not allowed');
  const strings = new Set<string>();
  const numbers = new Set<number>();
  const literals = new Set<boolean | null>();
  const ipAddresses: Uint8Array[] = [];
  const predicates: LeafPredicate[] = [];
  const wildcards: WildcardPattern[] = [];
  let anyLeaf = false;
  let matchesAbsence = false;

  for (const entry of values) {
    if (typeof entry === 'string') {
      strings.add(entry);
      const ip = parseIpAddress(entry);
      if (ip.kind === 'ip') ipAddresses.push(ip.bytes);
    } else if (typeof entry === 'number') {
      numbers.add(entry);
    } else if (typeof entry === 'boolean' || entry === null) {
      literals.add(entry);
    } else if (isJsonObject(entry)) {
      const compiled = compileMatchExpression(entry);
      if (compiled.kind === 'exists') {
        if (compiled.exists) anyLeaf = true;
        else matchesAbsence = true;
      } else {
        predicates.push(compiled.predicate);
        wildcards.push(...compiled.wildcards);
      }
    } else {
      throw new InvalidEventPatternError('Match value must be String, number, true, false, or null');
    }
  }

  const matchesLeaf = (value: LeafValue): boolean => {
    if (anyLeaf) return true;
    if (typeof value === 'string') {
      if (strings.has(value)) return true;
      if (ipAddresses.length > 0 && matchesIpAddress(value, ipAddresses)) return true;
    } else if (typeof value === 'number') {
      if (numbers.has(value)) return true;
    } else if (literals.has(value)) {
      return true;
    }
    for (const predicate of predicates) {
      if (predicate(value)) return true;
    }
    return false;
  };
  return { path, matchesLeaf, matchesAbsence, wildcards };
}

function matchesIpAddress(value: string, addresses: readonly Uint8Array[]): boolean {
  const parsed = parseIpAddress(value);
  if (parsed.kind !== 'ip') return false;
  const bytes = parsed.bytes;
  return addresses.some(
    (address) => address.length === bytes.length && address.every((byte, i) => byte === bytes[i]),
  );
}
