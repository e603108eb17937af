import * as z from '@quanta/contracts/zod';
import { basePathOf, ManifestError } from './defineQuantum';
import type { QuantumManifest } from './QuantumManifest';

const name = z
  .string()
  .check(z.regex(/^[a-z][a-z0-9]*$/, 'must be lower-case letters and digits, starting with a letter'));
const kebab = z.string().check(z.regex(/^[a-z][a-z0-9-]*$/, 'must be kebab-case'));
const fnName = z.string().check(z.regex(/^[a-z][A-Za-z0-9]*$/, 'must be camelCase'));
const pascalName = z.string().check(z.regex(/^[A-Z][A-Za-z0-9]*$/));
const integer = (min: number, max?: number) =>
  z.number().check(z.int(), z.minimum(min), ...(max === undefined ? [] : [z.maximum(max)]));

const routeSchema = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  path: z.string().check(z.regex(/^(\/[A-Za-z0-9._\-{}]+)+$/, 'must be an absolute path like /orders/{id}')),
  access: z.union([
    z.enum(['public', 'authenticated']),
    z.object({ role: z.string().check(z.minLength(1)) }),
  ]),
  maxBodyBytes: z.optional(z.number().check(z.int(), z.positive(), z.maximum(6_000_000))),
});

const manifestSchema = z.object({
  name,
  dir: z.string().check(z.minLength(1)),
  basePath: z.optional(
    z.string().check(z.regex(/^\/[a-z][a-z0-9-]*$/, 'must be one path segment like /orders')),
  ),
  table: z.object({
    ttlAttribute: z.optional(z.string().check(z.minLength(1))),
    indexes: z.optional(
      z.array(z.object({ name: kebab, partitionKey: z.string(), sortKey: z.optional(z.string()) })),
    ),
  }),
  functions: z.record(
    fnName,
    z.object({
      entry: z.string().check(z.regex(/\.ts$/, 'must be a .ts file relative to the quantum directory')),
      memoryMb: z.optional(integer(128, 10240)),
      timeoutSeconds: z.optional(integer(1, 900)),
      environment: z.optional(z.record(z.string(), z.string())),
      reservedConcurrency: z.optional(integer(1)),
    }),
  ),
  routes: z.optional(z.array(routeSchema)),
  facade: z.optional(z.array(z.object({ name: pascalName, callers: z.array(name) }))),
  publishes: z.optional(z.array(pascalName)),
  outboxRelay: z.optional(fnName),
  subscriptions: z.optional(
    z.array(
      z.object({
        id: kebab,
        function: fnName,
        pattern: z.record(z.string(), z.unknown()),
        batchSize: z.optional(integer(1, 10)),
        maxBatchingWindowSeconds: z.optional(integer(0, 300)),
        maxReceiveCount: z.optional(integer(1, 1000)),
      }),
    ),
  ),
  workQueues: z.optional(
    z.array(
      z.object({
        id: kebab,
        function: fnName,
        batchSize: z.optional(integer(1, 10)),
        maxReceiveCount: z.optional(integer(1, 1000)),
      }),
    ),
  ),
  requestHandlers: z.optional(z.array(z.object({ type: z.string(), function: fnName }))),
  replyHandler: z.optional(fnName),
  sends: z.optional(z.array(z.object({ quantum: name, types: z.array(z.string()).check(z.minLength(1)) }))),
  calls: z.optional(z.array(name)),
  schedules: z.optional(
    z.array(z.object({ id: kebab, function: fnName, everySeconds: z.number().check(z.int(), z.positive()) })),
  ),
  metricAlarms: z.optional(
    z.array(
      z.object({
        metric: z.string().check(z.regex(/^[A-Z][A-Za-z0-9]*$/, 'must be a PascalCase metric name')),
        threshold: z.optional(z.number().check(z.minimum(0))),
        periodSeconds: z.optional(integer(60, 86_400)),
        description: z.string().check(z.minLength(1)),
      }),
    ),
  ),
  webSocket: z.optional(
    z.object({
      function: fnName,
      routes: z
        .array(
          z
            .string()
            .check(
              z.regex(
                /^(\$connect|\$disconnect|\$default|[a-z][A-Za-z0-9]*)$/,
                'must be $connect, $disconnect, $default or a camelCase action',
              ),
            ),
        )
        .check(z.minLength(1)),
    }),
  ),
  signingKey: z.optional(z.boolean()),
  encryptionKey: z.optional(z.boolean()),
});

