/** A run of 12 or more digits, optionally grouped with single spaces or dashes (`4242 4242 …`). */
const DIGIT_RUN = /\d(?:[ -]?\d){11,}/g;
/** A CVC as it appears in a JSON text: `"cvc":"123"`. */
const CVC_IN_JSON = /("cvc"\s*:\s*)"[^"]*"/gi;

/**
 * Masks everything in `text` that could be a card number (any run of 12+ digits, grouped or not)
 * down to its last 4 digits, and blanks CVCs inside JSON text. Deliberately over-broad (only an
 * ARN's 12-digit account segment is kept): a masked 13-digit timestamp in a log costs a little
 * readability, a leaked card number costs a breach.
 *
 * @example
 * ```ts
 * maskCardNumbers('{"number":"4242 4242 4242 4242","cvc":"123"}'); // '{"number":"****4242","cvc":"***"}'
 * ```
 */
export function maskCardNumbers(text: string): string {
  return text
    .replace(DIGIT_RUN, (run: string, offset: number) =>
      isArnAccount(text, run, offset) ? run : `****${run.replace(/\D/g, '').slice(-4)}`,
    )
    .replace(CVC_IN_JSON, '$1"***"');
}

/** The account segment of an ARN (`…:111111111111:…`): 12 bare digits between colons, kept for operators. */
function isArnAccount(text: string, run: string, offset: number): boolean {
  return run.length === 12 && text[offset - 1] === ':' && text[offset + run.length] === ':';
}
