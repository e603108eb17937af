import { LOCAL_VARIABLE_NAMES, type QuantaPlan } from '@quanta/runtime/manifest';
import {
  facadeApisOf,
  type LocalEndpoints,
  localFunctionsOf,
  queueBindingsOf,
  routesOf,
  schedulesOf,
  streamBindingsOf,
} from '../../local/planWiring';

/**
 * One side of the parity check: per function (by deployed name) what it is given and what invokes
 * it, with every resource reduced to its name, so a CloudFormation token and a local URL compare equal
 * when they point at the same queue, table or facade.
 */
export interface Wiring {
  readonly functions: ReadonlyMap<string, FunctionWiring>;
  /** `METHOD /path -> function [authorizer|public]`, sorted. */
  readonly routes: readonly string[];
  /** `quantum.Operation: caller, caller`, sorted. */
  readonly facadeCallers: readonly string[];
  /** The HTTP API's CORS configuration, one `setting=value` each, sorted; empty without CORS. */
  readonly cors: readonly string[];
}

export interface FunctionWiring {
  /** Variable names (local names mapped back to the AWS ones), sorted. */
  readonly variables: readonly string[];
  /** Queue/facade variables by name -> the name of the resource they point at. */
  readonly references: Readonly<Record<string, string>>;
  /** `queue <name> batch <n> window <s> visibility <s>`, `stream <table> <filter>`, `schedule every <s>`; sorted. */
  readonly triggers: readonly string[];
}

type Json = Record<string, unknown>;
interface Resource {
  readonly Type: string;
  readonly Properties?: Json;
}
type Template = {
  readonly Resources: Record<string, Resource>;
  readonly Parameters?: Record<string, { readonly Default?: string }>;
};

const QUEUE_OR_FACADE = /^(REPLY_QUEUE_URL|REQUEST_QUEUE_URL_|FACADE_URL_)/;

