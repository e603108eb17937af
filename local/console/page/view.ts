// Building blocks of the console's page: elements built from data (text is always set as text,
// never parsed as HTML), and the formats every tab shares.

type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

/**
 * An element with attributes, listeners (`onclick: …`) and children; strings become text nodes.
 *
 * @example
 * ```ts
 * h('button', { type: 'button', onclick: () => redrive(name) }, 'Redrive');
 * ```
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'object' ? child : String(child));
  }
  return element;
}

/**
 * Replaces the children of `parent`.
 *
 * @example
 * ```ts
 * replace(table.tBodies[0], ...rows);
 * ```
 */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(
    ...children
      .filter((c): c is Node | string | number => c !== null && c !== undefined && c !== false)
      .map((c) => (typeof c === 'object' ? c : String(c))),
  );
}

/** `14:03:07.123` in local time. */
export function clock(at: number): string {
  const d = new Date(at);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** `12 ms`, `1.4 s`. */
export function duration(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The `#/trace/<id>` link of a correlation or order id. */
export function traceHref(id: string): string {
  return `#/trace/${encodeURIComponent(id)}`;
}

/** Outcomes shown as failures. */
export const FAILED_OUTCOMES: ReadonlySet<string> = new Set([
  'error',
  'partial',
  'failed',
  'dead-lettered',
  'gone',
]);
