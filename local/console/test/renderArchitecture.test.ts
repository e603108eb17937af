import path from 'node:path';
import { plan } from '@quanta/runtime/manifest';
import { describe, expect, it } from 'vitest';
import { manifests } from '../../../quanta/manifests';
import { readRegistry } from '../../readRegistry';
import { architectureOf, renderArchitecture } from '../renderArchitecture';

const root = path.resolve(import.meta.dirname, '../../..');
const quanta = plan(manifests, readRegistry(root));

describe('architectureOf', () => {
  const model = architectureOf(quanta);
  const links = (section: string) =>
    model.links.filter((l) => l.section === section).map((l) => `${l.from} -> ${l.to}: ${l.label}`);

  it('draws every quantum of the plan with its functions', () => {
    expect(model.quanta.map((q) => q.name)).toEqual(quanta.quanta.map((q) => q.name));
    expect(model.quanta.find((q) => q.name === 'catalog')?.functions.map((f) => f.id)).toEqual(
      quanta.quanta.find((q) => q.name === 'catalog')?.functions.map((f) => f.id),
    );
  });

  it('connects the clients to each quantum behind the HTTP API and to the WebSocket API', () => {
    expect(links('HTTP API')).toContain('clients -> orders: /orders/* → orders.api');
    expect(links('HTTP API')).toContain('clients -> catalog: /catalog/* → catalog.api (2 public routes)');
    expect(links('WebSocket API')).toEqual([
      'clients -> chat: $connect, $disconnect, $default, join, leave, send → chat.ws',
    ]);
  });

  it('draws facades from caller to owner, request/reply queues from sender to consumer', () => {
    expect(links('Facades')).toEqual(['orders -> catalog: GetProducts → catalog.facade']);
    expect(links('Request/reply')).toEqual(
      expect.arrayContaining([
        'orders -> catalog: request quanta-catalog-requests → catalog.requests',
        'orders -> payments: request quanta-payments-requests → payments.requests',
        'catalog -> orders: reply quanta-orders-replies → orders.replies',
        'payments -> orders: reply quanta-orders-replies → orders.replies',
      ]),
    );
  });

  it('draws events from publisher to subscriber through its inbox, and a quantum’s own queues and schedules', () => {
    expect(links('Events')).toEqual(
      expect.arrayContaining([
        'orders -> chat: OrderConfirmed, OrderCancelled → quanta-chat-order-events → chat.orderEvents',
        'catalog -> orders: ProductRenamed → quanta-orders-product-renamed → orders.productRenamed',
      ]),
    );
    expect(links('Work queues')).toEqual(['chat -> chat: quanta-chat-fanout → chat.fanout']);
    expect(links('Schedules')).toEqual(['orders -> orders: deadline-sweep every 60 s → orders.sweeper']);
  });

  it('groups the channels by kind, each kind in one run', () => {
    const sections = model.links.map((l) => l.section);
    const runs = sections.filter((section, i) => section !== sections[i - 1]);

    expect(runs).toEqual([...new Set(runs)]);
    expect(runs).toEqual([
      'HTTP API',
      'WebSocket API',
      'Facades',
      'Request/reply',
      'Events',
      'Work queues',
      'Schedules',
    ]);
  });

  it('notes facades nobody calls and events nobody subscribes to', () => {
    const identity = model.quanta.find((q) => q.name === 'identity');
    const catalog = model.quanta.find((q) => q.name === 'catalog');

    expect(identity?.notes).toContain('facade GetUser: no caller');
    expect(catalog?.notes.join(' ')).toContain('ProductCreated (no subscriber)');
  });
});

describe('renderArchitecture', () => {
  it('renders an SVG with a box per function and an arrow per channel, names escaped', () => {
    const svg = renderArchitecture(quanta);
    const functions = quanta.quanta.flatMap((q) => q.functions.map((f) => f.id));

    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    for (const id of functions) expect(svg).toContain(`data-function="${id}"`);
    expect(svg.match(/class="link /g)).toHaveLength(architectureOf(quanta).links.length);
    expect(svg.match(/<g[ >]/g)?.length).toBe(svg.match(/<\/g>/g)?.length);
    expect(svg).not.toMatch(/<[^a-z/!?]/);
  });
});
