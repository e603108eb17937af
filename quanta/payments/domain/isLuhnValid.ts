/**
 * True when `digits` passes the Luhn (mod 10) check every card number carries, which catches a
 * mistyped digit and most swapped neighbours before a processor is even asked.
 *
 * @example
 * ```ts
 * isLuhnValid('4242424242424242'); // true
 * isLuhnValid('4242424242424241'); // false
 * ```
 */
export function isLuhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  // From the right, every second digit is doubled (minus 9 when it overflows a digit).
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}
