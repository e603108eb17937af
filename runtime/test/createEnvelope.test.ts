import { defineEvent } from '@quanta/contracts/envelope';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEnvelope } from '../src/events/outbox';

const Pinged = defineEvent('shop', 'Pinged', 2, z.object({ n: z.number() }));

describe('createEnvelope', () => {
  it('fills id, type, version, source and time and defaults the causation id to the correlation id', () => {
    // Arrange
    const occurredAt = new Date('2026-01-02T03:04:05.000Z');

    // Act
    const envelope = createEnvelope(Pinged, { n: 1 }, { correlationId: 'corr-1', occurredAt });

    // Assert
    expect(envelope).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      type: 'Pinged',
      version: 2,
      source: 'quanta.shop',
      occurredAt: '2026-01-02T03:04:05.000Z',
      correlationId: 'corr-1',
      causationId: 'corr-1',
      data: { n: 1 },
    });
  });

  it('refuses data that does not match the contract', () => {
    // Arrange
    const build = () =>
      createEnvelope(Pinged, { n: 'one' } as unknown as { n: number }, { correlationId: 'c' });

    // Act + Assert
    expect(build).toThrow();
  });
});
