import { randomBytes } from 'node:crypto';
import { LocalCardVault } from '../../adapters/LocalCardVault';
import type { OrderRepository } from '../../domain/OrderRepository';
import type { ProductNameRepository } from '../../domain/ProductCatalog';
import { DeadlineSweeper } from '../../service/DeadlineSweeper';
import { OrderService } from '../../service/OrderService';
import { SagaCoordinator } from '../../service/SagaCoordinator';
import { FakeCatalog } from './FakeCatalog';
import { InMemoryOrderRepository } from './InMemoryOrderRepository';
import { InMemoryProductNames } from './InMemoryProductNames';
import { RecordingSagaRequests } from './RecordingSagaRequests';

/** A mutable test clock. */
export interface TestClock {
  now: Date;
  advance(seconds: number): void;
}

/** A well-known card that payments authorizes. */
export const VISA = { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' } as const;

/** orders' services wired with fakes (or the given repositories), a fixed clock and sequential ids. */
export function buildTestOrders<R extends OrderRepository = InMemoryOrderRepository>(
  overrides: { orders?: R; names?: ProductNameRepository; deadlineSeconds?: number } = {},
) {
  const clock: TestClock = {
    now: new Date('2026-05-01T12:00:00.000Z'),
    advance(seconds) {
      this.now = new Date(this.now.getTime() + seconds * 1000);
    },
  };
  let id = 0;
  const newId = () => `id-${String(++id).padStart(4, '0')}-${randomBytes(3).toString('hex')}`;
  const orders = (overrides.orders ?? new InMemoryOrderRepository()) as R;
  const names = overrides.names ?? new InMemoryProductNames();
  const catalog = new FakeCatalog().add('p1', 1250).add('p2', 500);
  const requests = new RecordingSagaRequests();
  const vault = new LocalCardVault(randomBytes(32));
  const now = () => clock.now;
  const saga = new SagaCoordinator({ orders, requests, vault, compensationRetrySeconds: 60, now });
  const service = new OrderService({
    orders,
    names,
    catalog,
    vault,
    saga,
    deadlineSeconds: overrides.deadlineSeconds ?? 120,
    now,
    newId,
  });
  const sweeper = new DeadlineSweeper({ orders, saga, batchLimit: 100, now, newId });
  return { clock, orders, names, catalog, requests, vault, saga, service, sweeper, newId };
}
