import type { LeafPredicate, WildcardPattern } from './compileMatchExpression';
import { compileMatchExpression, parseIpAddress } from './compileMatchExpression';
import type { JsonObject } from './EventBridgeEvent';
import { isJsonObject } from './EventBridgeEvent';
import { InvalidEventPatternError } from './errors';
import type { ArrayMembership, EventIndex, LeafValue } from './indexEvent';
import { indexEvent, isConsistent, mergeMemberships, NO_ARRAYS } from './indexEvent';

/** A validated, precompiled EventBridge event pattern. Build one with `compilePattern`. */
export interface EventPatternMatcher {
  /** The pattern as given (parsed, if it was given as JSON text). */
  readonly pattern: JsonObject;
  /**
   * Every dot-boundary prefix of every field path the pattern reads; pass it to `indexEvent` to
   * flatten only the part of an event that can matter.
   */
  readonly relevantPaths: ReadonlySet<string>;
  /** True when `event` (a parsed JSON object) matches; anything that is not an object never matches. */
  matches(event: unknown): boolean;
  /** Same as `matches`, on an event already flattened by `indexEvent` (shared across rules). */
  matchesIndex(index: EventIndex): boolean;
}

const OR = '$or';

// Names AWS reserves for operators; it refuses them as field names inside `$or` branches.
const RESERVED_IN_OR = new Set([
  'exactly',
  'equals-ignore-case',
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'wildcard',
  'numeric',
  'cidr',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

// AWS does not publish its wildcard complexity limit. It rejects a single value with six wildcards
// (`*:*:*:*:*:event-bus/*`) and accepts one wildcard followed by long repeated sequences, so the
// local bus allows at most five wildcards per value.
const MAX_WILDCARDS_PER_VALUE = 5;
const TOO_COMPLEX =
  'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character';

/** One alternative of the pattern after `$or` is expanded: all its fields must match (AND). */
type Branch = readonly FieldCondition[];

/**
 * Validates an EventBridge event pattern and compiles it into a fast matcher. Validation follows
 * EventBridge's rules and messages (`InvalidEventPatternException`), matching follows its semantics:
 * fields are AND-ed, values in a list OR-ed, arrays in the event match when any element does (with
 * fields from different elements of one array never combined), `$or` at any level, `null` distinct
 * from missing and from `""`, and every comparison operator (prefix, suffix, anything-but,
 * numeric, exists, equals-ignore-case, wildcard, cidr).
 *
 * @param pattern the pattern as an object, or as JSON text (as `PutRule` receives it).
 * @throws {InvalidEventPatternError} when EventBridge would reject the pattern.
 *
 * @example
 * const matcher = compilePattern({ source: ['quanta.identity'], 'detail-type': [{ prefix: 'Session' }] });
 * matcher.matches({ source: 'quanta.identity', 'detail-type': 'SessionRevoked', detail: {} }); // true
 */
export function compilePattern(pattern: unknown): EventPatternMatcher {
  const root = parseRoot(pattern);
  const branches = walkObject(root, '', [new Map()], false).map((fields) =>
    [...fields.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  );
  for (const branch of branches) {
    for (const field of branch) {
      if (field.wildcards.some((w) => w.wildcardCount > MAX_WILDCARDS_PER_VALUE)) {
        throw new InvalidEventPatternError(TOO_COMPLEX);
      }
    }
  }
  const relevantPaths = pathPrefixes(branches);
  const matchesIndex = (index: EventIndex): boolean =>
    branches.some((branch) => matchBranch(branch, 0, NO_ARRAYS, index));
  return {
    pattern: root,
    relevantPaths,
    matchesIndex,
    matches: (event) => isJsonObject(event) && matchesIndex(indexEvent(event, relevantPaths)),
  };
}

function parseRoot(pattern: unknown): JsonObject {
  let parsed = pattern;
  if (typeof pattern === 'string') {
    try {
      parsed = JSON.parse(pattern);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new InvalidEventPatternError(reason, { cause: error });
    }
  }
  if (!isJsonObject(parsed)) throw new InvalidEventPatternError('Filter is not an object');
  return parsed;
}

/**
 * Walks one object of the pattern, adding its fields to every current branch. Later keys override
 * earlier ones for the same path, as AWS documents ("the last reference will be the one used").
 */
function walkObject(
  object: JsonObject,
  prefix: string,
  branches: Map<string, FieldCondition>[],
  insideOr: boolean,
): Map<string, FieldCondition>[] {
  const entries = Object.entries(object);
  if (entries.length === 0) throw new InvalidEventPatternError('Empty objects are not allowed');
  let current = branches;
  for (const [key, value] of entries) {
    if (key === OR) {
      current = walkOr(value, prefix, current);
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(key)) {
      throw new InvalidEventPatternError(
        `${key} is Ruler reserved fieldName which cannot be used inside $or.`,
      );
    }
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (isJsonObject(value)) {
      current = walkObject(value, path, current, insideOr);
    } else if (Array.isArray(value)) {
      const condition = compileFieldCondition(path, value);
      for (const branch of current) branch.set(path, condition);
    } else {
      throw new InvalidEventPatternError(`"${key}" must be an object or an array`);
    }
  }
  return current;
}

function walkOr(
  value: unknown,
  prefix: string,
  branches: readonly Map<string, FieldCondition>[],
): Map<string, FieldCondition>[] {
  if (!Array.isArray(value)) throw new InvalidEventPatternError('It must be an Array followed with $or.');
  const alternatives: readonly unknown[] = value;
  const expanded: Map<string, FieldCondition>[] = [];
  for (const alternative of alternatives) {
    if (!isJsonObject(alternative)) {
      throw new InvalidEventPatternError('Only JSON object is allowed in array of $or relationship.');
    }
    const copies = branches.map((branch) => new Map(branch));
    expanded.push(...walkObject(alternative, prefix, copies, true));
  }
  if (alternatives.length < 2) {
    throw new InvalidEventPatternError('There must have at least 2 Objects in $or relationship.');
  }
  return expanded;
}

function pathPrefixes(branches: readonly Branch[]): Set<string> {
  const prefixes = new Set<string>();
  for (const branch of branches) {
    for (const { path } of branch) {
      let end = path.indexOf('.');
      while (end !== -1) {
        prefixes.add(path.slice(0, end));
        end = path.indexOf('.', end + 1);
      }
      prefixes.add(path);
    }
  }
  return prefixes;
}

/**
 * Depth-first search for one leaf per field (fields in path order, as AWS walks them) such that all
 * chosen leaves are array-consistent. `exists: false` holds when no consistent leaf exists at its path.
 */
function matchBranch(
  branch: Branch,
  position: number,
  membership: ArrayMembership,
  index: EventIndex,
): boolean {
  const field = branch[position];
  if (field === undefined) return true;
  const leaves = index.get(field.path) ?? [];
  let consistentLeafFound = false;
  for (const leaf of leaves) {
    if (!isConsistent(membership, leaf.membership)) continue;
    consistentLeafFound = true;
    if (
      field.matchesLeaf(leaf.value) &&
      matchBranch(branch, position + 1, mergeMemberships(membership, leaf.membership), index)
    ) {
      return true;
    }
  }
  return field.matchesAbsence && !consistentLeafFound && matchBranch(branch, position + 1, membership, index);
}

/** The compiled value list of one field of a pattern, e.g. `"state": ["running", { "prefix": "stop" }]`. */
interface FieldCondition {
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
function compileFieldCondition(path: string, values: readonly unknown[]): FieldCondition {
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
