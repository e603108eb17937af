import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { at, buildTestApp, commerceManifests, PLATFORM_ACCOUNT, REGION } from './quantaTestApp';

/**
 * The real commerce manifests (catalog, payments, orders) in one account: the facades admit only the
 * roles of the callers that call them, the request queues only the senders' roles, and orders carries
 * its saga alarms and data key. (Doubles in the other stack tests exercise the general wiring.)
 */
const account = at(PLATFORM_ACCOUNT);
const real = commerceManifests();
const { template } = buildTestApp(
  { quanta: { platform: account, identity: account, catalog: account, payments: account, orders: account } },
  { manifests: real },
);

/** Names of the execution roles of every function of `quantum` (`<function name>-<region>`), sorted. */
function rolesOfFunctions(quantum: string): string[] {
  return Object.values(template(quantum).findResources('AWS::Lambda::Function'))
    .map((f) => `${f.Properties?.FunctionName}-${REGION}`)
    .sort();
}

/** The role names an `aws:PrincipalArn` condition (as JSON text) names, sorted. */
function rolesIn(json: string): string[] {
  return (json.match(/:role\/[\w+=,.@-]+/g) ?? []).map((r) => r.slice(':role/'.length)).sort();
}

/** The statements of `quantum`'s facade resource policy. */
function statementsOf(quantum: string): { Sid: string; Condition?: unknown }[] {
  return JSON.parse(policiesOf(quantum, 'AWS::ApiGateway::RestApi', 'Policy'))[0].Statement;
}

/** Every statement of every resource policy of `type` in `quantum`'s template, as JSON text. */
function policiesOf(quantum: string, type: string, property: string): string {
  return JSON.stringify(
    Object.values(template(quantum).findResources(type)).map((r) => r.Properties?.[property]),
  );
}

describe('the commerce stacks', () => {
  it('protects catalog’s facade with AWS_IAM on every method and admits exactly orders’ roles', () => {
    const t = template('catalog');
    const methods = Object.values(t.findResources('AWS::ApiGateway::Method'));
    const statements = statementsOf('catalog');
    const allow = statements.find((st) => st.Sid === 'AllowGetProductsCallers');
    const deny = statements.find((st) => st.Sid === 'DenyGetProductsOthers');

    expect(methods.length).toBeGreaterThan(0);
    for (const method of methods) {
      if (method.Properties?.HttpMethod !== 'OPTIONS')
        expect(method.Properties?.AuthorizationType).toBe('AWS_IAM');
    }
    expect(Object.keys(allow?.Condition ?? {})).toEqual(['ArnEquals']);
    expect(rolesIn(JSON.stringify(allow?.Condition))).toEqual(rolesOfFunctions('orders'));
    expect(Object.keys(deny?.Condition ?? {})).toEqual(['ArnNotEquals']);
    expect(rolesIn(JSON.stringify(deny?.Condition))).toEqual(rolesOfFunctions('orders'));
  });

  it.each([
    ['payments', 'GetPayment'],
    ['identity', 'GetUser'],
  ])('denies every caller of %s’s %s, since no caller it lists calls it', (quantum, operation) => {
    expect(statementsOf(quantum)).toEqual([
      {
        Sid: `Deny${operation}Others`,
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'execute-api:Invoke',
        Resource: `execute-api:/v1/POST/ops/${operation}`,
      },
    ]);
  });

  it('admits only the registered senders to the request and reply queues', () => {
    const platform = template('platform');
    const queueIds = Object.entries(platform.findResources('AWS::SQS::Queue'));
    const policies = Object.values(platform.findResources('AWS::SQS::QueuePolicy'));
    /** The roles allowed to SendMessage to the queue named `name`. */
    const sendersOf = (name: string): string[] => {
      const id = queueIds.find(([, q]) => q.Properties?.QueueName === name)?.[0];
      const policy = policies.find(
        (p) => JSON.stringify(p.Properties?.Queues) === JSON.stringify([{ Ref: id }]),
      );
      const statements = (policy?.Properties?.PolicyDocument?.Statement ?? []) as Array<
        Record<string, unknown>
      >;
      return statements
        .filter((st) => st.Effect === 'Allow' && JSON.stringify(st.Action).includes('sqs:SendMessage'))
        .flatMap((st) => rolesIn(JSON.stringify(st.Condition)));
    };

    expect(sendersOf('quanta-catalog-requests')).toEqual(rolesOfFunctions('orders'));
    expect(sendersOf('quanta-payments-requests')).toEqual(rolesOfFunctions('orders'));
    // Only the request handlers reply.
    expect(sendersOf('quanta-orders-replies')).toEqual([
      `quanta-catalog-requests-${REGION}`,
      `quanta-payments-requests-${REGION}`,
    ]);
  });

  it('alarms on saga timeouts and sweep failures in orders, on the first breaching period', () => {
    const orders = template('orders');

    for (const metric of ['SagaTimeouts', 'SweepFailures']) {
      orders.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: metric,
        Namespace: 'Quanta',
        Dimensions: [{ Name: 'service', Value: 'orders' }],
        Statistic: 'Sum',
        Threshold: 0,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    }
  });

  it('gives orders a rotating data key and tells its functions its ARN', () => {
    const orders = template('orders');

    orders.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    orders.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'quanta-orders-replies',
      Environment: { Variables: Match.objectLike({ ENCRYPTION_KEY_ARN: Match.anyValue() }) },
    });
  });
});
