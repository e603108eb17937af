/**
 * A fixed-size ring: pushing onto a full ring overwrites its oldest item. What the local cloud keeps
 * of a long run in memory lives in one, so it never grows with the run's length: the console's
 * activity and logs, the event bus's archive.
 *
 * @example
 * ```ts
 * const ring = new Ring<number>(2);
 * ring.push(1);
 * ring.push(2);
 * ring.push(3); // true: it overwrote 1
 * ring.toArray(); // [2, 3]
 * ```
 */
export class Ring<T> {
  readonly #items: (T | undefined)[];
  #next = 0;
  #size = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`A ring's capacity must be a positive integer, got ${capacity}`);
    }
    this.#items = new Array<T | undefined>(capacity);
  }

  /** Items kept. */
  get size(): number {
    return this.#size;
  }

  /** Adds `item`; true when the ring was full and its oldest item was overwritten. */
  push(item: T): boolean {
    const overwrote = this.#size === this.capacity;
    this.#items[this.#next] = item;
    this.#next = (this.#next + 1) % this.capacity;
    if (!overwrote) this.#size++;
    return overwrote;
  }

  /** The items kept, oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    const start = (this.#next - this.#size + this.capacity) % this.capacity;
    for (let i = 0; i < this.#size; i++) out.push(this.#items[(start + i) % this.capacity] as T);
    return out;
  }

  /** The items kept, newest first: for searches that stop once they are past what they look for. */
  *newestFirst(): Generator<T> {
    for (let i = 1; i <= this.#size; i++)
      yield this.#items[(this.#next - i + this.capacity) % this.capacity] as T;
  }

  /** Forgets every item. */
  clear(): void {
    this.#items.fill(undefined);
    this.#next = 0;
    this.#size = 0;
  }
}
