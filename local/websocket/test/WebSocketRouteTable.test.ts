import { describe, expect, it } from 'vitest';
import { WebSocketConfigurationError } from '../errors';
import { WebSocketRouteTable } from '../WebSocketRouteTable';

const route = (routeKey: string) => ({ routeKey, functionId: 'chat.ws' });

describe('WebSocketRouteTable', () => {
  const table = WebSocketRouteTable.from(['$connect', '$disconnect', '$default', 'join', 'send'].map(route));
  const noDefault = WebSocketRouteTable.from(['$connect', 'send'].map(route));

  it('selects the custom route a JSON message names in its action', () => {
    // Act / Assert
    expect(table.select('{"action":"join","roomId":"r-1"}')?.routeKey).toBe('join');
    expect(table.select('  {"text":"hi","action":"send"}')?.routeKey).toBe('send');
  });

  it('selects $default for text, arrays, unknown actions, non-string actions and predefined keys', () => {
    // Act / Assert
    for (const message of [
      'hello',
      '["send"]',
      '{"action":"dance"}',
      '{"action":1}',
      '{"action":"$disconnect"}',
      '{bad json',
      '',
    ]) {
      expect(table.select(message)?.routeKey, message).toBe('$default');
    }
  });

  it('selects nothing when no route matches and there is no $default', () => {
    // Act / Assert
    expect(noDefault.select('{"action":"dance"}')).toBeUndefined();
    expect(noDefault.select('{"action":"$connect"}')).toBeUndefined();
    expect(noDefault.select('{"action":"send"}')?.routeKey).toBe('send');
  });

  it('exposes the $connect and $disconnect routes when declared', () => {
    // Act / Assert
    expect(table.connect?.routeKey).toBe('$connect');
    expect(table.disconnect?.routeKey).toBe('$disconnect');
    expect(noDefault.disconnect).toBeUndefined();
  });

  it('rejects reserved, repeated, empty and too long route keys and empty function ids', () => {
    // Act / Assert
    expect(() => WebSocketRouteTable.from([route('$ping')])).toThrow(WebSocketConfigurationError);
    expect(() => WebSocketRouteTable.from([route('send'), route('send')])).toThrow(
      /'send' is declared twice/,
    );
    expect(() => WebSocketRouteTable.from([route('')])).toThrow(/1 to 128 characters/);
    expect(() => WebSocketRouteTable.from([route('x'.repeat(129))])).toThrow(/1 to 128 characters/);
    expect(() => WebSocketRouteTable.from([{ routeKey: 'send', functionId: '' }])).toThrow(
      /empty functionId/,
    );
  });
});
