import { createRoomRequestSchema, type Message, type Room, sendFrameSchema } from '@quanta/contracts/chat';
import { field, h, statusLine } from '../dom';
import { invalidInputSentence, sentenceOf } from '../errors';
import { RoomTimeline } from '../RoomTimeline';
import type { Page } from '../router';

/** Rooms per page of the list. */
const ROOMS_PAGE_SIZE = 50;
/** Messages shown when a room opens, and read per scroll to the top. */
const WINDOW = 50;
/** Most messages one history call returns (the API's limit). */
const HISTORY_PAGE = 100;

/** `/chat`: the rooms, and "Room name" + "Create room". */
export const roomsPage: Page = (app) => {
  const list = h('ul', { class: 'rooms', 'aria-label': 'Rooms', 'aria-busy': 'true' });
  const error = statusLine('alert');
  const more = h('button', { type: 'button', hidden: true }, 'More rooms');
  let cursor: string | undefined;
  let disposed = false;

  const loadPage = (): void => {
    app.api.listRooms({ limit: ROOMS_PAGE_SIZE, cursor }).then(
      (page) => {
        if (disposed) return;
        list.append(...page.items.map((room) => roomLink(room)));
        if (list.childElementCount === 0) list.append(h('li', { class: 'empty' }, 'No rooms yet.'));
        cursor = page.nextCursor;
        more.hidden = cursor === undefined;
        list.setAttribute('aria-busy', 'false');
      },
      (failure: unknown) => {
        if (!disposed) error.textContent = sentenceOf(failure);
        list.setAttribute('aria-busy', 'false');
      },
    );
  };
  more.addEventListener('click', loadPage);
  loadPage();

  const name = h('input', { type: 'text', name: 'name', maxlength: 80, required: true });
  const formError = statusLine('alert');
  const submit = h('button', { type: 'submit' }, 'Create room');
  const form = h(
    'form',
    {
      novalidate: true,
      onsubmit: (event: Event) => {
        event.preventDefault();
        const parsed = createRoomRequestSchema.safeParse({ name: name.value });
        if (!parsed.success) {
          formError.textContent = invalidInputSentence(parsed.error.issues, { name: 'Room name' });
          return;
        }
        submit.disabled = true;
        formError.textContent = '';
        app.api.createRoom(parsed.data).then(
          (room) => app.navigate(roomPath(room.roomId, room.name)),
          (failure: unknown) => {
            submit.disabled = false;
            formError.textContent = sentenceOf(failure);
          },
        );
      },
    },
    field('Room name', name),
    formError,
    submit,
  );

  return {
    title: 'Chat',
    element: h('section', {}, h('h1', {}, 'Chat'), form, h('h2', {}, 'Rooms'), error, list, more),
    dispose: () => {
      disposed = true;
    },
  };
};

function roomPath(roomId: string, name: string): string {
  return `/chat/${encodeURIComponent(roomId)}?name=${encodeURIComponent(name)}`;
}

function roomLink(room: Room): HTMLLIElement {
  return h('li', {}, h('a', { href: roomPath(room.roomId, room.name), 'data-link': true }, room.name));
}

/** A message the person sent that the server has not acknowledged yet. */
interface Outgoing {
  readonly clientMessageId: string;
  readonly text: string;
  readonly element: HTMLLIElement;
}

/**
 * `/chat/{roomId}`: the room's messages, live. Joining answers `joined` with the room's last `seq`;
 * the newest messages are read from the history, live `message` frames are merged by `seq` (a
 * {@link RoomTimeline}), a gap is filled from the history, and scrolling to the top reads older pages.
 * After a reconnection the connection re-joins, and everything after the last `seq` held is read
 * again. A message sent while disconnected waits and is re-sent with its `clientMessageId` (the
 * server stores it once), so a reconnection loses nothing in either direction.
 */
