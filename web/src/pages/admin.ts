import {
  createProductRequestSchema,
  type Product,
  restockRequestSchema,
  updateProductRequestSchema,
} from '@quanta/contracts/catalog';
import { field, h, replaceChildren, statusLine } from '../dom';
import { invalidInputSentence, sentenceOf } from '../errors';
import type { AppContext, Page } from '../router';
import { formatMoney } from './shop';

/** Products per page of the admin list. */
const PAGE_SIZE = 20;

/** A price as a person types it ("12.50", "12,5") in minor units, or NaN. */
export function centsOf(text: string): number {
  const normalised = text.trim().replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(normalised)) return Number.NaN;
  return Math.round(Number(normalised) * 100);
}

/**
 * `/admin` (admins only; the API enforces it, the client only hides the page): create a product, and
 * rename, reprice or restock each one.
 */
export const adminPage: Page = (app) => {
  const list = h('ul', { class: 'admin-products', 'aria-label': 'Products to manage', 'aria-busy': 'true' });
  const error = statusLine('alert');
  const more = h('button', { type: 'button', hidden: true }, 'More products');
  let cursor: string | undefined;
  let disposed = false;

  const loadPage = (): void => {
    app.api.listProducts({ limit: PAGE_SIZE, cursor }).then(
      (page) => {
        if (disposed) return;
        list.append(...page.items.map((product) => productEditor(app, product)));
        cursor = page.nextCursor;
        more.hidden = cursor === undefined;
        list.setAttribute('aria-busy', 'false');
      },
      (failure: unknown) => {
        if (!disposed) error.textContent = sentenceOf(failure);
      },
    );
  };
  more.addEventListener('click', loadPage);
  loadPage();

  return {
    title: 'Admin',
    element: h(
      'section',
      {},
      h('h1', {}, 'Admin'),
      createForm(app, (product) => list.prepend(productEditor(app, product))),
      h('h2', {}, 'Products'),
      error,
      list,
      more,
    ),
    dispose: () => {
      disposed = true;
    },
  };
};

function createForm(app: AppContext, created: (product: Product) => void): HTMLFormElement {
  const name = h('input', { type: 'text', name: 'name', maxlength: 120, required: true });
  const description = h('textarea', { name: 'description', maxlength: 2000, rows: 2 });
  const price = h('input', {
    type: 'text',
    name: 'price',
    inputmode: 'decimal',
    placeholder: '12.50',
    required: true,
  });
  const currency = h('input', { type: 'text', name: 'currency', value: 'EUR', maxlength: 3, required: true });
  const stock = h('input', { type: 'number', name: 'stock', min: 0, value: 10, required: true });
  const status = statusLine('status');
  const error = statusLine('alert');
  const submit = h('button', { type: 'submit' }, 'Create product');
  const form: HTMLFormElement = h(
    'form',
    {
      'aria-label': 'New product',
      novalidate: true,
      onsubmit: (event: Event) => {
        event.preventDefault();
        const parsed = createProductRequestSchema.safeParse({
          name: name.value,
          description: description.value,
          priceCents: centsOf(price.value),
          currency: currency.value.trim().toUpperCase(),
          stock: Number(stock.value),
        });
        if (!parsed.success) {
          error.textContent = invalidInputSentence(parsed.error.issues, {
            name: 'Product name',
            description: 'Description',
            priceCents: 'Price',
            currency: 'Currency',
            stock: 'Stock',
          });
          return;
        }
        submit.disabled = true;
        error.textContent = '';
        app.api.createProduct(parsed.data).then(
          (product) => {
            submit.disabled = false;
            status.textContent = `Created ${product.name}.`;
            form.reset();
            created(product);
          },
          (failure: unknown) => {
            submit.disabled = false;
            error.textContent = sentenceOf(failure);
          },
        );
      },
    },
    h('h2', {}, 'New product'),
    field('Product name', name),
    field('Description', description),
    field('Price', price),
    field('Currency', currency),
    field('Stock', stock),
    status,
    error,
    submit,
  );
  return form;
}

/** One product with its three admin actions; each replaces the row with the API's answer. */
function productEditor(app: AppContext, product: Product): HTMLLIElement {
  const status = statusLine('status');
  const error = statusLine('alert');
  const row = h('li', { 'data-product-id': product.productId });
  const act = (button: HTMLButtonElement, run: () => Promise<Product> | undefined, done: string): void => {
    const pending = run();
    if (pending === undefined) return;
    button.disabled = true;
    error.textContent = '';
    pending.then(
      (updated) => {
        const next = productEditor(app, updated);
        row.replaceWith(next);
        next.querySelector('[role="status"]')?.append(done);
      },
      (failure: unknown) => {
        button.disabled = false;
        error.textContent = sentenceOf(failure);
      },
    );
  };
  const refuse = (issues: Parameters<typeof invalidInputSentence>[0], label: string): undefined => {
    error.textContent = invalidInputSentence(issues, { name: label, priceCents: label, quantity: label });
    return undefined;
  };

  const newName = h('input', { type: 'text', name: 'name', value: product.name, maxlength: 120 });
  const rename = h('button', { type: 'button' }, 'Rename');
  rename.addEventListener('click', () =>
    act(
      rename,
      () => {
        const parsed = updateProductRequestSchema.safeParse({ name: newName.value });
        return parsed.success
          ? app.api.updateProduct(product.productId, parsed.data)
          : refuse(parsed.error.issues, 'Name');
      },
      'Renamed.',
    ),
  );
  const newPrice = h('input', {
    type: 'text',
    name: 'price',
    inputmode: 'decimal',
    value: (product.priceCents / 100).toFixed(2),
  });
  const reprice = h('button', { type: 'button' }, 'Reprice');
  reprice.addEventListener('click', () =>
    act(
      reprice,
      () => {
        const parsed = updateProductRequestSchema.safeParse({ priceCents: centsOf(newPrice.value) });
        return parsed.success
          ? app.api.updateProduct(product.productId, parsed.data)
          : refuse(parsed.error.issues, 'Price');
      },
      'Repriced.',
    ),
  );
  const quantity = h('input', { type: 'number', name: 'quantity', min: 1, value: 10 });
  const restock = h('button', { type: 'button' }, 'Restock');
  restock.addEventListener('click', () =>
    act(
      restock,
      () => {
        const parsed = restockRequestSchema.safeParse({ quantity: Number(quantity.value) });
        return parsed.success
          ? app.api.restock(product.productId, parsed.data)
          : refuse(parsed.error.issues, 'Units to add');
      },
      'Restocked.',
    ),
  );

  replaceChildren(
    row,
    h('h3', {}, product.name),
    h(
      'p',
      {},
      `${formatMoney(product.priceCents, product.currency)} · ${product.stock} in stock · updated ${new Date(product.updatedAt).toLocaleString()}`,
    ),
    h(
      'div',
      { class: 'actions', role: 'group', 'aria-label': `Manage ${product.name}` },
      field('Name', newName),
      rename,
      field('Price', newPrice),
      reprice,
      field('Units to add', quantity),
      restock,
    ),
    status,
    error,
  );
  return row;
}
