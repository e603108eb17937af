import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { at, buildTestApp, commerceManifests, PLATFORM_ACCOUNT } from './quantaTestApp';

/**
 * The real commerce manifests (catalog, payments, orders) in one account: the facades admit only the
 * callers their manifests name, the request queues only the registered senders, and orders carries
 * its saga alarms and data key. (Doubles in the other stack tests exercise the general wiring.)
 */
const account = at(PLATFORM_ACCOUNT);
const real = commerceManifests();
const { template } = buildTestApp(
  { quanta: { platform: account, identity: account, catalog: account, payments: account, orders: account } },
  { manifests: real },
);

/** Every statement of every resource policy of `type` in `quantum`'s template, as JSON text. */
function policiesOf(quantum: string, type: string, property: string): string {
  return JSON.stringify(
    Object.values(template(quantum).findResources(type)).map((r) => r.Properties?.[property]),
  );
}

describe('the commerce stacks', () => {
  it.each([
    ['catalog', 'GetProducts'],
    ['payments', 'GetPayment'],
  ])('protect %s’s facade with AWS_IAM on every method and admit only orders’ roles', (quantum) => {
    const t = template(quantum);
    const methods = Object.values(t.findResources('AWS::ApiGateway::Method'));
    const policy = policiesOf(quantum, 'AWS::ApiGateway::RestApi', 'Policy');

    expect(methods.length).toBeGreaterThan(0);
    for (const method of methods) {
      if (method.Properties?.HttpMethod !== 'OPTIONS')
        expect(method.Properties?.AuthorizationType).toBe('AWS_IAM');
    }
    expect(policy).toContain('role/Orders-*');
    expect(policy).not.toMatch(/role\/(Identity|Catalog|Payments|Platform)-\*/);
    expect(policy).toContain('"Effect":"Deny"');
  });

  it('admits only the registered senders to the request and reply queues', () => {
    const platform = template('platform');
    const queueIds = Object.entries(platform.findResources('AWS::SQS::Queue'));
    const policies = Object.values(platform.findResources('AWS::SQS::QueuePolicy'));
    /** The role patterns allowed to SendMessage to the queue named `name`. */
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
        .flatMap((st) => JSON.stringify(st.Condition).match(/role\/[A-Za-z]+-\*/g) ?? []);
    };

    expect(sendersOf('quanta-catalog-requests')).toEqual(['role/Orders-*']);
    expect(sendersOf('quanta-payments-requests')).toEqual(['role/Orders-*']);
    expect(sendersOf('quanta-orders-replies').sort()).toEqual(['role/Catalog-*', 'role/Payments-*']);
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
