import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  at,
  buildTestApp,
  commerceManifests,
  IDENTITY_ACCOUNT,
  ORDERS_ACCOUNT,
  PLATFORM_ACCOUNT,
  REGION,
} from './quantaTestApp';

/**
 * What an attacker reading the synthesized templates looks for: a grant to "any API in the platform's
 * account" (anyone there who can create an API Gateway could front a quantum with an authorizer of
 * their own and act as any user), or a resource policy trusting a role-name pattern (anyone who can
 * create a role of that name gets in). Every stack of the app is checked, in one account and across four.
 */
const CHAT_ACCOUNT = '444444444444';
const registries = {
  'one account': {
    quanta: {
      platform: at(PLATFORM_ACCOUNT),
      identity: at(PLATFORM_ACCOUNT),
      catalog: at(PLATFORM_ACCOUNT),
      payments: at(PLATFORM_ACCOUNT),
      orders: at(PLATFORM_ACCOUNT),
      chat: at(PLATFORM_ACCOUNT),
    },
  },
  'four accounts': {
    quanta: {
      platform: at(PLATFORM_ACCOUNT),
      identity: at(IDENTITY_ACCOUNT),
      catalog: at(ORDERS_ACCOUNT),
      payments: at(ORDERS_ACCOUNT),
      orders: at(ORDERS_ACCOUNT),
      chat: at(CHAT_ACCOUNT),
    },
  },
} as const;

type Json = Record<string, unknown>;
interface Resource {
  readonly Type: string;
  readonly Properties?: Json;
}
interface TemplateJson {
  readonly Resources: Record<string, Resource>;
  readonly Parameters?: Record<string, { readonly Default?: string }>;
}

/**
 * A CloudFormation value as text: `Fn::Join` joined, the partition as `aws`, a template parameter as
 * `<parameter:Default>` (a shared SSM parameter's ARN), any other `Ref`/`GetAtt` as `<LogicalId…>`.
 */
function render(value: unknown, template: TemplateJson): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((v) => render(v, template)).join(',');
  const v = value as Json;
  if (typeof v.Ref === 'string') {
    if (v.Ref === 'AWS::Partition') return 'aws';
    const parameter = template.Parameters?.[v.Ref]?.Default;
    return parameter === undefined ? `<${v.Ref}>` : `<parameter:${parameter}>`;
  }
  if (Array.isArray(v['Fn::GetAtt'])) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
  if (Array.isArray(v['Fn::Join'])) {
    const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map((p) => render(p, template)).join(separator);
  }
  return JSON.stringify(value);
}

/**
 * The API id of a rendered `execute-api` ARN (`arn:aws:execute-api:<region>:<account>:<apiId>/…`),
 * which may be a dynamic reference or a parameter, both holding `/` and `:`.
 */
function apiIdOf(arn: string): string | undefined {
  return /^arn:[^:]+:execute-api:[^:]*:[^:]*:(\{\{.*?\}\}|<[^>]*>|[^/]*)\//.exec(arn)?.[1];
}

/** Every `{ <operator>: { 'aws:PrincipalArn': … } }` condition in the template's resources. */
function principalArnConditions(template: TemplateJson): { operator: string; values: string[] }[] {
  const found: { operator: string; values: string[] }[] = [];
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    for (const [key, child] of Object.entries(node as Json)) {
      const arns = (child as Json | null)?.['aws:PrincipalArn'];
      if (arns !== undefined) {
        const list = Array.isArray(arns) ? arns : [arns];
        found.push({ operator: key, values: list.map((a) => render(a, template)) });
      }
      visit(child);
    }
  };
  visit(Object.values(template.Resources).map((r) => r.Properties));
  return found;
}

