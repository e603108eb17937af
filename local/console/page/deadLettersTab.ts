// The Dead letters tab: every dead-letter queue of the plan (a region named after the queue) with
// its messages and a "Redrive" button.
import type { DeadLetterQueueState } from './api';
import { api } from './api';
import type { LiveFeed } from './feed';
import { clock, h, replace, traceHref } from './view';

/** The tab's controls: `refresh()` reads the queues again (the router calls it when the tab opens). */
export interface DeadLettersTab {
  refresh(): Promise<void>;
}

/** Fills `panel` with one region per dead-letter queue, the non-empty ones first. */
export function mountDeadLetters(panel: HTMLElement, feed: LiveFeed): DeadLettersTab {
  const status = h('p', { role: 'status', class: 'status' });
  const list = h('div', { class: 'dlqs' });
  const refresh = async (): Promise<void> => {
    const queues = await api.deadLetters();
    replace(list, ...queues.map((queue) => section(queue)));
  };
  const redrive = async (queue: DeadLetterQueueState, button: HTMLButtonElement): Promise<void> => {
    button.disabled = true;
    status.textContent = `Redriving ${queue.name}…`;
    try {
      const result = await api.redrive(queue.name);
      status.textContent =
        `Moved ${result.moved} message${result.moved === 1 ? '' : 's'} from ${result.queue} to ${result.to}` +
        (result.failed.length > 0
          ? `; ${result.failed.length} not moved: ${result.failed.map((f) => f.reason).join('; ')}`
          : '.');
    } catch (error) {
      status.textContent = `Redrive of ${queue.name} failed: ${(error as Error).message}`;
    }
    await refresh();
  };
  const section = (queue: DeadLetterQueueState): HTMLElement => {
    const button = h(
      'button',
      {
        type: 'button',
        disabled: !queue.redrivable || queue.depth === 0,
        title: queue.redrivable
          ? `Move every message back to ${queue.source}`
          : 'An on-failure destination: no source queue to move its records to',
      },
      'Redrive',
    );
    button.addEventListener('click', () => void redrive(queue, button));
    return h(
      'section',
      { 'aria-label': queue.name, class: `dlq ${queue.depth > 0 ? 'holding' : 'empty'}` },
      h(
        'h3',
        {},
        queue.name,
        h('span', { class: 'depth' }, ` ${queue.depth} message${queue.depth === 1 ? '' : 's'}`),
      ),
      h(
        'p',
        { class: 'meta' },
        queue.kind === 'queue'
          ? `Dead letters of ${queue.source} (consumer ${queue.functionId}, after ${queue.maxReceiveCount} receives).`
          : `Failed runs of ${queue.functionId} (${queue.kind === 'schedule' ? 'schedule' : 'outbox relay'}).`,
        ' ',
        button,
      ),
      queue.messages.length === 0
        ? null
        : h(
            'table',
            { 'aria-label': `Messages of ${queue.name}` },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...['Sent', 'Type', 'Receives', 'Trace', 'Body'].map((c) => h('th', { scope: 'col' }, c)),
              ),
            ),
            h(
              'tbody',
              {},
              ...queue.messages.map((m) =>
                h(
                  'tr',
                  {},
                  h('td', { class: 'time' }, clock(m.sentAt)),
                  h('td', {}, m.type),
                  h('td', { class: 'num' }, m.receiveCount),
                  h('td', {}, ...m.correlationIds.map((c) => h('a', { href: traceHref(c) }, c))),
                  h('td', {}, h('code', { class: 'body' }, m.body)),
                ),
              ),
            ),
          ),
    );
  };
  replace(
    panel,
    h(
      'p',
      { class: 'hint' },
      'Redrive moves a queue’s dead letters back to its source queue (received, sent, then deleted: nothing is deleted before it is sent). ',
      h('button', { type: 'button', onclick: () => void refresh() }, 'Refresh'),
    ),
    status,
    list,
  );
  // Depths change when a message is dead-lettered or leaves a DLQ.
  let pending: number | undefined;
  feed.subscribe(({ activity }) => {
    if (panel.hidden || pending !== undefined) return;
    if (
      !activity.some(
        (row) => row.kind === 'message' && (row.outcome === 'dead-lettered' || row.title.includes('-dlq')),
      )
    )
      return;
    pending = window.setTimeout(() => {
      pending = undefined;
      void refresh();
    }, 300);
  });
  return { refresh };
}
