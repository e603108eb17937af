import { maskCardNumbers } from './maskCardNumbers';

/** Keys whose values are sensitive card data wherever they appear. */
const CVC_KEYS = new Set(['cvc', 'cvv', 'cvc2', 'cvv2']);

/**
 * A `JSON.stringify` replacer that keeps card data out of serialized output (log lines): strings
 * are passed through {@link maskCardNumbers}, long integers that could be a card number sent as a
 * JSON number are masked, CVC fields are blanked. Structure is kept so logs stay useful.
 *
 * @example
 * ```ts
 * JSON.stringify({ card: { number: '4242424242424242', cvc: '123' } }, redactCardData);
 * // '{"card":{"number":"****4242","cvc":"***"}}'
 * new Logger({ serviceName: 'payments', jsonReplacerFn: redactCardData });
 * ```
 */
export function redactCardData(key: string, value: unknown): unknown {
  if (CVC_KEYS.has(key.toLowerCase()) && value !== undefined && value !== null) return '***';
  if (typeof value === 'string') return maskCardNumbers(value);
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) >= 1e11) {
    return maskCardNumbers(String(Math.abs(value)));
  }
  if (typeof value === 'bigint') return maskCardNumbers(value.toString());
  return value;
}
