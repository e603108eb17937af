import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseEnvironment } from '../src/config/functionContext';
import { ConfigurationError } from '../src/errors';

describe('parseEnvironment', () => {
  it('returns the parsed configuration', () => {
    // Arrange
    const schema = z.object({ TABLE_NAME: z.string().min(1), TTL: z.coerce.number().int() });

    // Act
    const env = parseEnvironment(schema, { TABLE_NAME: 't', TTL: '60', OTHER: 'x' });

    // Assert
    expect(env).toEqual({ TABLE_NAME: 't', TTL: 60 });
  });

  it('names each bad variable with its value and redacts secrets', () => {
    // Arrange
    const schema = z.object({ TTL: z.coerce.number().int(), SIGNING_KEYS_JWK: z.string().startsWith('[') });

    // Act
    const parse = () => parseEnvironment(schema, { TTL: 'soon', SIGNING_KEYS_JWK: 'private-key-material' });

    // Assert
    expect(parse).toThrow(ConfigurationError);
    expect(parse).toThrow(/TTL: .* \(got "soon"\)/);
    expect(parse).toThrow(/SIGNING_KEYS_JWK: .* \(got <redacted>\)/);
    expect(parse).not.toThrow(/private-key-material/);
  });
});
