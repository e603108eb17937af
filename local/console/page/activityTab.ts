// The Activity tab: every invocation, bus event, SQS message change and WebSocket push, newest first,
// filtered in the page; a row opens its full record.
import type { ActivityEntry, ConsoleStatus } from './api';
import { api } from './api';
import type { LiveFeed } from './feed';
import { clock, duration, FAILED_OUTCOMES, h, replace, traceHref } from './view';

const SHOWN = 500;

/** Fills `panel` with the activity list and its filters ("Filter", "Kind", "Quantum", "Failures only"). */
export function mountActivity(panel: HTMLElement, feed: LiveFeed, status: ConsoleStatus): void {
  const text = h('input', {
    type: 'search',
    id: 'activity-text',
    placeholder: 'function, title, correlation or order id',
  });
  const kind = h(
    'select',
    { id: 'activity-kind' },
    h('option', { value: '' }, 'All'),
    h('option', { value: 'invocation' }, 'Invocations'),
    h('option', { value: 'event' }, 'Events'),
    h('option', { value: 'message' }, 'SQS messages'),
    h('option', { value: 'push' }, 'WebSocket pushes'),
  );
  const quantum = h(
    'select',
    { id: 'activity-quantum' },
    h('option', { value: '' }, 'All'),
    ...status.quanta.map((q) => h('option', { value: q.name }, q.name)),
  );
  const failures = h('input', { type: 'checkbox', id: 'activity-failures' });
  const count = h('span', { class: 'count', 'aria-live': 'polite' });
  const body = h('tbody');
  const table = h(
    'table',
    { 'aria-label': 'Activity', class: 'activity' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Time', 'Kind', 'Quantum', 'What', 'Duration', 'Cold start', 'Outcome'].map((c) =>
          h('th', { scope: 'col' }, c),
        ),
      ),
    ),
    body,
  );
  const detail = h('section', { 'aria-label': 'Activity detail', class: 'detail', hidden: true });
  replace(
    panel,
    h(
      'form',
      { class: 'filters', role: 'search', onsubmit: (e: Event) => e.preventDefault() },
      h('label', { for: 'activity-text' }, 'Filter'),
      text,
      h('label', { for: 'activity-kind' }, 'Kind'),
      kind,
      h('label', { for: 'activity-quantum' }, 'Quantum'),
      quantum,
      h('label', { class: 'check' }, failures, 'Failures only'),
      count,
    ),
    h('div', { class: 'split' }, h('div', { class: 'scroll' }, table), detail),
  );

  const matches = (row: ActivityEntry): boolean => {
    const needle = text.value.trim().toLowerCase();
    return (
      (kind.value === '' || row.kind === kind.value) &&
      (quantum.value === '' || row.quantum === quantum.value) &&
      (!failures.checked || FAILED_OUTCOMES.has(row.outcome)) &&
      (needle === '' ||
        row.title.toLowerCase().includes(needle) ||
        row.correlationIds.some((c) => c.toLowerCase().includes(needle)) ||
        row.orderIds.some((o) => o.toLowerCase().includes(needle)))
    );
  };

  const open = async (row: ActivityEntry): Promise<void> => {
    detail.hidden = false;
    replace(detail, h('p', {}, 'Loading…'));
    try {
      const full = await api.detail(row.seq);
      replace(
        detail,
        h('h3', {}, row.title),
        ...[...row.correlationIds, ...row.orderIds].map((id) =>
          h('p', {}, h('a', { href: traceHref(id) }, `Trace of ${id}`)),
        ),
        h('pre', { 'aria-label': 'Record' }, full.raw),
      );
    } catch (error) {
      replace(detail, h('p', { role: 'alert' }, (error as Error).message));
    }
  };

  let scheduled = false;
  const render = (): void => {
    scheduled = false;
    const rows = feed.activity.filter(matches);
    const shown = rows.slice(-SHOWN).reverse();
    count.textContent = `${rows.length} of ${feed.activity.length} rows${rows.length > SHOWN ? `, newest ${SHOWN} shown` : ''}`;
    replace(
      body,
      ...shown.map((row) =>
        h(
          'tr',
          {
            class: `${FAILED_OUTCOMES.has(row.outcome) ? 'failed' : ''} ${row.id.includes('.') ? 'sub' : ''}`,
            tabindex: 0,
            onclick: () => void open(row),
            onkeydown: (e: Event) => {
              if ((e as KeyboardEvent).key === 'Enter') void open(row);
            },
          },
          h('td', { class: 'time' }, clock(row.at)),
          h('td', {}, row.kind),
          h('td', {}, row.quantum ?? ''),
          h(
            'td',
            { class: 'title' },
            row.title,
            row.error === undefined ? null : h('div', { class: 'error' }, row.error),
          ),
          h('td', { class: 'num' }, duration(row.durationMs)),
          h('td', {}, row.coldStart === true ? 'cold' : ''),
          h('td', { class: `outcome ${row.outcome}` }, row.outcome),
        ),
      ),
    );
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(render);
  };
  for (const control of [text, kind, quantum, failures]) control.addEventListener('input', schedule);
  feed.subscribe(schedule);
  render();
}
