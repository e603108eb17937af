/**
 * Limits how many execution environments initialise at once, machine-wide. Lambda initialises
 * instances on separate hosts; a laptop initialises worker threads on the same few cores, and a burst
 * that cold-starts forty of them at once starves every one past Lambda's 10 s INIT limit. With the
 * gate, inits run about one per core while queued invocations wait for the next ready worker.
 *
 * @example
 * ```ts
 * const gate = new ColdStartGate(2);
 * const worker = await gate.run(async () => { const w = create(); await w.initialized(); return w; });
 * ```
 */
export class ColdStartGate {
  readonly #capacity: number;
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`ColdStartGate capacity must be a positive integer, got ${capacity}`);
    }
    this.#capacity = capacity;
  }

  /** Runs `init` once a slot is free; the slot is held until it settles. */
  async run<T>(init: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#capacity) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running++;
    }
    try {
      return await init();
    } finally {
      const next = this.#waiting.shift();
      // Hand the slot straight to the next waiter (running count unchanged), or free it.
      if (next === undefined) this.#running--;
      else next();
    }
  }
}
