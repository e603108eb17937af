import { inspect } from 'node:util';
import { redactCardNumbers } from '@quanta/runtime/observability';
import { describe, expect, it } from 'vitest';
import { isLuhnValid, PaymentCard } from '../domain/PaymentCard';
import { redactCardData } from '../functions/environment';

const PAN = '4242424242424242';

describe('isLuhnValid', () => {
  it.each([
    '4242424242424242',
    '4000000000000002',
    '4000000000009995',
    '4000000000000119',
    '5555555555554444',
  ])('accepts the valid number %s', (number) => {
    expect(isLuhnValid(number)).toBe(true);
  });

  it.each(['4242424242424241', '1234567812345678', '', '4242-4242'])('rejects %j', (number) => {
    expect(isLuhnValid(number)).toBe(false);
  });
});

describe('PaymentCard', () => {
  it('shows only the last 4 digits through JSON, template strings and util.inspect', () => {
    // Arrange
    const card = PaymentCard.of({ number: PAN, cvc: '123', expMonth: 12, expYear: 2031 });

    // Act
    const renderings = [JSON.stringify({ card }), `${card}`, inspect(card), inspect({ nested: { card } })];

    // Assert
    expect(card.last4).toBe('4242');
    for (const text of renderings) {
      expect(text).not.toContain(PAN);
      expect(text).not.toContain('123');
    }
    expect(JSON.stringify(card)).toBe('{"last4":"4242"}');
  });

  it('reveals the whole card only when asked explicitly (for the processor)', () => {
    // Arrange
    const card = PaymentCard.of({ number: PAN, cvc: '123' });

    // Act
    const revealed = card.reveal();

    // Assert
    expect(revealed).toEqual({ number: PAN, cvc: '123', expMonth: undefined, expYear: undefined });
  });

  it('refuses a malformed number without echoing it', () => {
    // Arrange
    const bad = '4242abcd42424242';

    // Act
    const create = () => PaymentCard.of({ number: bad });

    // Assert
    expect(create).toThrow(/12 to 19 digits; got 16 characters/);
    expect(create).not.toThrow(bad);
  });
});

describe('redactCardNumbers, the runtime rule payments logs through', () => {
  it.each([
    [`{"number":"${PAN}"}`, '{"number":"****4242"}'],
    ['card 4242 4242 4242 4242 failed', 'card ****4242 failed'],
    ['4000-0000-0000-0119', '****0119'],
    ['{"card":{"number":"4242424242424242","cvc":"987"}}', '{"card":{"number":"****4242","cvc":"***"}}'],
    ['00004242424242424242424242', '****4242'],
    ['{"number":424242424242}', '{"number":****4242}'],
  ])('masks %j', (text, masked) => {
    expect(redactCardNumbers(text)).toBe(masked);
  });

  it('leaves short numbers, dates and ids alone', () => {
    // Arrange
    const text =
      'order ord-1 of 2030-01-01T00:00:00.000Z for 1999 cents, last4 4242, arn:aws:lambda:eu-west-1:111111111111:function:f';

    // Act
    const masked = redactCardNumbers(text);

    // Assert
    expect(masked).toBe(text);
  });
});

describe('redactCardData', () => {
  it('masks card numbers in strings and numbers and blanks CVCs anywhere in a serialized value', () => {
    // Arrange
    const value = {
      body: `{"payload":{"card":{"number":"${PAN}"}}}`,
      card: { number: PAN, cvc: '123' },
      numeric: 4242424242424242,
      error: { message: `declined ${PAN}` },
      amountCents: 1999,
    };

    // Act
    const json = JSON.stringify(value, redactCardData);

    // Assert
    expect(json).not.toContain('424242424242');
    expect(json).not.toContain('"123"');
    expect(JSON.parse(json)).toMatchObject({ card: { number: '****4242', cvc: '***' }, amountCents: 1999 });
  });
});
