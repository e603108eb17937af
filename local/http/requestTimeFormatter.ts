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
