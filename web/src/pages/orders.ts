import type { OrderFrame } from '@quanta/contracts/chat';
import type { Order } from '@quanta/contracts/orders';
import { h, replaceChildren, statusLine } from '../dom';
import { CANCELLATION_SENTENCES, sentenceOf } from '../errors';
import type { AppContext, Page } from '../router';
import { formatMoney } from './shop';

/** Orders per page. */
const PAGE_SIZE = 20;

/**
 * `/orders`: the person's orders, newest first, each with its status word (PENDING, CONFIRMED,
 * CANCELLED and the reason). Statuses change live from the WebSocket's `order` frames, never by
 * polling; after the connection (re)opens, the orders still shown as PENDING are read once again,
 * since a frame pushed while it was down is lost.
 */
export const ordersPage: Page = (app) => {
  const list = h('ol', { class: 'orders', 'aria-label': 'Orders', 'aria-busy': 'true' });
  const error = statusLine('alert');
  const liveState = h('p', { class: 'live-state', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', hidden: true }, 'More orders');
  const rows = new Map<string, { order: Order; element: HTMLLIElement }>();
  /** Frames that came before their order was shown. */
  const early = new Map<string, OrderFrame>();
  let cursor: string | undefined;
  let loaded = false;
  let disposed = false;

  const show = (order: Order, where: 'append' | 'prepend'): void => {
    const frame = early.get(order.orderId);
    early.delete(order.orderId);
    const shown = frame === undefined || order.status !== 'PENDING' ? order : withFrame(order, frame);
    const existing = rows.get(order.orderId);
    const element = orderRow(app, shown);
    rows.set(order.orderId, { order: shown, element });
    if (existing !== undefined) existing.element.replaceWith(element);
    else if (where === 'prepend') list.prepend(element);
    else list.append(element);
  };

  const loadPage = (): void => {
    more.disabled = true;
    app.api.listOrders({ limit: PAGE_SIZE, cursor }).then(
      (page) => {
        if (disposed) return;
        if (!loaded) replaceChildren(list);
        loaded = true;
        for (const order of page.items) show(order, 'append');
        if (rows.size === 0) list.append(h('li', { class: 'empty' }, 'No orders yet.'));
        cursor = page.nextCursor;
        more.hidden = cursor === undefined;
        more.disabled = false;
        list.setAttribute('aria-busy', 'false');
      },
      (failure: unknown) => {
        if (disposed) return;
        error.textContent = sentenceOf(failure);
        more.disabled = false;
        list.setAttribute('aria-busy', 'false');
      },
    );
  };

  /** Reads one order again (a frame for an order not shown yet, or a resync). */
  const refresh = (orderId: string): void => {
    app.api.getOrder(orderId).then(
      (order) => {
        if (disposed) return;
        list.querySelector('.empty')?.remove();
        show(order, 'prepend');
      },
      (failure: unknown) => {
        if (!disposed) error.textContent = sentenceOf(failure);
      },
    );
  };

  const offFrame = app.live.onFrame((frame) => {
    if (frame.type !== 'order') return;
    const row = rows.get(frame.orderId);
    if (row === undefined) {
      early.set(frame.orderId, frame);
      if (loaded) refresh(frame.orderId);
      return;
    }
    const updated = withFrame(row.order, frame);
    const element = orderRow(app, updated);
    row.element.replaceWith(element);
    rows.set(frame.orderId, { order: updated, element });
  });
  const describeState = (state: string): void => {
    liveState.textContent = state === 'open' ? 'Live updates on.' : 'Live updates reconnecting…';
  };
  describeState(app.live.state);
  const offState = app.live.onState((state) => {
    describeState(state);
    if (state !== 'open' || !loaded) return;
    for (const { order } of rows.values()) if (order.status === 'PENDING') refresh(order.orderId);
  });
  more.addEventListener('click', loadPage);
  loadPage();

  const notice = app.takeNotice();
  return {
    title: 'My orders',
    element: h(
      'section',
      {},
      h('h1', {}, 'My orders'),
      notice !== undefined && h('p', { role: 'status', class: 'notice' }, notice),
      liveState,
      error,
      list,
      more,
    ),
    dispose: () => {
      disposed = true;
      offFrame();
      offState();
    },
  };
};

function withFrame(order: Order, frame: OrderFrame): Order {
  const { reason: _previous, ...rest } = order;
  return { ...rest, status: frame.status, ...(frame.reason === undefined ? {} : { reason: frame.reason }) };
}

function orderRow(app: AppContext, order: Order): HTMLLIElement {
  const items = order.items.map((item) => `${item.quantity} × ${item.name}`).join(', ');
  const cancel =
    order.status === 'PENDING'
      ? h(
          'button',
          {
            type: 'button',
            onclick: (event: Event) => {
              const button = event.currentTarget as HTMLButtonElement;
              button.disabled = true;
              app.api.cancelOrder(order.orderId).catch((failure: unknown) => {
                button.disabled = false;
                button.after(h('span', { role: 'alert', class: 'error' }, ` ${sentenceOf(failure)}`));
              });
            },
          },
          'Cancel order',
        )
      : undefined;
  const consoleUrl = app.config.consoleUrl;
  return h(
    'li',
    { class: `order ${order.status.toLowerCase()}`, 'data-order-id': order.orderId },
    h('p', { class: 'items' }, items),
    h(
      'p',
      {},
      h('strong', { class: 'status' }, order.status),
      order.status === 'CANCELLED' &&
        order.reason !== undefined &&
        h('span', { class: 'reason' }, ` ${order.reason} (${CANCELLATION_SENTENCES[order.reason]})`),
    ),
    h(
      'p',
      { class: 'meta' },
      `${formatMoney(order.totalCents, order.currency)} · card ending ${order.cardLast4} · ${new Date(order.createdAt).toLocaleString()}`,
    ),
    consoleUrl !== undefined &&
      h(
        'a',
        {
          href: `${consoleUrl}/#/trace/${encodeURIComponent(order.orderId)}`,
          target: '_blank',
          rel: 'noopener',
        },
        'Trace',
      ),
    cancel,
  );
}
