// The Traces tab: recent traces, and one trace (`#/trace/<correlation or order id>`) as a timeline
// with one lane per quantum.
import type { Trace } from './api';
import { ApiError, api } from './api';
import type { LiveFeed } from './feed';
import { clock, duration, FAILED_OUTCOMES, h, replace, traceHref } from './view';

const RELATED_SHOWN = 5;

/** The tab's controls: `show(id)` displays a trace (the router calls it for `#/trace/<id>`). */
export interface TracesTab {
  show(id: string | undefined): Promise<void>;
}

/** Fills `panel` with the trace search ("Correlation or order id", "Show trace"), the recent traces and a trace. */
export function mountTraces(panel: HTMLElement, feed: LiveFeed): TracesTab {
  const input = h('input', {
    id: 'trace-id',
    type: 'search',
    placeholder: 'correlation id or order id',
    autocomplete: 'off',
  });
  const view = h('section', { 'aria-label': 'Trace', class: 'trace' });
  const recent = h('section', { 'aria-label': 'Recent traces', class: 'recent' });
  let current: string | undefined;
  replace(
    panel,
    h(
      'form',
      {
        class: 'filters',
        role: 'search',
        onsubmit: (e: Event) => {
          e.preventDefault();
          const id = input.value.trim();
          if (id !== '') location.hash = traceHref(id);
        },
      },
      h('label', { for: 'trace-id' }, 'Correlation or order id'),
      input,
      h('button', { type: 'submit' }, 'Show trace'),
    ),
    view,
    recent,
  );

  const renderRecent = async (): Promise<void> => {
    const traces = await api.traces();
    replace(
      recent,
      h('h2', {}, 'Recent traces'),
      traces.length === 0
        ? h('p', {}, 'No request has been traced yet.')
        : h(
            'ul',
            { class: 'traces' },
            ...traces.map((t) =>
              h(
                'li',
                { class: t.failed ? 'failed' : '' },
                h('a', { href: traceHref(t.correlationId) }, t.title),
                ` ${clock(t.startedAt)} · ${t.steps} steps · ${t.quanta.join(', ')}`,
                t.orderIds.length > 0 ? ` · order ${t.orderIds.join(', ')}` : '',
              ),
            ),
          ),
    );
  };

  const show = async (id: string | undefined): Promise<void> => {
    current = id;
    if (id === undefined) {
      replace(view);
      await renderRecent();
      return;
    }
    input.value = id;
    try {
      const trace = await api.trace(id);
      if (current === id) replace(view, ...timeline(trace));
    } catch (error) {
      const message =
        error instanceof ApiError && error.status === 404
          ? error.message
          : `The trace could not be read: ${(error as Error).message}`;
      if (current === id) replace(view, h('p', { role: 'alert' }, message));
    }
    await renderRecent();
  };

  // A trace being watched grows as its steps arrive (the saga runs on after the POST answered).
  let refresh: number | undefined;
  feed.subscribe(({ activity }) => {
    if (current === undefined || activity.length === 0 || refresh !== undefined) return;
    refresh = window.setTimeout(() => {
      refresh = undefined;
      if (current !== undefined && !panel.hidden) void show(current);
    }, 300);
  });
  return { show };
}

function timeline(trace: Trace): Node[] {
  const span = Math.max(1, trace.endedAt - trace.startedAt);
  const lanes = trace.quanta;
  const nodes: (HTMLElement | null)[] = [
    h('h2', {}, `Trace ${trace.correlationId}`),
    h(
      'p',
      { class: 'meta' },
      `${trace.steps.length} steps in ${duration(span)} across ${lanes.join(', ')}`,
      trace.orderIds.length > 0 ? ` · order ${trace.orderIds.join(', ')}` : '',
    ),
    trace.related.length > 0
      ? h(
          'p',
          { class: 'meta' },
          'Also carrying this order: ',
          ...trace.related.slice(0, RELATED_SHOWN).flatMap((r) => [h('a', { href: traceHref(r) }, r), ' ']),
          trace.related.length > RELATED_SHOWN ? `and ${trace.related.length - RELATED_SHOWN} more` : '',
        )
      : null,
    h(
      'ol',
      { class: 'steps', 'aria-label': 'Steps' },
      ...trace.steps.map((step) => {
        const offset = ((step.at - trace.startedAt) / span) * 100;
        const width = Math.max(0.6, ((step.durationMs ?? 0) / span) * 100);
        const bar = h('span', { class: `bar ${step.kind}` });
        bar.style.marginLeft = `${offset}%`;
        bar.style.width = `${Math.min(width, 100 - offset)}%`;
        return h(
          'li',
          {
            class: `step ${FAILED_OUTCOMES.has(step.outcome) ? 'failed' : ''}`,
            'data-quantum': step.quantum ?? '',
          },
          h('span', { class: 'offset' }, `+${duration(step.at - trace.startedAt) || '0 ms'}`),
          h('span', { class: `who q${Math.max(0, lanes.indexOf(step.quantum ?? ''))}` }, step.quantum ?? '—'),
          h(
            'span',
            { class: 'what' },
            step.title,
            step.error === undefined ? null : h('span', { class: 'error' }, ` ${step.error}`),
          ),
          h(
            'span',
            { class: 'took' },
            step.durationMs === undefined
              ? step.outcome
              : `${duration(step.durationMs)}${step.coldStart ? ' (cold)' : ''}`,
          ),
          h('span', { class: 'lane' }, bar),
        );
      }),
    ),
    trace.logs.length > 0
      ? h(
          'details',
          {},
          h('summary', {}, `${trace.logs.length} log lines`),
          h(
            'pre',
            { class: 'logs' },
            trace.logs.map((l) => `${clock(l.at)} [${l.functionId}] ${l.line}`).join('\n'),
          ),
        )
      : null,
  ];
  return nodes.filter((n): n is HTMLElement => n !== null);
}
