import type { QuantumManifest } from '@quanta/runtime/manifest';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import type { QuantumStack } from '../../stacks';
import {
  at,
  buildTestApp,
  IDENTITY_ACCOUNT,
  ORDERS_ACCOUNT,
  PLATFORM_ACCOUNT,
  testManifests,
} from './quantaTestApp';

type Json = unknown;
interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, Json>;
}
interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: Json;
  readonly Condition?: Record<string, Record<string, Json>>;
}

const PREFIX = 'quanta';
const PREVIOUS_KEY = 'arn:aws:kms:eu-west-1:111111111111:key/0b2c4f3e-1111-2222-3333-444455556666';
/** Actions AWS authorizes only on Resource "*" (no resource-level permissions). */
const STAR_ONLY_ACTIONS = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'dynamodb:ListStreams',
]);

/** Renders an IAM resource value as a string: `<LogicalId.Attr>` for GetAtt, `<LogicalId>` for Ref. */
function render(value: Json): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, Json>;
  if ('Ref' in v) {
    const ref = String(v.Ref);
    return ref === 'AWS::Partition' ? 'aws' : ref === 'AWS::URLSuffix' ? 'amazonaws.com' : `<${ref}>`;
  }
  if ('Fn::GetAtt' in v) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
  if ('Fn::Join' in v) {
    const [sep, parts] = v['Fn::Join'] as [string, Json[]];
    return parts.map(render).join(sep);
  }
  return JSON.stringify(value);
}

function actionsOf(statement: Statement): readonly string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/**
 * Why `resource` in `statement` is not `quantum`'s to touch, or undefined when it is: its own table
 * (and indexes, stream), queues, key and log groups; PutEvents on the platform bus with its own source;
 * SendMessage to the request queues of its targets and the reply queues of its senders; its data key
 * for encrypt/decrypt/generate-data-key only; Invoke on the
 * facade operations that name it as caller; "*" only for actions without resource-level permissions.
 */
function violation(
  quantum: string,
  statement: Statement,
  resource: string,
  resources: Readonly<Record<string, CfnResource>>,
  manifests: Readonly<Record<string, QuantumManifest>>,
): string | undefined {
  const actions = actionsOf(statement);
  const manifest = manifests[quantum] as QuantumManifest;
  if (resource === '*') {
    const others = actions.filter((a) => !STAR_ONLY_ACTIONS.has(a));
    return others.length === 0 ? undefined : `Resource * for ${others.join(', ')}`;
  }
  const ref = /^<([A-Za-z0-9]+)(?:\.(Arn|StreamArn))?>(\/index\/[a-z0-9-]+)?$/.exec(resource);
  if (ref !== null) {
    const target = resources[ref[1] as string];
    const name = (key: string) => String(target?.Properties?.[key] ?? '');
    switch (target?.Type) {
      case 'AWS::DynamoDB::Table':
        return name('TableName') === `${PREFIX}-${quantum}` ? undefined : `table ${name('TableName')}`;
      case 'AWS::SQS::Queue':
        return name('QueueName').startsWith(`${PREFIX}-${quantum}-`)
          ? undefined
          : `queue ${name('QueueName')}`;
      case 'AWS::Logs::LogGroup':
        return name('LogGroupName').startsWith(`/aws/lambda/${PREFIX}-${quantum}-`)
          ? undefined
          : `log group ${name('LogGroupName')}`;
      case 'AWS::KMS::Key': {
        const alias = Object.values(resources).find(
          (r) =>
            r.Type === 'AWS::KMS::Alias' && JSON.stringify(r.Properties?.TargetKeyId).includes(`"${ref[1]}"`),
        );
        const aliasName = alias?.Properties?.AliasName;
        const dataActions = ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'];
        if (aliasName === `alias/${PREFIX}-${quantum}-data` && manifest.encryptionKey === true) {
          return actions.every((a) => dataActions.includes(a))
            ? undefined
            : `data key ${ref[1]} (${actions.join()})`;
        }
        return aliasName === `alias/${PREFIX}-${quantum}-signing` ? undefined : `key ${ref[1]}`;
      }
      default:
        return `${target?.Type ?? 'unknown'} ${ref[1]}`;
    }
  }
  const arn = /^arn:aws:([a-z-]+):[a-z0-9-]*:(\d{12}|<[^>]+>)?:(.+)$/.exec(resource);
  if (arn === null) return `unrecognized resource ${resource}`;
  const [, service, , rest] = arn as unknown as [string, string, string, string];
  if (service === 'events') {
    const source = statement.Condition?.StringEquals?.['events:source'];
    return rest === `event-bus/${PREFIX}-bus` &&
      actions.join() === 'events:PutEvents' &&
      source === `quanta.${quantum}`
      ? undefined
      : `event bus ${rest} (${actions.join()}, source ${String(source)})`;
  }
  if (service === 'sqs') {
    if (rest === `${PREFIX}-${quantum}-requests` || rest === `${PREFIX}-${quantum}-replies`) return undefined;
    if ((manifest.workQueues ?? []).some((w) => rest === `${PREFIX}-${quantum}-${w.id}`)) return undefined;
    const sendOnly = actions.join() === 'sqs:SendMessage';
    const targets = (manifest.sends ?? []).map((s) => `${PREFIX}-${s.quantum}-requests`);
    const senders = Object.values(manifests)
      .filter((m) => (m.sends ?? []).some((s) => s.quantum === quantum))
      .map((m) => `${PREFIX}-${m.name}-replies`);
    return sendOnly && [...targets, ...senders].includes(rest)
      ? undefined
      : `queue ${rest} (${actions.join()})`;
  }
  if (service === 'execute-api' && actions.join() === 'execute-api:ManageConnections') {
    // Only the quantum serving the WebSocket routes, only on that API's @connections (API id from the
    // platform's published URL), only in the platform's stage.
    return manifest.webSocket !== undefined &&
      rest.includes('websocketurl') &&
      rest.endsWith('/live/*/@connections/*')
      ? undefined
      : `connections ${rest}`;
  }
  if (service === 'execute-api') {
    const op = /\/v1\/POST\/ops\/([A-Za-z0-9]+)$/.exec(rest)?.[1];
    const allowed = (manifest.calls ?? []).some((t) =>
      (manifests[t]?.facade ?? []).some((o) => o.name === op && o.callers.includes(quantum)),
    );
    return allowed && actions.join() === 'execute-api:Invoke' && !rest.includes('*')
      ? undefined
      : `facade ${rest}`;
  }
  if (service === 'kms') {
    return manifest.signingKey === true && resource === PREVIOUS_KEY && actions.join() === 'kms:GetPublicKey'
      ? undefined
      : `key ${resource} (${actions.join()})`;
  }
  return `${service} resource ${rest}`;
}

