import type { FunctionPlan, QuantaPlan, Trigger } from '@quanta/runtime/manifest';

/** One channel between two participants of the diagram (a quantum, or the clients). */
export interface ArchitectureLink {
  readonly section:
    | 'HTTP API'
    | 'WebSocket API'
    | 'Facades'
    | 'Request/reply'
    | 'Events'
    | 'Work queues'
    | 'Schedules';
  /** `clients` or a quantum. */
  readonly from: string;
  readonly to: string;
  readonly label: string;
  /** Function ids the channel invokes, so a live view can light it up with them. */
  readonly functionIds: readonly string[];
}

/** What the diagram draws: each quantum with its functions, and the channels between them. */
export interface ArchitectureModel {
  readonly quanta: readonly {
    readonly name: string;
    readonly role: 'platform' | 'business';
    readonly functions: readonly { readonly id: string; readonly key: string; readonly trigger: string }[];
    /** Lines listed under the functions: facade operations nobody calls, events nobody subscribes to, the table. */
    readonly notes: readonly string[];
  }[];
  readonly links: readonly ArchitectureLink[];
}

/**
 * The architecture of a plan as participants and channels: the HTTP API's routes and the WebSocket
 * API (from the clients), facades (caller → owner), request and reply queues (sender → consumer),
 * events (publisher → subscriber, through the bus and the subscriber's inbox), work queues and
 * schedules (a quantum to itself).
 *
 * @example
 * ```ts
 * architectureOf(plan).links.find((l) => l.section === 'Facades')?.label; // 'GetProducts → catalog.facade'
 * ```
 */
export function architectureOf(plan: QuantaPlan): ArchitectureModel {
  const links: ArchitectureLink[] = [];
  for (const q of plan.quanta) {
    const routes = plan.platform.httpApi.routes.filter((r) => r.quantum === q.name);
    const target = routes[0]?.target;
    if (target !== undefined) {
      const open = routes.filter((r) => !r.authorized).length;
      links.push({
        section: 'HTTP API',
        from: 'clients',
        to: q.name,
        label: `${q.basePath ?? `/${q.name}`}/* → ${target}${open > 0 ? ` (${open} public route${open === 1 ? '' : 's'})` : ''}`,
        functionIds: [target, plan.platform.httpApi.authorizer],
      });
    }
  }
  const ws = plan.platform.webSocketApi;
  if (ws.target !== undefined) {
    const functionId = `${ws.target.quantum}.${ws.target.function}`;
    links.push({
      section: 'WebSocket API',
      from: 'clients',
      to: ws.target.quantum,
      label: `${ws.routeKeys.join(', ')} → ${functionId}`,
      functionIds: [functionId, ws.authorizer],
    });
  }
  for (const q of plan.quanta) {
    for (const op of q.facade?.operations ?? []) {
      for (const caller of op.callers) {
        links.push({
          section: 'Facades',
          from: caller,
          to: q.name,
          label: `${op.name} → ${q.facade?.target}`,
          functionIds: [q.facade?.target ?? ''],
        });
      }
    }
  }
  const queues = plan.quanta.flatMap((q) => q.queues);
  for (const queue of queues.filter((x) => x.kind === 'request' || x.kind === 'reply')) {
    const consumer = `${queue.consumer.quantum}.${queue.consumer.function}`;
    for (const sender of queue.senders) {
      links.push({
        section: 'Request/reply',
        from: sender,
        to: queue.consumer.quantum,
        label: `${queue.kind} ${queue.name} → ${consumer}`,
        functionIds: [consumer],
      });
    }
  }
  for (const q of plan.quanta) {
    for (const rule of q.rules) {
      const sources = patternValues(rule.pattern, 'source');
      const types = patternValues(rule.pattern, 'detail-type');
      const publishers = plan.quanta.filter(
        (p) =>
          p.publishes.detailTypes.length > 0 &&
          (sources === undefined || sources.includes(p.publishes.source)),
      );
      for (const publisher of publishers) {
        links.push({
          section: 'Events',
          from: publisher.name,
          to: q.name,
          label: `${types?.join(', ') ?? 'any event'} → ${rule.inbox} → ${q.name}.${consumerKeyOf(q.queues, rule.inbox)}`,
          functionIds: [`${q.name}.${consumerKeyOf(q.queues, rule.inbox)}`],
        });
      }
    }
    for (const queue of q.queues.filter((x) => x.kind === 'work')) {
      const consumer = `${queue.consumer.quantum}.${queue.consumer.function}`;
      links.push({
        section: 'Work queues',
        from: q.name,
        to: q.name,
        label: `${queue.name} → ${consumer}`,
        functionIds: [consumer],
      });
    }
    for (const schedule of q.schedules) {
      const functionId = `${q.name}.${schedule.function}`;
      links.push({
        section: 'Schedules',
        from: q.name,
        to: q.name,
        label: `${schedule.id} every ${schedule.everySeconds} s → ${functionId}`,
        functionIds: [functionId],
      });
    }
  }
  const subscribed = new Set(
    plan.quanta.flatMap((q) => q.rules.flatMap((r) => patternValues(r.pattern, 'detail-type') ?? [])),
  );
  const order: readonly ArchitectureLink['section'][] = [
    'HTTP API',
    'WebSocket API',
    'Facades',
    'Request/reply',
    'Events',
    'Work queues',
    'Schedules',
  ];
  links.sort((a, b) => order.indexOf(a.section) - order.indexOf(b.section));
  return {
    quanta: plan.quanta.map((q) => ({
      name: q.name,
      role: q.role,
      functions: q.functions.map((fn) => ({ id: fn.id, key: fn.key, trigger: triggerSummaryOf(fn) })),
      notes: [
        `table ${q.table.name}`,
        ...(q.facade?.operations ?? [])
          .filter((op) => op.callers.length === 0)
          .map((op) => `facade ${op.name}: no caller`),
        ...(q.publishes.detailTypes.length > 0
          ? [
              `publishes ${q.publishes.detailTypes
                .map((t) => (subscribed.has(t) ? t : `${t} (no subscriber)`))
                .join(', ')}`,
            ]
          : []),
      ],
    })),
    links,
  };
}

