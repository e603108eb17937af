import { describe, expect, it } from 'vitest';
import { SimulatedCardProcessor, TEST_CARDS } from '../adapters/SimulatedCardProcessor';
import { PaymentCard } from '../domain/PaymentCard';

function request(number: string, paymentId = 'pay-1') {
  return { paymentId, amountCents: 1999, currency: 'EUR', card: PaymentCard.of({ number }) };
}

describe('SimulatedCardProcessor', () => {
  it.each([
    [TEST_CARDS.declined, { outcome: 'DECLINED', reason: 'CARD_DECLINED' }],
    [TEST_CARDS.insufficientFunds, { outcome: 'DECLINED', reason: 'INSUFFICIENT_FUNDS' }],
    [TEST_CARDS.processingError, { outcome: 'PROCESSING_ERROR' }],
    ['4242424242424241', { outcome: 'DECLINED', reason: 'INVALID_CARD' }],
    ['1234567812345678', { outcome: 'DECLINED', reason: 'INVALID_CARD' }],
  ])('answers card %s with %o', async (number, expected) => {
    // Arrange
    const processor = new SimulatedCardProcessor();

    // Act
    const result = await processor.authorize(request(number));

    // Assert
    expect(result).toMatchObject(expected);
  });

  it.each([TEST_CARDS.authorized, '5555555555554444', '378282246310005'])(
    'authorizes the Luhn-valid card %s',
    async (number) => {
      // Arrange
      const processor = new SimulatedCardProcessor();

      // Act
      const result = await processor.authorize(request(number));

      // Assert
      expect(result).toMatchObject({
        outcome: 'AUTHORIZED',
        authorizationCode: expect.stringMatching(/^SIM-/),
      });
    },
  );

  it('answers the same authorization code for the same payment id (idempotent) and another for another', async () => {
    // Arrange
    const processor = new SimulatedCardProcessor();

    // Act
    const first = await processor.authorize(request(TEST_CARDS.authorized, 'pay-a'));
    const again = await processor.authorize(request(TEST_CARDS.authorized, 'pay-a'));
    const other = await processor.authorize(request(TEST_CARDS.authorized, 'pay-b'));

    // Assert
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('never puts the card number in its answer', async () => {
    // Arrange
    const processor = new SimulatedCardProcessor();

    // Act
    const results = await Promise.all(Object.values(TEST_CARDS).map((n) => processor.authorize(request(n))));

    // Assert
    for (const [i, number] of Object.values(TEST_CARDS).entries()) {
      expect(JSON.stringify(results[i])).not.toContain(number);
    }
  });
});
