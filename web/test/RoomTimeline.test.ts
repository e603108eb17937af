import type { Message } from '@quanta/contracts/chat';
import { describe, expect, it } from 'vitest';
import { RoomTimeline } from '../src/RoomTimeline';

function message(seq: number): Message {
  return {
    roomId: 'room-1',
    seq,
    messageId: `m-${seq}`,
    userId: 'u-1',
    displayName: 'Ann',
    text: `text ${seq}`,
    sentAt: '2026-12-01T10:00:00.000Z',
  };
}
const range = (from: number, to: number): Message[] =>
  Array.from({ length: to - from + 1 }, (_, i) => message(from + i));

describe('RoomTimeline', () => {
  it('orders frames by seq, drops the ones it already holds, and asks the history for a gap', () => {
    const timeline = new RoomTimeline();
    timeline.anchor(3, 50);
    timeline.add(range(1, 3));

    const added = timeline.add([message(6), message(4), message(4)]);

    expect(added.map((m) => m.seq)).toEqual([4, 6]);
    expect(timeline.lastSeq).toBe(4);
    expect(timeline.missing(100)).toEqual({ after: 4, limit: 2 });
    timeline.add([message(5)]);
    expect(timeline.missing(100)).toBeUndefined();
    expect(timeline.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('opens on the newest messages and reads older pages down to the first', () => {
    const timeline = new RoomTimeline();
    timeline.anchor(120, 50);

    expect(timeline.missing(100)).toEqual({ after: 70, limit: 50 });
    timeline.add(range(71, 120));
    const older = timeline.older(50);
    expect(older).toEqual({ after: 20, limit: 50 });
    timeline.addOlder(older ?? { after: 0, limit: 0 }, range(21, 70));
    const oldest = timeline.older(50);
    expect(oldest).toEqual({ after: 0, limit: 20 });
    timeline.addOlder(oldest ?? { after: 0, limit: 0 }, range(1, 20));

    expect(timeline.hasOlder).toBe(false);
    expect(timeline.older(50)).toBeUndefined();
    expect(timeline.messages.map((m) => m.seq)).toEqual(range(1, 120).map((m) => m.seq));
  });

  it('keeps live frames that came before the room was joined, and resyncs after a rejoin', () => {
    const timeline = new RoomTimeline();
    timeline.add([message(11)]);
    timeline.anchor(10, 50);

    expect(timeline.missing(100)).toEqual({ after: 0, limit: 11 });
    timeline.add(range(1, 10));
    expect(timeline.lastSeq).toBe(11);
    timeline.anchor(15, 50);
    expect(timeline.missing(100)).toEqual({ after: 11, limit: 4 });
  });
});
