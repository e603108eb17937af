/** Attributes and listeners of an element built by {@link h}: `on*` keys are listeners, the rest attributes. */
export type Props = Readonly<Record<string, string | number | boolean | EventListener | undefined>>;

/** What may be a child: nodes, text, and nothing (`undefined`, `false`), so conditions read inline. */
export type Child = Node | string | number | undefined | false;

/**
 * Creates an element with attributes, listeners and children, the one DOM helper the pages use (the
 * client has no framework: decision D52). Text is always set as text, never parsed as HTML.
 *
 * @example
 * ```ts
 * const button = h('button', { type: 'button', onclick: () => alert('hi') }, 'Say hi');
 * document.body.append(h('p', {}, 'Hello, ', h('strong', {}, 'Ann')), button);
 * ```
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(key.slice(2), value);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  element.append(...childNodes(children));
  return element;
}

/** Replaces every child of `parent` with `children`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...childNodes(children));
}

function childNodes(children: readonly Child[]): Array<Node | string> {
  const nodes: Array<Node | string> = [];
  for (const child of children) {
    if (child === undefined || child === false) continue;
    nodes.push(typeof child === 'number' ? String(child) : child);
  }
  return nodes;
}

/**
 * A labelled input (`<label>Email <input …></label>`): the label gives the input its accessible name,
 * which the browser tests use.
 */
export function field(label: string, input: HTMLInputElement | HTMLTextAreaElement): HTMLLabelElement {
  return h('label', { class: 'field' }, h('span', {}, label), input);
}

/** A status line whose updates screen readers announce (`role="status"`, or `alert` for errors). */
export function statusLine(kind: 'status' | 'alert' = 'status'): HTMLParagraphElement {
  return h('p', { role: kind, class: kind === 'alert' ? 'error' : 'notice' });
}
