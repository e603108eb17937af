import { describe, expect, it } from 'vitest';
import { redactCardNumbers } from '../src/observability/Observability';

describe('redactCardNumbers', () => {
  it.each([
    ['a bare number in JSON', '{"number":"4242424242424242"}', '{"number":"****4242"}'],
    ['a number grouped by spaces', 'card 4000 0000 0000 0002 failed', 'card ****0002 failed'],
    ['a number grouped by dashes', '4000-0000-0000-0119', '****0119'],
    ['a number glued to letters', 'pan4242424242424242x', 'pan****4242x'],
    ['a number inside a longer digit run', '00004242424242424242424242', '****4242'],
    ['a 12-digit JSON number', '{"number":424242424242}', '{"number":****4242}'],
    ['a CVC in JSON', '{"card":{"cvc":"987"}}', '{"card":{"cvc":"***"}}'],
  ])('masks %s down to its last four digits', (_case, text, masked) => {
    // Act
    const redacted = redactCardNumbers(text);

    // Assert
    expect(redacted).toBe(masked);
  });

  it('leaves short numbers, ids, timestamps and ARN account ids alone', () => {
    // Arrange
    const text =
      '{"orderId":"1234","at":"2030-01-01T00:00:00.000Z","cents":1999,"fn":"arn:aws:lambda:eu-west-1:111111111111:function:f"}';

    // Act
    const redacted = redactCardNumbers(text);

    // Assert
    expect(redacted).toBe(text);
  });
});
