// The one masking rule for card data in text, in a module of its own so that code which must not load
// Powertools (the local cloud's developer console) can apply it too.

/** A run of 12 or more digits, optionally grouped by single spaces or dashes (`4242 4242 …`). */
const DIGIT_RUN = /\d(?:[ -]?\d){11,}/g;
/** A card verification code as it appears in JSON text: `"cvc":"123"`. */
const CVC_IN_JSON = /("cvc"\s*:\s*)"[^"]*"/gi;

/**
 * Masks everything in `text` that could be a card number and blanks CVCs in JSON text: the one
 * masking rule for text that is logged raw (a poison message's body, a log line through a
 * `jsonReplacerFn`). A PAN must never reach a log.
 *
 * The rule:
 * - Any run of 12 or more digits (card numbers have 12 to 19), grouped by single spaces or dashes
 *   or not, becomes `****` followed by its last 4 digits. The last 4 stay visible because they are
 *   what orders and payments store and show (`cardLast4`), so a log line can still be matched to a
 *   payment; PCI DSS allows at most the first 6 and last 4, and we need no more than the last 4.
 *   The mask has a fixed width, so it does not reveal the number's length either.
 * - Deliberately over-broad: no upper length and no word boundary, so a number glued to letters or
 *   inside a longer digit run is masked too. A masked 13-digit timestamp costs a little readability;
 *   a leaked card number costs a breach. Only an ARN's account segment (12 digits between colons)
 *   is kept, for operators.
 * - `"cvc":"…"` becomes `"cvc":"***"`: a CVC may never be stored, not even in part.
 *
 * @example
 * ```ts
 * redactCardNumbers('{"number":"4242 4242 4242 4242","cvc":"123"}'); // '{"number":"****4242","cvc":"***"}'
 * ```
 */
export function redactCardNumbers(text: string): string {
  return text
    .replace(DIGIT_RUN, (run: string, offset: number) =>
      isArnAccount(text, run, offset) ? run : `****${run.replace(/\D/g, '').slice(-4)}`,
    )
    .replace(CVC_IN_JSON, '$1"***"');
}

function isArnAccount(text: string, run: string, offset: number): boolean {
  return run.length === 12 && text[offset - 1] === ':' && text[offset + run.length] === ':';
}