/**
 * Checks one quantum's manifest: its shape (names, paths, limits) and its cross-references (every
 * function it names is declared, routes under its base path, no route twice, a relay for what it
 * publishes, a reply handler for what it sends). `plan()` runs it on every manifest, so `cdk synth`,
 * `npm start` and the tests refuse a bad manifest before anything is built from it.
 *
 * @example
 * ```ts
 * validateManifest(orders); // throws ManifestError: Quantum manifest 'orders' is invalid: routes.0.path: …
 * ```
 */
export function validateManifest(manifest: QuantumManifest): void {
  const parsed = manifestSchema.safeParse(manifest);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ManifestError(`Quantum manifest '${String(manifest.name)}' is invalid: ${issues}`);
  }
  const problems: string[] = [];
  const fns = new Set(Object.keys(manifest.functions));
  const needFn = (fn: string | undefined, what: string): void => {
    if (fn !== undefined && !fns.has(fn))
      problems.push(`${what} names function '${fn}', which is not declared`);
  };
  if ((manifest.routes ?? []).length > 0) needFn('api', 'routes');
  if ((manifest.facade ?? []).length > 0) needFn('facade', 'facade');
  const base = basePathOf(manifest);
  for (const route of manifest.routes ?? []) {
    if (route.path !== base && !route.path.startsWith(`${base}/`)) {
      problems.push(`route '${route.method} ${route.path}' must start with the base path '${base}'`);
    }
  }
  const routeKeys = new Set<string>();
  for (const route of manifest.routes ?? []) {
    const key = `${route.method} ${route.path.replace(/\{[^}]+\}/g, '{}')}`;
    if (routeKeys.has(key)) problems.push(`route '${route.method} ${route.path}' is declared twice`);
    routeKeys.add(key);
  }
  if ((manifest.publishes ?? []).length > 0 && manifest.outboxRelay === undefined) {
    problems.push('publishes events but declares no outboxRelay function');
  }
  needFn(manifest.outboxRelay, 'outboxRelay');
  needFn(manifest.replyHandler, 'replyHandler');
  if ((manifest.sends ?? []).length > 0 && manifest.replyHandler === undefined) {
    problems.push('sends requests but declares no replyHandler function');
  }
  const ids = new Set<string>();
  for (const s of manifest.subscriptions ?? []) {
    needFn(s.function, `subscription '${s.id}'`);
    if (ids.has(s.id)) problems.push(`subscription id '${s.id}' is used twice`);
    ids.add(s.id);
  }
  for (const w of manifest.workQueues ?? []) {
    needFn(w.function, `work queue '${w.id}'`);
    if (ids.has(w.id)) problems.push(`queue id '${w.id}' is used by a subscription or another work queue`);
    ids.add(w.id);
  }
  for (const r of manifest.requestHandlers ?? []) needFn(r.function, `request handler '${r.type}'`);
  const requestFns = new Set((manifest.requestHandlers ?? []).map((r) => r.function));
  if (requestFns.size > 1) {
    problems.push(
      `request handlers must share one function (one request queue), got ${[...requestFns].join(', ')}`,
    );
  }
  for (const s of manifest.schedules ?? []) needFn(s.function, `schedule '${s.id}'`);
  needFn(manifest.webSocket?.function, 'webSocket');
  if (problems.length > 0) {
    throw new ManifestError(`Quantum manifest '${manifest.name}' is invalid: ${problems.join('; ')}`);
  }
}
