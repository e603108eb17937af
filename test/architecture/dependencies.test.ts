import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDependencies } from './checkDependencies';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** Builds a throw-away repository tree from `{ relativePath: source }`. */
function fixture(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'quanta-deps-'));
  for (const [rel, source] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), source);
  }
  roots.push(root);
  return root;
}
const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('the QMA dependency rules', () => {
  it('hold for this repository', () => {
    const violations = checkDependencies(repoRoot);

    expect(violations).toEqual([]);
  });

  it('reject a quantum that imports another quantum by relative path', () => {
    const root = fixture({
      'quanta/orders/service/PlaceOrder.ts': "import { Product } from '../../catalog/domain/Product';",
      'quanta/catalog/domain/Product.ts': 'export interface Product {}',
    });

    const violations = checkDependencies(root);

    expect(violations).toHaveLength(1);
    expect(violations[0]?.rule).toMatch(/never imports another quantum \(orders -> catalog\)/);
  });

  it('reject a quantum that imports another quantum by package name, even for types only', () => {
    const root = fixture({
      'quanta/orders/functions/api.ts': "import type { X } from '@quanta/catalog/domain/X';",
      'quanta/catalog/domain/X.ts': 'export type X = 1;',
    });

    const violations = checkDependencies(root);

    expect(violations.map((v) => v.specifier)).toEqual(['@quanta/catalog/domain/X']);
  });

  it('reject a quantum that reaches into wiring code outside the kit packages', () => {
    const root = fixture({
      'quanta/orders/adapters/Repo.ts': "import { LocalCloud } from '../../../local/LocalCloud';",
    });

    const violations = checkDependencies(root);

    expect(violations[0]?.rule).toMatch(/imports only @quanta\/contracts, @quanta\/runtime/);
  });

  it('reject service code that imports adapters or functions', () => {
    const root = fixture({
      'quanta/orders/service/PlaceOrder.ts': [
        "import { DynamoOrders } from '../adapters/DynamoOrders';",
        "import { handler } from '../functions/api';",
      ].join('\n'),
      'quanta/orders/adapters/DynamoOrders.ts': 'export class DynamoOrders {}',
      'quanta/orders/functions/api.ts': 'export const handler = 1;',
    });

    const violations = checkDependencies(root);

    expect(violations.map((v) => v.rule)).toEqual([
      expect.stringMatching(/^service\/ must not import adapters\//),
      expect.stringMatching(/^service\/ must not import functions\//),
    ]);
  });

  it('reject domain code that imports an AWS SDK', () => {
    const root = fixture({
      'quanta/orders/domain/Order.ts': [
        "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
        "export { Logger } from '@aws-lambda-powertools/logger';",
        "const lazy = () => import('@aws-sdk/client-sqs');",
      ].join('\n'),
    });

    const violations = checkDependencies(root);

    expect(violations.map((v) => v.specifier)).toEqual([
      '@aws-sdk/client-dynamodb',
      '@aws-lambda-powertools/logger',
      '@aws-sdk/client-sqs',
    ]);
  });

  it('allow a quantum to import the contracts, the runtime, npm packages and its own layers downwards', () => {
    const root = fixture({
      'quanta/orders/functions/api.ts': [
        "import { z } from 'zod';",
        "import { ENV } from '@quanta/runtime/manifest';",
        "import { OrderPlaced } from '@quanta/contracts';",
        "import { PlaceOrder } from '../service/PlaceOrder';",
        "import { DynamoOrders } from '../adapters/DynamoOrders';",
      ].join('\n'),
      'quanta/orders/service/PlaceOrder.ts': "import type { Order } from '../domain/Order';",
      'quanta/orders/adapters/DynamoOrders.ts': "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      'quanta/orders/domain/Order.ts': 'export interface Order {}',
    });

    expect(checkDependencies(root)).toEqual([]);
  });

  it('reject the runtime kit importing a quantum', () => {
    const root = fixture({
      'runtime/src/router.ts': "import identity from '@quanta/identity/quantum';",
    });

    expect(checkDependencies(root)[0]?.rule).toMatch(/runtime must not import a quantum/);
  });
});