describe.each(Object.entries(registries))('Exact trust with the commerce quanta in %s', (_name, context) => {
  const { all } = buildTestApp(context, { manifests: commerceManifests() });
  const templates = all.map((stack) => [stack, Template.fromStack(stack).toJSON() as TemplateJson] as const);
  const byStack = (stack: Stack) => templates.find(([s]) => s === stack)?.[1] as TemplateJson;
  const stackNames = all.map((s) => s.stackName);
  // The platform and the quanta: the stacks whose functions API Gateway invokes and whose roles the
  // plan names. The Web stack (a bucket and CloudFront; CDK's own deployment function) has neither.
  const planStacks = all.filter((s) => s.stackName !== 'Web');
  const planStackNames = planStacks.map((s) => s.stackName);

  /** `arn:aws:iam::<account>:role/<name>` of every named role the app creates. */
  const roles = templates.flatMap(([stack, template]) =>
    Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::IAM::Role' && r.Properties?.RoleName !== undefined)
      .map((r) => `arn:aws:iam::${stack.account}:role/${render(r.Properties?.RoleName, template)}`),
  );

  it.each(planStackNames)(
    'names an API id, never *, in every API Gateway invoke permission of %s',
    (name) => {
      const template = byStack(all.find((s) => s.stackName === name) as Stack);
      const permissions = Object.values(template.Resources).filter(
        (r) => r.Type === 'AWS::Lambda::Permission' && r.Properties?.Principal === 'apigateway.amazonaws.com',
      );
      expect(permissions.length).toBeGreaterThan(0);
      for (const permission of permissions) {
        const arn = render(permission.Properties?.SourceArn, template);
        const apiId = apiIdOf(arn);
        expect(apiId, arn).toBeDefined();
        expect(apiId, arn).not.toBe('');
        expect(apiId, arn).not.toContain('*');
      }
    },
  );

  it.each(planStackNames.filter((n) => n !== 'Platform'))(
    'has %s read the id of each platform API it lets invoke it from the platform’s parameter',
    (name) => {
      const stack = all.find((s) => s.stackName === name) as Stack;
      const template = byStack(stack);
      const apiIds = Object.entries(template.Resources)
        .filter(
          ([id, r]) => r.Type === 'AWS::Lambda::Permission' && /Platform(HttpApi|WebSocket)Invoke/.test(id),
        )
        .map(([, r]) => render(r.Properties?.SourceArn, template))
        .map((arn) => {
          expect(arn).toContain(`:execute-api:${REGION}:${PLATFORM_ACCOUNT}:`);
          return apiIdOf(arn);
        });
      const hasApi = Object.values(template.Resources).some(
        (r) => r.Type === 'AWS::Lambda::Function' && String(r.Properties?.FunctionName).endsWith('-api'),
      );
      const httpApiId =
        stack.account === PLATFORM_ACCOUNT
          ? '{{resolve:ssm:/quanta/platform/http-api-id}}'
          : `<parameter:arn:aws:ssm:${REGION}:${PLATFORM_ACCOUNT}:parameter/quanta/platform/http-api-id>`;
      expect(apiIds.includes(httpApiId)).toBe(hasApi);
      for (const id of apiIds) {
        expect(id).toMatch(
          /^(\{\{resolve:ssm:|<parameter:arn:aws:ssm:).*\/quanta\/platform\/(http|websocket)-api-id/,
        );
      }
    },
  );

  it.each(stackNames)(
    'names exact roles, never a pattern, in every aws:PrincipalArn condition of %s',
    (name) => {
      const template = byStack(all.find((s) => s.stackName === name) as Stack);
      const text = JSON.stringify(template.Resources);
      expect(text).not.toContain('"ArnLike"');
      expect(text).not.toContain('"ArnNotLike"');
      for (const condition of principalArnConditions(template)) {
        expect(['ArnEquals', 'ArnNotEquals']).toContain(condition.operator);
        for (const arn of condition.values) {
          expect(arn).not.toContain('*');
          // The role a policy trusts is one the app creates under exactly that name and account.
          expect(roles, `${condition.operator} ${arn}`).toContain(arn);
        }
      }
    },
  );

  it('names every function’s role after the function and the region, once per account', () => {
    for (const [stack, template] of templates.filter(([s]) => planStacks.includes(s))) {
      for (const fn of Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function')) {
        const [roleId = ''] = (fn.Properties as { Role: { 'Fn::GetAtt': string[] } }).Role['Fn::GetAtt'];
        expect(template.Resources[roleId]?.Properties?.RoleName).toBe(
          `${fn.Properties?.FunctionName}-${REGION}`,
        );
      }
      expect(stack.region).toBe(REGION);
    }
    expect(new Set(roles).size).toBe(roles.length);
  });
});

describe('Role names under another prefix, and without a region in the registry', () => {
  it('puts the registry’s prefix in every role name and the policies naming them', () => {
    const account = at(PLATFORM_ACCOUNT);
    const { template } = buildTestApp(
      {
        quanta: {
          platform: account,
          identity: account,
          catalog: account,
          payments: account,
          orders: account,
        },
        'quanta:prefix': 'e2eabc',
      },
      { manifests: commerceManifests() },
    );
    const platform = JSON.stringify(template('platform').findResources('AWS::SQS::QueuePolicy'));

    template('orders').hasResourceProperties('AWS::IAM::Role', { RoleName: `e2eabc-orders-api-${REGION}` });
    expect(platform).toContain(`:role/e2eabc-orders-api-${REGION}`);
    expect(platform).not.toMatch(/:role\/quanta-/);
  });

  it('completes role names with the deploy-time region when the registry gives none', () => {
    const { template } = buildTestApp({ quanta: { platform: {}, identity: {} } });

    template('identity').hasResourceProperties('AWS::IAM::Role', {
      RoleName: { 'Fn::Join': ['', ['quanta-identity-api-', { Ref: 'AWS::Region' }]] },
    });
    template('platform').hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: {
        Condition: {
          StringEquals: { 'events:source': 'quanta.identity' },
          ArnEquals: {
            'aws:PrincipalArn': [
              {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':iam::',
                    { Ref: 'AWS::AccountId' },
                    ':role/quanta-identity-outbox-relay-',
                    { Ref: 'AWS::Region' },
                  ],
                ],
              },
            ],
          },
        },
      },
    });
  });
});
