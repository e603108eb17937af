import type { ServerFrame } from '@quanta/contracts/chat';
import { describe, expect, it, vi } from 'vitest';
import { Broadcaster } from '../service/Broadcaster';
import { inParallel } from '../service/inParallel';
import { FakeConnectionGateway } from './fakes/FakeConnectionGateway';
import { RecordingFanoutQueue } from './fakes/fakes';
import { InMemoryChat } from './fakes/InMemoryChat';

const frame: ServerFrame = { type: 'left', roomId: 'r-1' };

/** A room `r-1` (and its store) with `count` member connections `c0`…, all open. */
async function roomOf(count: number) {
  const store = new InMemoryChat();
  await store.roomRepository.create({
    roomId: 'r-1',
    name: 'Big',
    createdBy: 'u',
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  const ids = Array.from({ length: count }, (_, i) => `c${i}`);
  for (const connectionId of ids) {
    store.connections.set(connectionId, {
      connectionId,
      userId: `u${connectionId}`,
      sessionId: 's',
      displayName: connectionId,
      connectedAt: '2026-01-01T00:00:00.000Z',
      rooms: ['r-1'],
    });
  }
  return { store, ids, gateway: new FakeConnectionGateway(ids), fanout: new RecordingFanoutQueue() };
}

describe('Broadcaster', () => {
  it('never has more than 20 pushes in flight', async () => {
    // Arrange
    const { store, gateway } = await roomOf(60);
    gateway.delayMs = 5;
    const broadcaster = new Broadcaster({ gateway, connections: store.connectionRepository });

    // Act
    const report = await broadcaster.toRoom('r-1', frame);

    // Assert
    expect(report).toMatchObject({ delivered: 60, gone: 0, failed: 0, queued: 0 });
    expect(gateway.maxInFlight).toBe(20);
  });

  it('forgets gone connections and counts failed ones without stopping the rest', async () => {
    // Arrange
    const { store, gateway } = await roomOf(10);
    gateway.open.delete('c3');
    gateway.open.delete('c7');
    gateway.failing.add('c5');
    const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const broadcaster = new Broadcaster({ gateway, connections: store.connectionRepository, log });

    // Act
    const report = await broadcaster.toRoom('r-1', frame);

    // Assert
    expect(report).toMatchObject({ delivered: 7, gone: 2, failed: 1 });
    expect(store.connections.has('c3') || store.connections.has('c7')).toBe(false);
    expect(store.connections.has('c5')).toBe(true);
    expect(log.warn).toHaveBeenCalledWith(
      'Frame not delivered',
      expect.objectContaining({ connectionId: 'c5' }),
    );
  });

  it('delivers a room of 100 members itself', async () => {
    // Arrange
    const { store, gateway, fanout } = await roomOf(100);
    const broadcaster = new Broadcaster({ gateway, connections: store.connectionRepository, fanout });

    // Act
    const report = await broadcaster.toRoom('r-1', frame);

    // Assert
    expect(report.delivered).toBe(100);
    expect(fanout.batches).toEqual([]);
  });

  it('hands a room of 250 members to the fan-out queue in batches of 100, pushing nothing itself', async () => {
    // Arrange
    const { store, gateway, fanout, ids } = await roomOf(250);
    const broadcaster = new Broadcaster({ gateway, connections: store.connectionRepository, fanout });

    // Act
    const report = await broadcaster.toRoom('r-1', frame);

    // Assert
    expect(report).toMatchObject({ delivered: 0, queued: 250, batches: 3 });
    expect(fanout.batches.map((b) => b.connectionIds.length)).toEqual([100, 100, 50]);
    expect(fanout.batches.flatMap((b) => b.connectionIds).sort()).toEqual([...ids].sort());
    expect(fanout.batches.every((b) => b.frame === frame)).toBe(true);
    expect(gateway.frames.size).toBe(0);
  });

  it('pushes each connection once even when listed twice', async () => {
    // Arrange
    const { store, gateway } = await roomOf(1);
    const broadcaster = new Broadcaster({ gateway, connections: store.connectionRepository });

    // Act
    await broadcaster.deliver(['c0', 'c0'], frame);

    // Assert
    expect(gateway.framesOf('c0')).toEqual([frame]);
  });
});

describe('inParallel', () => {
  it('keeps the items’ order in its results and reports failures instead of throwing', async () => {
    // Act
    const results = await inParallel([3, 0, 1], 2, async (n) => {
      if (n === 0) throw new Error('zero');
      await new Promise((r) => setTimeout(r, n));
      return n * 10;
    });

    // Assert
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      30,
      'zero',
      10,
    ]);
  });
});
