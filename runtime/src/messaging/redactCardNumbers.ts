/** Runs of 12–19 digits (optionally split by spaces or dashes): what a card number looks like. */
const CARD_NUMBER = /\b(?:\d[ -]?){11,18}\d\b/g;

/**
 * Masks anything that looks like a card number, keeping its last four digits. A safety net for
 * text that is logged raw (e.g. a poison message's body): a PAN must never reach a log.
 *
 * @example
 * ```ts
 * redactCardNumbers('{"number":"4242424242424242"}'); // '{"number":"************4242"}'
 * ```
 */
export function redactCardNumbers(text: string): string {
  return text.replace(CARD_NUMBER, (match) => {
    const digits = match.replace(/\D/g, '');
    return `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
  });
}
