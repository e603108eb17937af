import type { ServerFrame } from '@quanta/contracts/chat';
import { describe, expect, it } from 'vitest';
import { LazyFanoutQueue } from '../adapters/LazyFanoutQueue';
import { RecordingFanoutQueue } from './fakes/fakes';

const batch = { frame: { type: 'left', roomId: 'r-1' } as ServerFrame, connectionIds: ['c1', 'c2'] };

describe('LazyFanoutQueue', () => {
  it('loads nothing until the first enqueue, then loads once for concurrent and later calls', async () => {
    const queue = new RecordingFanoutQueue();
    let loads = 0;
    const lazy = new LazyFanoutQueue(async () => {
      loads++;
      return queue;
    });
    expect(loads).toBe(0);
    await Promise.all([lazy.enqueue([batch]), lazy.enqueue([batch])]);
    await lazy.enqueue([batch]);
    expect(loads).toBe(1);
    expect(queue.batches).toHaveLength(3);
  });

  it('rejects an enqueue whose load fails and loads again on the next one', async () => {
    const queue = new RecordingFanoutQueue();
    let loads = 0;
    const lazy = new LazyFanoutQueue(async () => {
      loads++;
      if (loads === 1) throw new Error('chunk not found');
      return queue;
    });
    await expect(lazy.enqueue([batch])).rejects.toThrow('chunk not found');
    await lazy.enqueue([batch]);
    expect(loads).toBe(2);
    expect(queue.batches).toEqual([batch]);
  });

  it("passes the loaded queue's own failure on, without loading again", async () => {
    let loads = 0;
    const lazy = new LazyFanoutQueue(async () => {
      loads++;
      return {
        enqueue: async () => {
          throw new Error('SQS refused');
        },
      };
    });
    await expect(lazy.enqueue([batch])).rejects.toThrow('SQS refused');
    await expect(lazy.enqueue([batch])).rejects.toThrow('SQS refused');
    expect(loads).toBe(1);
  });
});