/** Every statement of every function role in `stack` that reaches beyond the stack's quantum. */
function violationsIn(
  quantum: string,
  template: { readonly Resources: Readonly<Record<string, CfnResource>> },
  manifests: Readonly<Record<string, QuantumManifest>>,
): string[] {
  const resources = template.Resources;
  const found: string[] = [];
  const functions = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function');
  expect(functions.length).toBeGreaterThan(0);
  for (const fn of functions) {
    const name = String(fn.Properties?.FunctionName);
    expect(name.startsWith(`${PREFIX}-${quantum}-`), `function ${name} belongs to ${quantum}`).toBe(true);
    const roleRef = fn.Properties?.Role as { 'Fn::GetAtt': [string, string] };
    const roleId = roleRef['Fn::GetAtt'][0];
    const role = resources[roleId];
    expect(role?.Properties?.ManagedPolicyArns, `${name} has no managed policies`).toBeUndefined();
    expect(role?.Properties?.Policies, `${name} has no inline role policies`).toBeUndefined();
    const policies = Object.values(resources).filter(
      (r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties?.Roles).includes(`"${roleId}"`),
    );
    for (const policy of policies) {
      const document = policy.Properties?.PolicyDocument as { Statement: Statement[] };
      const statements = document.Statement;
      for (const statement of statements) {
        expect(statement.Effect).toBe('Allow');
        const list = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
        for (const resource of list.map(render)) {
          const why = violation(quantum, statement, resource, resources, manifests);
          if (why !== undefined) found.push(`${name}: ${actionsOf(statement).join(',')} on ${why}`);
        }
      }
    }
  }
  return found;
}

const registries = {
  'every quantum in one account': {
    quanta: {
      platform: at(PLATFORM_ACCOUNT),
      identity: at(PLATFORM_ACCOUNT),
      orders: at(PLATFORM_ACCOUNT),
      catalog: at(PLATFORM_ACCOUNT),
      chat: at(PLATFORM_ACCOUNT),
    },
    'quanta:previousSigningKeyArn': PREVIOUS_KEY,
  },
  'quanta in three accounts': {
    quanta: {
      platform: at(PLATFORM_ACCOUNT),
      identity: at(IDENTITY_ACCOUNT),
      orders: at(ORDERS_ACCOUNT),
      catalog: at(ORDERS_ACCOUNT),
    },
  },
} as const;

describe.each(Object.entries(registries))('IAM least privilege with %s', (_name, context) => {
  const { template } = buildTestApp(context);
  // Synthesized while collecting, like the other stack tests: a whole app's first synth (cdk-nag
  // included) can outlast a test's timeout on a busy machine.
  const templates = new Map(Object.keys(context.quanta).map((q) => [q, template(q)] as const));

  it.each(Object.keys(context.quanta))(
    'lets each function of %s touch only its own quantum’s resources',
    (quantum) => {
      const json = templates.get(quantum)?.toJSON() as { Resources: Record<string, CfnResource> };

      expect(violationsIn(quantum, json, testManifests)).toEqual([]);
    },
  );
});

describe('The least-privilege check', () => {
  it('flags a grant on another quantum’s table', () => {
    const { stacks } = buildTestApp(registries['every quantum in one account']);
    const identity = stacks.quanta.get('identity') as QuantumStack;
    identity.resources.functionNamed('api').role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem'],
        resources: ['arn:aws:dynamodb:eu-west-1:111111111111:table/quanta-orders'],
      }),
    );
    const json = Template.fromStack(identity).toJSON() as { Resources: Record<string, CfnResource> };

    expect(violationsIn('identity', json, testManifests)).toEqual([
      'quanta-identity-api: dynamodb:GetItem on dynamodb resource table/quanta-orders',
    ]);
  });

  it('flags more than encrypt, decrypt and generate-data-key on the quantum’s own data key', () => {
    const { stacks } = buildTestApp(registries['every quantum in one account']);
    const orders = stacks.quanta.get('orders') as QuantumStack;
    const key = orders.resources.encryptionKey?.key;
    if (key === undefined) throw new Error('orders has no data key');
    orders.resources
      .functionNamed('api')
      .role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['kms:ScheduleKeyDeletion'], resources: [key.keyArn] }),
      );
    const json = Template.fromStack(orders).toJSON() as { Resources: Record<string, CfnResource> };

    expect(violationsIn('orders', json, testManifests)).toEqual([
      expect.stringMatching(/^quanta-orders-api: kms:ScheduleKeyDeletion on data key ResourcesEncryptionKey/),
    ]);
  });
});
