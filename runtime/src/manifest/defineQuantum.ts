import { z } from 'zod';
import type { QuantumManifest } from './QuantumManifest';

const name = z
  .string()
  .regex(/^[a-z][a-z0-9]*$/, 'must be lower-case letters and digits, starting with a letter');
const kebab = z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be kebab-case');
const fnName = z.string().regex(/^[a-z][A-Za-z0-9]*$/, 'must be camelCase');

const routeSchema = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  path: z.string().regex(/^(\/[A-Za-z0-9._\-{}]+)+$/, 'must be an absolute path like /orders/{id}'),
  access: z.union([z.enum(['public', 'authenticated']), z.object({ role: z.string().min(1) })]),
  maxBodyBytes: z.number().int().positive().max(6_000_000).optional(),
});

const manifestSchema = z.object({
  name,
  dir: z.string().min(1),
  basePath: z
    .string()
    .regex(/^\/[a-z][a-z0-9-]*$/, 'must be one path segment like /orders')
    .optional(),
  table: z.object({
    ttlAttribute: z.string().min(1).optional(),
    indexes: z
      .array(z.object({ name: kebab, partitionKey: z.string(), sortKey: z.string().optional() }))
      .optional(),
  }),
  functions: z.record(
    fnName,
    z.object({
      entry: z.string().regex(/\.ts$/, 'must be a .ts file relative to the quantum directory'),
      memoryMb: z.number().int().min(128).max(10240).optional(),
      timeoutSeconds: z.number().int().min(1).max(900).optional(),
      environment: z.record(z.string(), z.string()).optional(),
      reservedConcurrency: z.number().int().min(1).optional(),
    }),
  ),
  routes: z.array(routeSchema).optional(),
  facade: z
    .array(z.object({ name: z.string().regex(/^[A-Z][A-Za-z0-9]*$/), callers: z.array(name) }))
    .optional(),
  publishes: z.array(z.string().regex(/^[A-Z][A-Za-z0-9]*$/)).optional(),
  outboxRelay: fnName.optional(),
  subscriptions: z
    .array(
      z.object({
        id: kebab,
        function: fnName,
        pattern: z.record(z.string(), z.unknown()),
        batchSize: z.number().int().min(1).max(10).optional(),
        maxBatchingWindowSeconds: z.number().int().min(0).max(300).optional(),
        maxReceiveCount: z.number().int().min(1).max(1000).optional(),
      }),
    )
    .optional(),
  workQueues: z
    .array(
      z.object({
        id: kebab,
        function: fnName,
        batchSize: z.number().int().min(1).max(10).optional(),
        maxReceiveCount: z.number().int().min(1).max(1000).optional(),
      }),
    )
    .optional(),
  requestHandlers: z.array(z.object({ type: z.string(), function: fnName })).optional(),
  replyHandler: fnName.optional(),
  sends: z.array(z.object({ quantum: name, types: z.array(z.string()).min(1) })).optional(),
  calls: z.array(name).optional(),
  schedules: z
    .array(z.object({ id: kebab, function: fnName, everySeconds: z.number().int().positive() }))
    .optional(),
  metricAlarms: z
    .array(
      z.object({
        metric: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'must be a PascalCase metric name'),
        threshold: z.number().min(0).optional(),
        periodSeconds: z.number().int().min(60).max(86_400).optional(),
        description: z.string().min(1),
      }),
    )
    .optional(),
  webSocket: z
    .object({
      function: fnName,
      routes: z
        .array(
          z
            .string()
            .regex(
              /^(\$connect|\$disconnect|\$default|[a-z][A-Za-z0-9]*)$/,
              'must be $connect, $disconnect, $default or a camelCase action',
            ),
        )
        .min(1),
    })
    .optional(),
  signingKey: z.boolean().optional(),
  encryptionKey: z.boolean().optional(),
});

/** Raised at synth/start time when a manifest is inconsistent; the message names the bad value. */
export class ManifestError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ManifestError';
  }
}

/**
 * Declares a quantum. Validates the manifest (shape and cross-references) and returns it unchanged,
 * so a mistake fails `cdk synth`, `npm start` and `npm test` alike, with a message that shows the bad value.
 *
 * @example
 * ```ts
 * export default defineQuantum({
 *   name: 'identity',
 *   dir: import.meta.dirname,
 *   table: {},
 *   functions: { api: { entry: 'handlers/api.ts' } },
 *   routes: [{ method: 'GET', path: '/identity/me', access: 'authenticated' }],
 * });
 * ```
 */
export function defineQuantum<const M extends QuantumManifest>(manifest: M): M {
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
  return manifest;
}

/** The first path segment of a quantum's public routes (`basePath`, or `/${name}`). */
export function basePathOf(manifest: Pick<QuantumManifest, 'name' | 'basePath'>): string {
  return manifest.basePath ?? `/${manifest.name}`;
}

/** The manifest model's types, so that `quantum.ts` imports only this module (`@quanta/runtime/quantum`). */
export type * from './QuantumManifest';