const COLUMN = 220;
const LEFT = 130;
const TOP = 20;
const ROW = 30;
const FUNCTION_ROW = 20;
const NOTE_LINE = 13;

/**
 * The architecture diagram of a plan as an SVG document: one column per participant (the clients,
 * then each quantum) with its functions, and one row per channel, grouped by kind, drawn as an arrow
 * between the columns (a loop for a quantum's own work queues and schedules). Function boxes carry
 * `data-function`, arrows `data-functions`, so the console can light them up as invocations arrive.
 *
 * @example
 * ```ts
 * const svg = renderArchitecture(plan); // '<svg xmlns="http://www.w3.org/2000/svg" …'
 * ```
 */
export function renderArchitecture(plan: QuantaPlan): string {
  const model = architectureOf(plan);
  const columns = ['clients', ...model.quanta.map((q) => q.name)];
  const x = (name: string): number => LEFT + columns.indexOf(name) * COLUMN + COLUMN / 2;
  const boxHeight = Math.max(
    ...model.quanta.map(
      (q) => 34 + q.functions.length * FUNCTION_ROW + 6 + wrappedNotes(q.notes).length * NOTE_LINE + 8,
    ),
  );
  const parts: string[] = [];
  parts.push(
    `<g class="participant" data-quantum="clients"><rect x="${x('clients') - 100}" y="${TOP}" width="200" height="40" rx="6" class="clients"/>`,
    `<text x="${x('clients')}" y="${TOP + 25}" text-anchor="middle" class="name">clients (browser, curl)</text></g>`,
  );
  for (const q of model.quanta) {
    const cx = x(q.name);
    const left = cx - COLUMN / 2 + 10;
    parts.push(
      `<g class="participant ${q.role}" data-quantum="${esc(q.name)}">`,
      `<rect x="${left}" y="${TOP}" width="${COLUMN - 20}" height="${boxHeight}" rx="6" class="quantum"/>`,
      `<text x="${cx}" y="${TOP + 22}" text-anchor="middle" class="name">${esc(q.name)}${q.role === 'platform' && q.name !== 'platform' ? ' (platform)' : ''}</text>`,
    );
    q.functions.forEach((fn, i) => {
      const y = TOP + 34 + i * FUNCTION_ROW;
      parts.push(
        `<g class="function" data-function="${esc(fn.id)}"><title>${esc(fn.id)}: ${esc(fn.trigger)}</title>`,
        `<rect x="${left + 8}" y="${y}" width="${COLUMN - 36}" height="${FUNCTION_ROW - 3}" rx="3"/>`,
        `<text x="${left + 14}" y="${y + 12}" class="fn">${esc(fn.key)}<tspan class="trigger"> ${esc(fn.trigger)}</tspan></text></g>`,
      );
    });
    wrappedNotes(q.notes).forEach((line, i) => {
      const y = TOP + 34 + q.functions.length * FUNCTION_ROW + 14 + i * NOTE_LINE;
      parts.push(`<text x="${left + 10}" y="${y}" class="note">${esc(line)}</text>`);
    });
    parts.push('</g>');
  }
  let y = TOP + boxHeight + 30;
  const lifelineTop = TOP + boxHeight;
  const rows: string[] = [];
  let section: string | undefined;
  for (const link of model.links) {
    if (link.section !== section) {
      section = link.section;
      y += 10;
      rows.push(`<text x="10" y="${y + 4}" class="section">${esc(section)}</text>`);
    }
    rows.push(arrow(link, x(link.from), x(link.to), y));
    y += ROW;
  }
  const height = y + 10;
  const width = LEFT + columns.length * COLUMN + 20;
  const lifelines = columns.map(
    (c) =>
      `<line x1="${x(c)}" y1="${c === 'clients' ? TOP + 40 : lifelineTop}" x2="${x(c)}" y2="${height - 5}" class="lifeline"/>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="architecture-title">`,
    `<title id="architecture-title">Architecture: ${model.quanta.length} quanta and ${model.links.length} channels</title>`,
    '<defs><marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z"/></marker></defs>',
    ...lifelines,
    ...parts,
    ...rows,
    '</svg>',
  ].join('\n');
}