export const roomPage: Page = (app, params, query) => {
  const roomId = params.roomId ?? '';
  const timeline = new RoomTimeline();
  const log = h('ol', { class: 'messages', role: 'log', 'aria-label': 'Conversation', tabindex: 0 });
  const older = h('p', { class: 'older', hidden: true }, 'Scroll up for older messages.');
  const error = statusLine('alert');
  const liveState = h('p', { class: 'live-state', 'aria-live': 'polite' });
  const outgoing = new Map<string, Outgoing>();
  let filling = false;
  let loadingOlder = false;
  let disposed = false;

  const render = (messages: readonly Message[]): void => {
    for (const message of messages) {
      const element = messageItem(message);
      const after = [...log.children].find(
        (child) => child instanceof HTMLElement && Number(child.dataset.seq) > message.seq,
      );
      if (after === undefined) log.append(element);
      else after.before(element);
    }
  };
  const nearBottom = (): boolean => log.scrollHeight - log.scrollTop - log.clientHeight < 60;
  const addLive = (messages: readonly Message[]): void => {
    const stick = nearBottom();
    render(timeline.add(messages));
    if (stick) log.scrollTop = log.scrollHeight;
  };

  /** Reads the history until nothing is missing up to the newest known `seq`. */
  const fill = async (): Promise<void> => {
    if (filling) return;
    filling = true;
    let progressed = false;
    try {
      let range = timeline.missing(HISTORY_PAGE);
      while (range !== undefined && !disposed) {
        const page = await app.api.history(roomId, range.after, range.limit);
        if (disposed) return;
        addLive(page.items);
        progressed ||= page.items.length > 0;
        const next = timeline.missing(HISTORY_PAGE);
        // The history has nothing more for the range yet: stop; the next frame or rejoin asks again.
        if (page.items.length === 0 || next?.after === range.after) break;
        range = next;
      }
      older.hidden = !timeline.hasOlder;
    } catch (failure) {
      if (!disposed) error.textContent = sentenceOf(failure);
    } finally {
      filling = false;
    }
    // A gap that opened while the last page was in flight.
    if (progressed && !disposed && timeline.missing(HISTORY_PAGE) !== undefined) await fill();
  };

  const loadOlder = async (): Promise<void> => {
    const range = timeline.older(WINDOW);
    if (range === undefined || loadingOlder) return;
    loadingOlder = true;
    older.hidden = false;
    older.textContent = 'Loading older messages…';
    const fromBottom = log.scrollHeight - log.scrollTop;
    try {
      const page = await app.api.history(roomId, range.after, range.limit);
      if (disposed) return;
      render(timeline.addOlder(range, page.items));
      log.scrollTop = log.scrollHeight - fromBottom;
    } catch (failure) {
      if (!disposed) error.textContent = sentenceOf(failure);
    } finally {
      loadingOlder = false;
      older.textContent = 'Scroll up for older messages.';
      older.hidden = !timeline.hasOlder;
    }
  };
  log.addEventListener('scroll', () => {
    if (log.scrollTop < 40) void loadOlder();
  });

  const sendPending = (): void => {
    for (const message of outgoing.values()) {
      app.live.send({ action: 'send', roomId, text: message.text, clientMessageId: message.clientMessageId });
    }
  };

  const offFrame = app.live.onFrame((frame) => {
    switch (frame.type) {
      case 'joined':
        if (frame.roomId !== roomId) return;
        timeline.anchor(frame.lastSeq, WINDOW);
        sendPending();
        void fill().then(() => {
          log.scrollTop = log.scrollHeight;
        });
        return;
      case 'message':
        if (frame.roomId !== roomId) return;
        addLive([frame]);
        if (timeline.anchored && timeline.missing(HISTORY_PAGE) !== undefined) void fill();
        return;
      case 'ack': {
        const sent = outgoing.get(frame.clientMessageId);
        if (sent === undefined) return;
        outgoing.delete(frame.clientMessageId);
        sent.element.remove();
        return;
      }
      case 'error':
        error.textContent = sentenceOf(frame.code);
        return;
      default:
        return;
    }
  });
  const describeState = (state: string): void => {
    liveState.textContent = state === 'open' ? 'Connected.' : 'Reconnecting…';
  };
  describeState(app.live.state);
  const offState = app.live.onState(describeState);
  app.live.join(roomId);

  const text = h('input', { type: 'text', name: 'text', autocomplete: 'off', required: true });
  const pending = h('ul', { class: 'pending', 'aria-label': 'Sending' });
  const form = h(
    'form',
    {
      class: 'composer',
      novalidate: true,
      onsubmit: (event: Event) => {
        event.preventDefault();
        const clientMessageId = crypto.randomUUID();
        const parsed = sendFrameSchema.safeParse({
          action: 'send',
          roomId,
          text: text.value,
          clientMessageId,
        });
        if (!parsed.success) {
          error.textContent = invalidInputSentence(parsed.error.issues, { text: 'Message' });
          return;
        }
        error.textContent = '';
        const element = h('li', { class: 'sending' }, `${parsed.data.text} (sending…)`);
        pending.append(element);
        outgoing.set(clientMessageId, { clientMessageId, text: parsed.data.text, element });
        // Not open: it goes when the room is joined again.
        app.live.send(parsed.data);
        text.value = '';
        text.focus();
      },
    },
    field('Message', text),
    h('button', { type: 'submit' }, 'Send'),
  );

  const name = query.get('name') ?? 'Room';
  return {
    title: name,
    element: h(
      'section',
      { class: 'room' },
      h('p', {}, h('a', { href: '/chat', 'data-link': true }, '← All rooms')),
      h('h1', {}, name),
      liveState,
      older,
      log,
      pending,
      error,
      form,
    ),
    dispose: () => {
      disposed = true;
      offFrame();
      offState();
      app.live.leave(roomId);
    },
  };
};

function messageItem(message: Message): HTMLLIElement {
  return h(
    'li',
    { 'data-seq': message.seq },
    h('span', { class: 'author' }, message.displayName),
    ': ',
    h('span', { class: 'text' }, message.text),
    h('time', { datetime: message.sentAt }, new Date(message.sentAt).toLocaleTimeString()),
  );
}
