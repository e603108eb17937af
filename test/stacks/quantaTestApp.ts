import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { defineQuantum, functionNameOf, plan, type QuantumManifest } from '@quanta/runtime/manifest';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { manifests as realManifests } from '../../quanta/manifests';
import { buildQuantaStacks, type QuantaStacks, readQuantaContext } from '../../stacks';

export const PLATFORM_ACCOUNT = '111111111111';
export const IDENTITY_ACCOUNT = '222222222222';
export const ORDERS_ACCOUNT = '333333333333';
export const REGION = 'eu-west-1';

/**
 * Stack tests do not bundle (context `aws:cdk:bundling-stacks: []`), but a function's code asset still
 * wants its entry's folder to exist (`functionCode`). The tests therefore point every manifest at stub
 * handlers in node_modules/.cache: they test the infrastructure the manifests describe, independently
 * of the handler code (a real `cdk synth` bundles the real handlers).
 */
const STUB_ROOT = path.join(import.meta.dirname, '..', '..', 'node_modules', '.cache', 'quanta-stack-tests');

export function withStubHandlers(manifest: QuantumManifest): QuantumManifest {
  const dir = path.join(STUB_ROOT, manifest.name);
  for (const fn of Object.values(manifest.functions)) {
    const file = path.join(dir, fn.entry);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, 'export const handler = async (): Promise<void> => undefined;\n');
  }
  return { ...manifest, dir };
}

/** Test doubles of quanta that do not exist yet, exercising every manifest feature identity and platform do not. */
const orders = defineQuantum({
  name: 'orders',
  dir: STUB_ROOT,
  table: { indexes: [{ name: 'by-customer', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }] },
  encryptionKey: true,
  functions: {
    api: { entry: 'handlers/api.ts' },
    replies: { entry: 'handlers/replies.ts', timeoutSeconds: 20 },
    productRenamed: { entry: 'handlers/product-renamed.ts' },
    userRegistered: { entry: 'handlers/user-registered.ts' },
    outboxRelay: { entry: 'handlers/outbox-relay.ts' },
    expirer: { entry: 'handlers/expirer.ts' },
  },
  routes: [{ method: 'POST', path: '/orders', access: 'authenticated' }],
  publishes: ['OrderPlaced'],
  outboxRelay: 'outboxRelay',
  subscriptions: [
    {
      id: 'product-renamed',
      function: 'productRenamed',
      pattern: { source: ['quanta.catalog'], 'detail-type': ['ProductRenamed'] },
    },
    {
      id: 'user-registered',
      function: 'userRegistered',
      pattern: { source: ['quanta.identity'], 'detail-type': ['UserRegistered'] },
      maxReceiveCount: 3,
    },
  ],
  sends: [{ quantum: 'catalog', types: ['ReserveStock'] }],
  replyHandler: 'replies',
  calls: ['catalog'],
  schedules: [{ id: 'expire-pending', function: 'expirer', everySeconds: 60 }],
});

const catalog = defineQuantum({
  name: 'catalog',
  dir: STUB_ROOT,
  table: {},
  functions: {
    api: { entry: 'handlers/api.ts' },
    facade: { entry: 'handlers/facade.ts' },
    requests: { entry: 'handlers/requests.ts', timeoutSeconds: 15 },
  },
  routes: [{ method: 'GET', path: '/catalog/products', access: 'public' }],
  facade: [{ name: 'GetProducts', callers: ['orders'] }],
  requestHandlers: [{ type: 'ReserveStock', function: 'requests' }],
});

const chat = defineQuantum({
  name: 'chat',
  dir: STUB_ROOT,
  table: {},
  functions: { api: { entry: 'handlers/api.ts' }, ws: { entry: 'handlers/ws.ts' } },
  routes: [{ method: 'GET', path: '/chat/rooms', access: 'authenticated' }],
  webSocket: { function: 'ws', routes: ['$connect', '$disconnect', '$default', 'join', 'leave', 'send'] },
});

/** Role stems of every function of the `orders` double, in manifest order (each is its function's name). */
export const ORDERS_ROLE_STEMS: readonly string[] = Object.keys(orders.functions).map((key) =>
  functionNameOf('quanta', 'orders', key),
);

/** The ARN of role `<stem>-<REGION>` in `account`, as CloudFormation renders it. */
export function roleArnOf(account: string, stem: string): unknown {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:role/${stem}-${REGION}`]] };
}

/** The real platform and identity manifests plus the doubles, all on stub handlers. */
export const testManifests: Readonly<Record<string, QuantumManifest>> = Object.fromEntries(
  [realManifests.platform, realManifests.identity, orders, catalog, chat]
    .filter((m): m is QuantumManifest => m !== undefined)
    .map((m) => [m.name, withStubHandlers(m)]),
);

/** The real manifests (every quantum of the example business), on stub handlers. */
export function commerceManifests(): Readonly<Record<string, QuantumManifest>> {
  return Object.fromEntries(Object.entries(realManifests).map(([name, m]) => [name, withStubHandlers(m)]));
}

/** A registry entry in `account` and the test region. */
export function at(account: string): { account: string; region: string } {
  return { account, region: REGION };
}

/** A synthesized test app with memoized templates. */
export interface TestApp {
  readonly app: App;
  readonly stacks: QuantaStacks;
  /** Every stack of the app. */
  readonly all: readonly Stack[];
  /** Template of a stack by quantum name (`platform`, `identity`, …), or `web` for the Web stack. */
  template(quantum: string): Template;
}

/**
 * Builds the Quanta app exactly as bin/app.ts does (context -> registry -> stacks, cdk-nag on), from
 * `context`, without bundling.
 *
 * @example
 * ```ts
 * const { template } = buildTestApp({ quanta: { platform: at(PLATFORM_ACCOUNT), identity: at(PLATFORM_ACCOUNT) } });
 * ```
 */
export function buildTestApp(
  context: Record<string, unknown>,
  options: { readonly manifests?: Readonly<Record<string, QuantumManifest>> } = {},
): TestApp {
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  const { registry, ...rest } = readQuantaContext(app.node);
  const stacks = buildQuantaStacks(app, {
    ...rest,
    plan: plan(options.manifests ?? testManifests, registry),
  });
  const all: Stack[] = [stacks.platform, ...stacks.quanta.values(), stacks.web];
  const templates = new Map<string, Template>();
  return {
    app,
    stacks,
    all,
    template(quantum: string): Template {
      let template = templates.get(quantum);
      if (template === undefined) {
        const stack =
          quantum === 'platform'
            ? stacks.platform
            : quantum === 'web'
              ? stacks.web
              : stacks.quanta.get(quantum);
        if (stack === undefined) throw new Error(`No stack for quantum '${quantum}'`);
        template = Template.fromStack(stack);
        templates.set(quantum, template);
      }
      return template;
    },
  };
}
