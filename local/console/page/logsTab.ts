// The Logs tab: function log lines, filtered by quantum, function and correlation id.
import type { ConsoleStatus, LogEntry } from './api';
import type { LiveFeed } from './feed';
import { clock, h, replace } from './view';

const SHOWN = 1000;

/** Fills `panel` with the log lines and their filters ("Quantum", "Function", "Correlation id"). */
export function mountLogs(panel: HTMLElement, feed: LiveFeed, status: ConsoleStatus): void {
  const quantum = h(
    'select',
    { id: 'logs-quantum' },
    h('option', { value: '' }, 'All'),
    ...status.quanta.map((q) => h('option', { value: q.name }, q.name)),
  );
  const fn = h(
    'select',
    { id: 'logs-function' },
    h('option', { value: '' }, 'All'),
    ...status.quanta.flatMap((q) => q.functions.map((f) => h('option', { value: f }, f))),
  );
  const correlation = h('input', { id: 'logs-correlation', type: 'search', autocomplete: 'off' });
  const lines = h('pre', { class: 'logs', 'aria-label': 'Log lines', tabindex: 0 });
  const note = h('p', { class: 'hint' });
  replace(
    panel,
    h(
      'form',
      { class: 'filters', role: 'search', onsubmit: (e: Event) => e.preventDefault() },
      h('label', { for: 'logs-quantum' }, 'Quantum'),
      quantum,
      h('label', { for: 'logs-function' }, 'Function'),
      fn,
      h('label', { for: 'logs-correlation' }, 'Correlation id'),
      correlation,
    ),
    note,
    lines,
  );
  const matches = (line: LogEntry): boolean =>
    (quantum.value === '' || line.quantum === quantum.value) &&
    (fn.value === '' || line.functionId === fn.value) &&
    (correlation.value.trim() === '' || line.line.includes(correlation.value.trim()));
  let scheduled = false;
  const render = (): void => {
    scheduled = false;
    note.textContent = feed.logsRecorded
      ? ''
      : 'Function logs are off: the local cloud runs with --quiet, which drops them inside the workers.';
    const shown = feed.logs.filter(matches).slice(-SHOWN);
    lines.textContent = shown
      .map((l) => `${clock(l.at)} ${l.stream === 'stderr' ? '!' : ' '} [${l.functionId}] ${l.line}`)
      .join('\n');
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(render);
  };
  for (const control of [quantum, fn, correlation]) control.addEventListener('input', schedule);
  feed.subscribe(({ logs }) => {
    if (logs.length > 0 || feed.logs.length === 0) schedule();
  });
  render();
}