function arrow(link: ArchitectureLink, x1: number, x2: number, y: number): string {
  const data = `class="link ${sectionClass(link.section)}" data-functions="${esc(link.functionIds.join(' '))}"`;
  if (x1 === x2) {
    const path = `M ${x1} ${y - 8} h 36 v 14 h -34`;
    return `<g ${data}><path d="${path}" marker-end="url(#arrowhead)"/><text x="${x1 + 42}" y="${y + 2}" class="label">${esc(link.label)}</text></g>`;
  }
  const labelX = Math.min(x1, x2) + 8;
  return `<g ${data}><line x1="${x1}" y1="${y}" x2="${x2 + (x2 > x1 ? -2 : 2)}" y2="${y}" marker-end="url(#arrowhead)"/><text x="${labelX}" y="${y - 5}" class="label">${esc(link.label)}</text></g>`;
}

function sectionClass(section: ArchitectureLink['section']): string {
  return section.toLowerCase().replaceAll(/[^a-z]+/g, '-');
}

/** Notes cut into lines of at most 34 characters, at spaces. */
function wrappedNotes(notes: readonly string[]): string[] {
  return notes.flatMap((note) => {
    const lines: string[] = [];
    let line = '';
    for (const word of note.split(' ')) {
      if (line !== '' && line.length + word.length + 1 > 34) {
        lines.push(line);
        line = `  ${word}`;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    if (line !== '') lines.push(line);
    return lines;
  });
}

function triggerSummaryOf(fn: FunctionPlan): string {
  return fn.triggers.map(triggerText).join(', ') || 'no trigger';
}

function triggerText(trigger: Trigger): string {
  switch (trigger.kind) {
    case 'httpRoutes':
      return 'HTTP API';
    case 'facade':
      return `facade ${trigger.operations.join(', ')}`;
    case 'queue':
      return `SQS (batch ${trigger.batchSize})`;
    case 'stream':
      return 'table stream';
    case 'schedule':
      return `every ${trigger.everySeconds} s`;
    case 'httpAuthorizer':
      return 'HTTP authorizer';
    case 'webSocketAuthorizer':
      return '$connect authorizer';
    case 'webSocketRoutes':
      return 'WebSocket';
  }
}

function consumerKeyOf(queues: QuantaPlan['quanta'][number]['queues'], inbox: string): string {
  return queues.find((queue) => queue.name === inbox)?.consumer.function ?? '?';
}

function patternValues(pattern: Readonly<Record<string, unknown>>, key: string): string[] | undefined {
  const value = pattern[key];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

function esc(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}