/** The wiring `cdk synth` produced: read from the synthesized templates of every stack. */
export function wiringOfTemplates(templates: readonly Template[]): Wiring {
  const all = templates.flatMap((t) => Object.entries(t.Resources).map(([id, r]) => ({ id, r, t })));
  const byId = (t: Template, value: unknown): Resource | undefined => {
    const v = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
    const id = v?.Ref ?? v?.['Fn::GetAtt']?.[0];
    return id === undefined ? undefined : t.Resources[id];
  };
  const queueVisibility = new Map<string, number>();
  for (const { r } of all) {
    if (r.Type === 'AWS::SQS::Queue' && typeof r.Properties?.QueueName === 'string') {
      queueVisibility.set(r.Properties.QueueName, Number(r.Properties.VisibilityTimeout ?? 30));
    }
  }
  const nameOf = (t: Template, value: unknown): string => {
    const target = byId(t, value);
    const props = target?.Properties ?? {};
    const named = props.QueueName ?? props.TableName ?? props.FunctionName;
    if (typeof named === 'string') return named;
    return lastSegment(flatten(value));
  };

  const functions = new Map<
    string,
    { variables: string[]; references: Record<string, string>; triggers: string[] }
  >();
  // Logical ids repeat across stacks (every quantum has `ResourcesApiFunction…`): key them by template.
  const fnNameById = new Map<string, string>();
  const key = (t: Template, id: string) => `${templates.indexOf(t)}:${id}`;
  for (const { id, r, t } of all) {
    if (r.Type !== 'AWS::Lambda::Function' || typeof r.Properties?.FunctionName !== 'string') continue;
    const name = r.Properties.FunctionName;
    fnNameById.set(key(t, id), name);
    const variables = ((r.Properties.Environment as Json | undefined)?.Variables ?? {}) as Json;
    const references: Record<string, string> = {};
    for (const [k, v] of Object.entries(variables)) {
      if (QUEUE_OR_FACADE.test(k)) {
        references[k] = k.startsWith('FACADE_URL_')
          ? facadeOf(withParameters(t, v))
          : lastSegment(flatten(v));
      }
    }
    functions.set(name, { variables: Object.keys(variables).sort(), references, triggers: [] });
  }
  for (const { r, t } of all) {
    const p = r.Properties ?? {};
    if (r.Type === 'AWS::Lambda::EventSourceMapping') {
      const fn = functions.get(fnNameById.get(key(t, (p.FunctionName as { Ref: string }).Ref)) ?? '');
      const source = byId(t, p.EventSourceArn);
      if (fn === undefined) continue;
      if (source?.Type === 'AWS::DynamoDB::Table' || JSON.stringify(p.EventSourceArn).includes('StreamArn')) {
        const filter = (
          (p.FilterCriteria as Json | undefined)?.Filters as { Pattern: string }[] | undefined
        )?.[0];
        fn.triggers.push(
          `stream ${nameOf(t, p.EventSourceArn)} ${canonical(JSON.parse(filter?.Pattern ?? '{}'))}`,
        );
      } else {
        const queue = nameOf(t, p.EventSourceArn);
        fn.triggers.push(
          `queue ${queue} batch ${p.BatchSize ?? 10} window ${p.MaximumBatchingWindowInSeconds ?? 0} visibility ${queueVisibility.get(queue)}`,
        );
      }
    }
    if (r.Type === 'AWS::Scheduler::Schedule') {
      const target = p.Target as { Arn: unknown };
      const fn = functions.get(nameOf(t, target.Arn));
      const [, n, unit] =
        /rate\((\d+) (minute|minutes|hour|hours)\)/.exec(String(p.ScheduleExpression)) ?? [];
      fn?.triggers.push(`schedule every ${Number(n) * (unit?.startsWith('hour') ? 3600 : 60)}`);
    }
  }

  const roleQuantum = new Map<string, string>();
  for (const { r } of all) {
    const p = r.Properties ?? {};
    if (r.Type !== 'AWS::IAM::Role' || typeof p.RoleName !== 'string') continue;
    const tags = (p.Tags ?? []) as { Key: string; Value: string }[];
    const quantum = tags.find((tag) => tag.Key === 'quanta:quantum')?.Value;
    if (quantum !== undefined) roleQuantum.set(p.RoleName, quantum);
  }
  const routes: string[] = [];
  const facadeCallers: string[] = [];
  for (const { r, t } of all) {
    const p = r.Properties ?? {};
    if (
      r.Type === 'AWS::ApiGatewayV2::Route' &&
      p.RouteKey !== undefined &&
      String(p.RouteKey).includes(' ')
    ) {
      const integrationId = /integrations\/(.+)$/.exec(flatten(p.Target))?.[1] ?? flatten(p.Target);
      const integration = Object.entries(t.Resources).find(([id]) => flatten(p.Target).includes(id))?.[1];
      const uri = integration?.Properties?.IntegrationUri ?? integrationId;
      const target = byId(t, uri)?.Properties?.FunctionName ?? lastSegment(flatten(uri));
      routes.push(
        `${p.RouteKey} -> ${target} [${p.AuthorizationType === 'CUSTOM' ? 'authorizer' : 'public'}]`,
      );
    }
    if (r.Type === 'AWS::ApiGateway::RestApi' && typeof p.Name === 'string') {
      const quantum = /-(\w+)-facade$/.exec(p.Name)?.[1] ?? p.Name;
      const statements = ((p.Policy as Json | undefined)?.Statement ?? []) as {
        Sid?: string;
        Condition?: Record<string, Record<string, unknown>>;
      }[];
      // Every operation has a Deny for the others; its Allow, when it admits anyone, names exact
      // role ARNs, and a role's quantum is the stack (tag) that holds it.
      for (const s of statements) {
        const op = /^Deny(\w+)Others$/.exec(s.Sid ?? '')?.[1];
        if (op === undefined) continue;
        const allow = statements.find((a) => a.Sid === `Allow${op}Callers`);
        const arns = allow?.Condition?.ArnEquals?.['aws:PrincipalArn'] ?? [];
        const roles = (Array.isArray(arns) ? arns : [arns]).map((a) => flatten(a).split(':role/')[1] ?? '');
        const callers = [...new Set(roles.map((role) => roleQuantum.get(role) ?? `unknown role ${role}`))];
        facadeCallers.push(`${quantum}.${op}: ${callers.sort().join(', ')}`);
      }
    }
  }
  const api = all.find(
    ({ r }) => r.Type === 'AWS::ApiGatewayV2::Api' && r.Properties?.ProtocolType === 'HTTP',
  );
  const corsConfiguration = (api?.r.Properties?.CorsConfiguration ?? {}) as Json;
  const cors = Object.entries(corsConfiguration).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return freeze(functions, routes, facadeCallers, cors);
}

