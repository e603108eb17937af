/** What the requester sends for a card (the `card` of `AuthorizePayment`, already parsed). */
export interface CardInput {
  /** 12 to 19 digits, separators already removed. */
  readonly number: string;
  readonly expMonth?: number | undefined;
  readonly expYear?: number | undefined;
  readonly cvc?: string | undefined;
}

/**
 * A card as payments holds it while it authorizes: the whole number and the CVC are private
 * fields, readable only through {@link PaymentCard.reveal} (which only the processor adapter calls),
 * and every way of turning the object into text — `JSON.stringify`, template strings,
 * `console.log`/`util.inspect` — shows the last 4 digits only. So a card that ends up in a log
 * line, an error message or a DynamoDB item by mistake still leaks nothing.
 *
 * @example
 * ```ts
 * const card = PaymentCard.of({ number: '4242424242424242' });
 * card.last4;              // '4242'
 * JSON.stringify(card);    // '{"last4":"4242"}'
 * `${card}`;               // 'card ending 4242'
 * ```
 */
export class PaymentCard {
  /** The last 4 digits: all payments ever stores, logs or publishes. */
  readonly last4: string;
  readonly #number: string;
  readonly #expMonth: number | undefined;
  readonly #expYear: number | undefined;
  readonly #cvc: string | undefined;

  private constructor(input: CardInput) {
    this.#number = input.number;
    this.#expMonth = input.expMonth;
    this.#expYear = input.expYear;
    this.#cvc = input.cvc;
    this.last4 = input.number.slice(-4);
  }

  /** Wraps a parsed card (see the contract's `cardSchema`). */
  static of(input: CardInput): PaymentCard {
    if (!/^\d{12,19}$/.test(input.number)) {
      // Never echo the value: it may be a real card number with a typo.
      throw new TypeError(`A card number has 12 to 19 digits; got ${input.number.length} characters`);
    }
    return new PaymentCard(input);
  }

  /** The whole card, for the processor adapter only; never store, log or return it. */
  reveal(): CardInput {
    return { number: this.#number, expMonth: this.#expMonth, expYear: this.#expYear, cvc: this.#cvc };
  }

  toJSON(): { last4: string } {
    return { last4: this.last4 };
  }

  toString(): string {
    return `card ending ${this.last4}`;
  }

  /** What `util.inspect` (and so `console.log`) shows. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `PaymentCard(${this.toString()})`;
  }
}

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
