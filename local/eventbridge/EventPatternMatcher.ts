import type { EventIndex } from './indexEvent';
import type { JsonObject } from './isJsonObject';

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
