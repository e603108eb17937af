/**
 * A deterministic uniform generator in [0, 1) (mulberry32): the same seed gives the same sequence,
 * so a test that injects faults at a rate fails the same invocations on every run.
 *
 * @example
 * ```ts
 * const next = seededRandom(42);
 * next(); // 0.6011037519201636, on every run
 * ```
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A 32-bit seed derived from a base seed and a name (FNV-1a), so each function draws its own sequence.
 *
 * @example
 * ```ts
 * seedFor(7, 'payments.requests'); // 730938699, on every run
 * ```
 */
export function seedFor(base: number, name: string): number {
  let hash = (0x811c9dc5 ^ base) >>> 0;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
