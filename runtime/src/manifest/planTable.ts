import type { EnvValue, QuantaPlan, Trigger } from './plan';

/**
 * The plan as readable text (`npm run plan`): per quantum its placement, table, functions with their
 * triggers, queues, rules and facade; then the HTTP routes, the WebSocket routes and the event flow
 * (who publishes, who subscribes). What `cdk deploy` would create, and what `npm start` runs.
 *
 * @example
 * ```ts
 * console.log(planTable(plan(manifests, registry)));
 * ```
 */
export function planTable(plan: QuantaPlan): string {
  const out: string[] = [];
  out.push(
    `Quanta plan: prefix '${plan.prefix}'${plan.production ? ', production' : ''}, ${plan.quanta.length} quanta`,
  );
  for (const q of plan.quanta) {
    const where = [q.placement.account ?? 'default account', q.placement.region ?? 'default region'].join(
      ' / ',
    );
    out.push('');
    out.push(`${q.stackId} (${q.role}; ${where}${q.placement.remote ? '; remote from the platform' : ''})`);
    out.push(
      `  table      ${q.table.name}  pk/sk${q.table.indexes.length > 0 ? `  indexes ${q.table.indexes.map((i) => i.name).join(', ')}` : ''}  ttl ${q.table.ttlAttribute}${q.table.stream ? `  stream ${q.table.stream}` : ''}`,
    );
    if (q.keys.signing || q.keys.encryption) {
      out.push(
        `  keys       ${[q.keys.signing ? 'signing (ES256)' : '', q.keys.encryption ? 'data (AES-256)' : ''].filter(Boolean).join(', ')}`,
      );
    }
    out.push('  functions');
    out.push(
      table(
        ['name', 'memory', 'timeout', 'triggers', 'references'],
        q.functions.map((f) => [
          f.name,
          `${f.memoryMb} MB`,
          `${f.timeoutSeconds} s${f.reservedConcurrency === undefined ? '' : `, ${f.reservedConcurrency} reserved`}`,
          f.triggers.map(triggerText).join('; ') || '-',
          Object.entries(f.environment)
            .filter(([, v]) => typeof v !== 'string')
            .map(([k, v]) => `${k}=${refText(v)}`)
            .join(' ') || '-',
        ]),
        4,
      ),
    );
    if (q.queues.length > 0) {
      out.push('  queues');
      out.push(
        table(
          ['queue', 'kind', 'consumer', 'visibility', 'dlq', 'senders'],
          q.queues.map((x) => [
            x.name,
            x.kind,
            `${x.consumer.quantum}.${x.consumer.function}`,
            `${x.visibilityTimeoutSeconds} s`,
            `${x.deadLetterQueue.name} after ${x.deadLetterQueue.maxReceiveCount}`,
            x.kind === 'inbox' ? 'event bus' : x.senders.join(', ') || '-',
          ]),
          4,
        ),
      );
    }
    for (const r of q.rules)
      out.push(`  rule       ${r.name} on ${r.bus}: ${JSON.stringify(r.pattern)} -> ${r.inbox}`);
    if (q.facade !== undefined) {
      for (const op of q.facade.operations) {
        out.push(`  facade     POST ${op.resourcePath} (IAM) callers: ${op.callers.join(', ') || 'none'}`);
      }
    }
    for (const c of q.calls) {
      out.push(
        `  calls      ${c.target}: ${c.operations.join(', ')}${c.shared ? ` (shared parameter in ${c.shared.account})` : ''}`,
      );
    }
    for (const s of q.schedules) out.push(`  schedule   ${s.name}: ${s.function} every ${s.everySeconds} s`);
    for (const a of q.alarms) out.push(`  alarm      ${a.metric} > ${a.threshold ?? 0}`);
  }
  out.push('');
  out.push('HTTP API routes');
  out.push(
    table(
      ['route', 'quantum', 'target', 'access'],
      plan.platform.httpApi.routes.map((r) => [
        r.routeKey,
        r.quantum,
        r.target,
        r.authorized ? 'authorizer' : 'public',
      ]),
      2,
    ),
  );
  const cors = plan.platform.httpApi.cors;
  out.push(
    cors === undefined
      ? '  CORS: none (quanta:cors)'
      : `  CORS: origins ${cors.allowOrigins.join(', ')}; methods ${cors.allowMethods.join(', ')}; headers ${cors.allowHeaders.join(', ')}; exposed ${cors.exposeHeaders.join(', ') || '-'}; preflight cached ${cors.maxAgeSeconds} s${cors.allowCredentials ? '; credentials' : ''}`,
  );
  const ws = plan.platform.webSocketApi;
  out.push('');
  out.push(
    `WebSocket API (${ws.name}, stage ${ws.stage}): ${ws.target === undefined ? 'no routes yet' : `${ws.routeKeys.join(', ')} -> ${ws.target.quantum}.${ws.target.function}`}`,
  );
  out.push('');
  out.push('Events');
  for (const q of plan.quanta) {
    if (q.publishes.detailTypes.length > 0) {
      out.push(`  ${q.publishes.source} publishes ${q.publishes.detailTypes.join(', ')}`);
    }
  }
  for (const q of plan.quanta) {
    for (const r of q.rules)
      out.push(`  ${q.name} subscribes (${r.subscription}): ${JSON.stringify(r.pattern)}`);
  }
  return out.join('\n');
}

function triggerText(t: Trigger): string {
  switch (t.kind) {
    case 'httpRoutes':
      return `http ${t.routes.join(', ')}`;
    case 'facade':
      return `facade ${t.operations.join(', ')}`;
    case 'queue':
      return `sqs ${t.queue} (batch ${t.batchSize}${t.maxBatchingWindowSeconds > 0 ? `, window ${t.maxBatchingWindowSeconds} s` : ''})`;
    case 'stream':
      return `stream ${t.table} (outbox inserts, batch ${t.batchSize})`;
    case 'schedule':
      return `schedule ${t.schedule} every ${t.everySeconds} s`;
    case 'httpAuthorizer':
      return 'HTTP API authorizer';
    case 'webSocketAuthorizer':
      return 'WebSocket $connect authorizer';
    case 'webSocketRoutes':
      return `websocket ${t.routeKeys.join(', ')}`;
  }
}

function refText(v: EnvValue): string {
  if (typeof v === 'string') return v;
  switch (v.ref) {
    case 'queueUrl':
      return `queue:${v.queue}`;
    case 'facadeUrl':
      return `facade:${v.quantum}`;
    case 'jwksUri':
      return `jwks:${v.path}`;
    case 'eventBus':
      return `bus:${v.bus}`;
    case 'signingKeys':
      return `signing-keys:${v.quantum}`;
    case 'encryptionKey':
      return `data-key:${v.quantum}`;
    case 'webSocketUrl':
      return 'websocket-url';
    case 'webSocketManagementUrl':
      return 'websocket-connections';
  }
}

function table(header: readonly string[], rows: readonly (readonly string[])[], indent: number): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `${' '.repeat(indent)}${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')}`;
  return [line(header), ...rows.map(line)].join('\n');
}
