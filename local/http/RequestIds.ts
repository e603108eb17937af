import { randomFillSync } from 'node:crypto';

/** Source of the ids a request gets: API Gateway's request id and an X-Ray trace id. */
export interface RequestIdSource {
  /** A new `apigw-requestid`, e.g. `RL2XYiwjPHcEMEQ=` (11 random bytes, base64). */
  requestId(): string;
  /** A new `x-amzn-trace-id` header value for a request that arrived at `epochMs`. */
  traceId(epochMs: number): string;
}

const POOL_BYTES = 4096;

/**
 * Random ids shaped like AWS's. Randomness is drawn from a pooled buffer refilled in bulk, so a
 * request costs no system call.
 *
 * @example
 * ```ts
 * const ids = new RandomRequestIds();
 * ids.requestId(); // 'Xk3P0a9Qm1cEJrA='
 * ids.traceId(Date.now()); // 'Root=1-67a1b2c3-0f1e2d3c4b5a69788796a5b4'
 * ```
 */
export class RandomRequestIds implements RequestIdSource {
  readonly #pool = Buffer.allocUnsafe(POOL_BYTES);
  #offset = POOL_BYTES;

  requestId(): string {
    const start = this.#take(11);
    return this.#pool.toString('base64', start, start + 11);
  }

  traceId(epochMs: number): string {
    const start = this.#take(12);
    const seconds = Math.floor(epochMs / 1000)
      .toString(16)
      .padStart(8, '0');
    return `Root=1-${seconds}-${this.#pool.toString('hex', start, start + 12)}`;
  }

  #take(n: number): number {
    if (this.#offset + n > POOL_BYTES) {
      randomFillSync(this.#pool);
      this.#offset = 0;
    }
    const start = this.#offset;
    this.#offset += n;
    return start;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A formatter of `requestContext.time` as API Gateway writes it (CLF, UTC):
 * `12/Mar/2020:19:03:58 +0000`. The text changes once a second, so each formatter reuses its last one.
 *
 * @example
 * ```ts
 * const format = requestTimeFormatter();
 * format(1583348638390); // '04/Mar/2020:19:03:58 +0000'
 * ```
 */
export function requestTimeFormatter(): (epochMs: number) => string {
  let lastSecond = Number.NaN;
  let lastText = '';
  return (epochMs) => {
    const second = Math.floor(epochMs / 1000);
    if (second === lastSecond) return lastText;
    const d = new Date(second * 1000);
    lastText =
      `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
      `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
    lastSecond = second;
    return lastText;
  };
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
