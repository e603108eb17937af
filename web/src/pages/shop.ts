import type { Product } from '@quanta/contracts/catalog';
import { placeOrderRequestSchema } from '@quanta/contracts/orders';
import { field, h, replaceChildren, statusLine } from '../dom';
import { invalidInputSentence, sentenceOf } from '../errors';
import type { AppContext, Page } from '../router';

/** Products per page of the shop. */
const PAGE_SIZE = 12;

/** An amount in minor units as the person's locale writes it, e.g. "€25.00". */
export function formatMoney(cents: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}

/** `/`: the products, a page at a time (the API's cursors), each with its name, price, stock and "Buy". */
export const shopPage: Page = (app) => {
  const list = h('ul', { class: 'products', 'aria-label': 'Products', 'aria-busy': 'true' });
  const error = statusLine('alert');
  const previous = h('button', { type: 'button', disabled: true }, 'Previous page');
  const next = h('button', { type: 'button', disabled: true }, 'Next page');
  /** Cursors of the pages before the current one (undefined = the first page). */
  const cursors: Array<string | undefined> = [];
  let current: string | undefined;
  let nextCursor: string | undefined;
  let disposed = false;

  const load = (cursor: string | undefined): void => {
    list.setAttribute('aria-busy', 'true');
    previous.disabled = true;
    next.disabled = true;
    app.api.listProducts({ limit: PAGE_SIZE, cursor }).then(
      (page) => {
        if (disposed) return;
        current = cursor;
        nextCursor = page.nextCursor;
        error.textContent = '';
        replaceChildren(
          list,
          ...page.items.map((product) => productCard(app, product)),
          page.items.length === 0 && h('li', {}, 'No products yet.'),
        );
        list.setAttribute('aria-busy', 'false');
        previous.disabled = cursors.length === 0;
        next.disabled = nextCursor === undefined;
      },
      (failure: unknown) => {
        if (disposed) return;
        error.textContent = sentenceOf(failure);
        list.setAttribute('aria-busy', 'false');
      },
    );
  };
  previous.addEventListener('click', () => load(cursors.pop()));
  next.addEventListener('click', () => {
    if (nextCursor === undefined) return;
    cursors.push(current);
    load(nextCursor);
  });
  load(undefined);

  return {
    title: 'Shop',
    element: h('section', {}, h('h1', {}, 'Shop'), error, list, h('nav', { class: 'pager' }, previous, next)),
    dispose: () => {
      disposed = true;
    },
  };
};

function productCard(app: AppContext, product: Product): HTMLLIElement {
  const href = `/products/${encodeURIComponent(product.productId)}`;
  return h(
    'li',
    { class: 'product', 'data-product-id': product.productId },
    h('h2', {}, h('a', { href, 'data-link': true }, product.name)),
    h('p', { class: 'price' }, formatMoney(product.priceCents, product.currency)),
    h('p', { class: 'stock' }, product.stock > 0 ? `${product.stock} in stock` : 'Sold out'),
    h(
      'button',
      {
        type: 'button',
        disabled: product.stock === 0,
        onclick: () => app.navigate(`${href}?buy=1`),
      },
      'Buy',
    ),
  );
}

/**
 * `/products/{id}`: the product, and its checkout: "Buy" opens a form with the quantity and the
 * "Card number"; "Place order" sends `POST /orders` with an Idempotency-Key kept for as long as the
 * form is open, so a retry after a lost answer never orders twice.
 */
export const productPage: Page = (app, params, query) => {
  const productId = params.id ?? '';
  const body = h('div', { 'aria-busy': 'true' });
  const error = statusLine('alert');
  let disposed = false;

  app.api.getProduct(productId).then(
    (product) => {
      if (disposed) return;
      body.setAttribute('aria-busy', 'false');
      const checkout = checkoutForm(app, product);
      checkout.hidden = query.get('buy') !== '1';
      const buy = h(
        'button',
        {
          type: 'button',
          disabled: product.stock === 0,
          onclick: () => {
            checkout.hidden = false;
            checkout.querySelector('input')?.focus();
          },
        },
        'Buy',
      );
      replaceChildren(
        body,
        h('h1', {}, product.name),
        product.description !== '' && h('p', { class: 'description' }, product.description),
        h('p', { class: 'price' }, formatMoney(product.priceCents, product.currency)),
        h('p', { class: 'stock' }, product.stock > 0 ? `${product.stock} in stock` : 'Sold out'),
        buy,
        checkout,
      );
      if (!checkout.hidden) checkout.querySelector<HTMLInputElement>('input[name="card"]')?.focus();
    },
    (failure: unknown) => {
      if (disposed) return;
      body.setAttribute('aria-busy', 'false');
      error.textContent = sentenceOf(failure);
    },
  );

  return {
    title: 'Product',
    element: h(
      'section',
      {},
      h('p', {}, h('a', { href: '/', 'data-link': true }, '← All products')),
      error,
      body,
    ),
    dispose: () => {
      disposed = true;
    },
  };
};

function checkoutForm(app: AppContext, product: Product): HTMLFormElement {
  const quantity = h('input', {
    type: 'number',
    name: 'quantity',
    min: 1,
    max: Math.max(1, Math.min(100, product.stock)),
    value: 1,
    required: true,
  });
  const card = h('input', {
    type: 'text',
    name: 'card',
    inputmode: 'numeric',
    autocomplete: 'cc-number',
    placeholder: '4242 4242 4242 4242',
    required: true,
  });
  const error = statusLine('alert');
  const submit = h('button', { type: 'submit' }, 'Place order');
  let idempotencyKey = crypto.randomUUID();
  return h(
    'form',
    {
      class: 'checkout',
      'aria-label': 'Checkout',
      novalidate: true,
      onsubmit: (event: Event) => {
        event.preventDefault();
        if (app.session.user === undefined) {
          app.navigate(`/login?next=${encodeURIComponent(`/products/${product.productId}?buy=1`)}`);
          return;
        }
        const parsed = placeOrderRequestSchema.safeParse({
          items: [{ productId: product.productId, quantity: Number(quantity.value) }],
          card: { number: card.value },
        });
        if (!parsed.success) {
          error.textContent = invalidInputSentence(
            parsed.error.issues.map((issue) => ({
              ...issue,
              path: [issue.path.includes('card') ? 'card' : 'items'],
            })),
            { card: 'Card number', items: 'Quantity' },
          );
          return;
        }
        submit.disabled = true;
        error.textContent = '';
        app.api.placeOrder(parsed.data, idempotencyKey).then(
          (accepted) => {
            idempotencyKey = crypto.randomUUID();
            app.navigate('/orders', `Order ${accepted.orderId.slice(0, 8)} placed.`);
          },
          (failure: unknown) => {
            submit.disabled = false;
            error.textContent = sentenceOf(failure);
          },
        );
      },
    },
    h('h2', {}, 'Checkout'),
    field('Quantity', quantity),
    field('Card number', card),
    error,
    submit,
  );
}