/** The wiring the local cloud builds from the same plan (with stand-in endpoints). */
export function wiringOfLocalCloud(plan: QuantaPlan): Wiring {
  const endpoints: LocalEndpoints = {
    httpUrl: 'http://127.0.0.1:3000',
    facadeUrl: 'http://127.0.0.1:3002',
    queueUrlOf: (name) => `http://127.0.0.1:9324/000000000000/${name}`,
    signingKeys: new Map(plan.quanta.map((q) => [q.name, []])),
    encryptionKeys: new Map(plan.quanta.map((q) => [q.name, 'key'])),
    webSocket: { url: 'ws://127.0.0.1:3001', managementUrl: 'http://127.0.0.1:3001/live' },
  };
  const awsName = Object.fromEntries(
    Object.entries(LOCAL_VARIABLE_NAMES).map(([aws, local]) => [local, aws]),
  );
  const names = new Map(plan.quanta.flatMap((q) => q.functions.map((f) => [f.id, f.name] as const)));
  const functions = new Map<
    string,
    { variables: string[]; references: Record<string, string>; triggers: string[] }
  >();
  for (const fn of localFunctionsOf(plan, endpoints)) {
    const env = fn.environment ?? {};
    const references: Record<string, string> = {};
    for (const [k, v] of Object.entries(env)) {
      if (QUEUE_OR_FACADE.test(k)) references[k] = k.startsWith('FACADE_URL_') ? facadeOf(v) : lastSegment(v);
    }
    functions.set(fn.functionName ?? fn.id, {
      variables: Object.keys(env)
        .map((k) => awsName[k] ?? k)
        .sort(),
      references,
      triggers: [],
    });
  }
  const fnOf = (id: string) => functions.get(names.get(id) ?? id);
  for (const b of queueBindingsOf(plan)) {
    fnOf(b.functionId)?.triggers.push(
      `queue ${b.queue.name} batch ${b.batchSize} window ${b.maxBatchingWindowSeconds} visibility ${b.queue.visibilityTimeoutSeconds}`,
    );
  }
  for (const s of streamBindingsOf(plan)) {
    fnOf(s.functionId)?.triggers.push(`stream ${s.table} ${canonical(s.trigger.filter)}`);
  }
  for (const s of schedulesOf(plan)) fnOf(s.functionId)?.triggers.push(`schedule every ${s.everySeconds}`);
  const routes = routesOf(plan).map(
    (r) =>
      `${r.routeKey} -> ${names.get(r.functionId) ?? r.functionId} [${r.authorized ? 'authorizer' : 'public'}]`,
  );
  const facadeCallers = facadeApisOf(plan).flatMap((api) =>
    [...api.operations.values()].map(
      (op) => `${api.quantum}.${op.name}: ${[...op.callers].sort().join(', ')}`,
    ),
  );
  // What the local gateway is given, in CloudFormation's terms.
  const given = plan.platform.httpApi.cors;
  const cors =
    given === undefined
      ? []
      : Object.entries({
          AllowOrigins: given.allowOrigins,
          AllowHeaders: given.allowHeaders,
          AllowMethods: given.allowMethods,
          ExposeHeaders: given.exposeHeaders,
          MaxAge: given.maxAgeSeconds,
          AllowCredentials: given.allowCredentials,
        }).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return freeze(functions, routes, facadeCallers, cors);
}

/** Every difference between two wirings, each naming the function and what differs; empty when they agree. */
export function parityProblems(aws: Wiring, local: Wiring): string[] {
  const problems: string[] = [];
  const names = new Set([...aws.functions.keys(), ...local.functions.keys()]);
  for (const name of [...names].sort()) {
    const a = aws.functions.get(name);
    const l = local.functions.get(name);
    if (a === undefined || l === undefined) {
      problems.push(`${name}: only ${a === undefined ? 'locally' : 'in AWS'}`);
      continue;
    }
    diff(problems, `${name} variables`, a.variables, l.variables);
    diff(problems, `${name} triggers`, [...a.triggers].sort(), [...l.triggers].sort());
    diff(
      problems,
      `${name} queue/facade references`,
      Object.entries(a.references)
        .map(([k, v]) => `${k}=${v}`)
        .sort(),
      Object.entries(l.references)
        .map(([k, v]) => `${k}=${v}`)
        .sort(),
    );
  }
  diff(problems, 'HTTP routes', aws.routes, local.routes);
  diff(problems, 'facade callers', aws.facadeCallers, local.facadeCallers);
  diff(problems, 'HTTP API CORS', aws.cors, local.cors);
  return problems;
}

function diff(problems: string[], what: string, aws: readonly string[], local: readonly string[]): void {
  const onlyAws = aws.filter((x) => !local.includes(x));
  const onlyLocal = local.filter((x) => !aws.includes(x));
  if (onlyAws.length > 0 || onlyLocal.length > 0) {
    problems.push(`${what}: AWS only [${onlyAws.join(' | ')}], local only [${onlyLocal.join(' | ')}]`);
  }
}

function freeze(
  functions: Map<string, { variables: string[]; references: Record<string, string>; triggers: string[] }>,
  routes: string[],
  facadeCallers: string[],
  cors: string[],
): Wiring {
  return { functions, routes: routes.sort(), facadeCallers: facadeCallers.sort(), cors: cors.sort() };
}

/** A `{ Ref }` to a template parameter replaced by the parameter's default (the SSM parameter a value is read from). */
function withParameters(t: Template, value: unknown): unknown {
  const ref = (value as { Ref?: string } | null)?.Ref;
  return ref !== undefined && t.Parameters?.[ref]?.Default !== undefined ? t.Parameters[ref].Default : value;
}

/** Every string inside a CloudFormation value, joined: enough to find the literal parts of an ARN or URL. */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(flatten).join('');
  if (value !== null && typeof value === 'object') {
    const o = value as Json;
    if (typeof o.Ref === 'string') return `{${o.Ref}}`;
    return Object.values(o).map(flatten).join('');
  }
  return String(value);
}

function lastSegment(text: string): string {
  return text.split(/[/:]/).filter(Boolean).at(-1) ?? text;
}

/** `FACADE_URL_X` in AWS reads the target's SSM parameter `/…/<quantum>/facade-url`; locally it is `…/<quantum>/v1`. */
function facadeOf(value: unknown): string {
  const text = flatten(value);
  return /\/([a-z0-9]+)\/facade-url/.exec(text)?.[1] ?? /\/([a-z0-9]+)\/v1$/.exec(text)?.[1] ?? text;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value as Json)
      .sort()
      .map((k) => `${k}:${canonical((value as Json)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
