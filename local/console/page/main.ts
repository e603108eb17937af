// The console page's entry: the tabs (Architecture, Activity, Traces, Dead letters, Logs), the
// hash router (`#/activity`, `#/trace/<id>`, …) and the live feed every tab reads.
import { mountActivity } from './activityTab';
import { api } from './api';
import { mountArchitecture } from './architectureTab';
import { mountDeadLetters } from './deadLettersTab';
import { LiveFeed } from './feed';
import { mountLogs } from './logsTab';
import { mountTraces } from './tracesTab';
import { h } from './view';

const TABS = [
  { route: 'architecture', name: 'Architecture' },
  { route: 'activity', name: 'Activity' },
  { route: 'traces', name: 'Traces' },
  { route: 'dead-letters', name: 'Dead letters' },
  { route: 'logs', name: 'Logs' },
] as const;
type Route = (typeof TABS)[number]['route'];

async function main(): Promise<void> {
  const live = document.getElementById('live');
  const nav = document.getElementById('tabs');
  const main = document.getElementById('panels');
  if (live === null || nav === null || main === null)
    throw new Error('The console page is missing its frame');
  const tabs = new Map<Route, HTMLButtonElement>();
  const panels = new Map<Route, HTMLElement>();
  for (const tab of TABS) {
    const button = h(
      'button',
      {
        type: 'button',
        role: 'tab',
        id: `tab-${tab.route}`,
        'aria-controls': `panel-${tab.route}`,
        'aria-selected': 'false',
        tabindex: -1,
      },
      tab.name,
    );
    button.addEventListener('click', () => {
      location.hash = `#/${tab.route}`;
    });
    const panel = h('section', {
      role: 'tabpanel',
      id: `panel-${tab.route}`,
      'aria-labelledby': `tab-${tab.route}`,
      hidden: true,
    });
    tabs.set(tab.route, button);
    panels.set(tab.route, panel);
    nav.append(button);
    main.append(panel);
  }
  nav.addEventListener('keydown', (event) => {
    const keys: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1 };
    const step = keys[event.key];
    if (step === undefined) return;
    const index = TABS.findIndex((t) => tabs.get(t.route) === document.activeElement);
    const next = TABS[(index + step + TABS.length) % TABS.length];
    if (next === undefined) return;
    tabs.get(next.route)?.focus();
    location.hash = `#/${next.route}`;
  });

  const feed = new LiveFeed((state) => {
    live.textContent = state;
  });
  const status = await api.status();
  const panel = (route: Route): HTMLElement => panels.get(route) as HTMLElement;
  const architecture = mountArchitecture(panel('architecture'), feed);
  mountActivity(panel('activity'), feed, status);
  const traces = mountTraces(panel('traces'), feed);
  const deadLetters = mountDeadLetters(panel('dead-letters'), feed);
  mountLogs(panel('logs'), feed, status);

  const route = async (): Promise<void> => {
    const [, first = 'architecture', ...rest] = location.hash.replace(/^#/, '').split('/');
    const selected: Route =
      first === 'trace' ? 'traces' : TABS.some((t) => t.route === first) ? (first as Route) : 'architecture';
    for (const tab of TABS) {
      const on = tab.route === selected;
      tabs.get(tab.route)?.setAttribute('aria-selected', String(on));
      tabs.get(tab.route)?.setAttribute('tabindex', on ? '0' : '-1');
      panel(tab.route).hidden = !on;
    }
    document.title = `${TABS.find((t) => t.route === selected)?.name} · Quanta console`;
    if (selected === 'traces')
      await traces.show(
        first === 'trace' && rest.length > 0 ? decodeURIComponent(rest.join('/')) : undefined,
      );
    if (selected === 'dead-letters') await deadLetters.refresh();
  };
  window.addEventListener('hashchange', () => void route());
  await route();
  await Promise.all([architecture, feed.start()]);
  document.body.dataset.ready = 'true';
}

main().catch((error: unknown) => {
  document.body.prepend(
    h('p', { role: 'alert', class: 'fatal' }, `The console could not start: ${(error as Error).message}`),
  );
});
