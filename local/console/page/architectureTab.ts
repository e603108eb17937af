// The Architecture tab: the plan drawn by the server (SVG), lit up as invocations arrive.
import { api } from './api';
import type { LiveFeed } from './feed';
import { h, replace } from './view';

const GLOW_MS = 900;

/**
 * Fills `panel` with the architecture diagram and makes each function box (and the channels that
 * invoke it) glow when the feed reports an invocation of that function.
 */
export async function mountArchitecture(panel: HTMLElement, feed: LiveFeed): Promise<void> {
  const holder = h('div', { class: 'diagram' });
  replace(
    panel,
    h('p', { class: 'hint' }, 'Generated from the plan. Boxes light up as their functions run.'),
    holder,
  );
  const svg = await api.architectureSvg();
  // The server renders the SVG from the plan and escapes every name it writes.
  holder.innerHTML = svg;
  const timers = new Map<Element, number>();
  const glow = (element: Element): void => {
    element.classList.add('active');
    window.clearTimeout(timers.get(element));
    timers.set(
      element,
      window.setTimeout(() => element.classList.remove('active'), GLOW_MS),
    );
  };
  feed.subscribe(({ activity }) => {
    for (const row of activity) {
      if (row.kind !== 'invocation' || row.functionId === undefined) continue;
      for (const box of holder.querySelectorAll(`[data-function="${CSS.escape(row.functionId)}"]`)) glow(box);
      for (const link of holder.querySelectorAll('[data-functions]')) {
        if ((link.getAttribute('data-functions') ?? '').split(' ').includes(row.functionId)) glow(link);
      }
    }
  });
}
