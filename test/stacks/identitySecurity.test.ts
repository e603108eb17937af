import { describe, expect, it } from 'vitest';
import { manifests } from '../../quanta/manifests';
import { at, buildTestApp, PLATFORM_ACCOUNT } from './quantaTestApp';

/**
 * identity's abuse defences as deployed, rendered from its manifest through the plan: reserved
 * concurrency on `api`, the limits in its environment (overridable per deployment), the alarms on
 * login failures and account locks on its dashboard, and no admin by e-mail in production.
 */
const account = at(PLATFORM_ACCOUNT);
const quanta = { platform: account, identity: account };
const api = manifests.identity?.functions.api;

/** The `api` function's properties in an identity template. */
function apiFunction(template: ReturnType<ReturnType<typeof buildTestApp>['template']>) {
  const functions = template.findResources('AWS::Lambda::Function', {
    Properties: { FunctionName: 'quanta-identity-api' },
  });
  const [fn] = Object.values(functions);
  if (fn === undefined) throw new Error('identity has no api function');
  return fn.Properties as {
    ReservedConcurrentExecutions?: number;
    Environment: { Variables: Record<string, unknown> };
  };
}

describe('identity’s abuse defences in its template', () => {
  const { template } = buildTestApp({ quanta });
  const identity = template('identity');

  it('reserves the manifest’s concurrency for api only, so a flood of logins cannot take the account’s', () => {
    const reserved = Object.values(identity.findResources('AWS::Lambda::Function')).map(
      (f) => [f.Properties?.FunctionName, f.Properties?.ReservedConcurrentExecutions] as const,
    );

    expect(api?.reservedConcurrency).toBe(50);
    expect(reserved).toContainEqual(['quanta-identity-api', 50]);
    expect(reserved.filter(([, concurrency]) => concurrency !== undefined)).toHaveLength(1);
  });

  it('gives api the abuse limits of the manifest', () => {
    const variables = apiFunction(identity).Environment.Variables;

    expect(variables).toMatchObject({
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '10',
      LOGIN_LOCK_SECONDS: '60',
      LOGIN_LOCK_MAX_SECONDS: '900',
      LOGIN_ATTEMPTS_PER_IP: '100',
      LOGIN_IP_WINDOW_SECONDS: '300',
      SIGNUPS_PER_IP: '20',
      SIGNUP_IP_WINDOW_SECONDS: '3600',
    });
  });

  it('alarms on login failures and account locks on the first breaching period, on its dashboard', () => {
    for (const [metric, threshold] of [
      ['LoginFailures', 50],
      ['AccountLocks', 5],
    ] as const) {
      identity.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `quanta-identity-${metric}`,
        MetricName: metric,
        Namespace: 'Quanta',
        Dimensions: [{ Name: 'service', Value: 'identity' }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: threshold,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    }
    const dashboards = JSON.stringify(identity.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toContain('LoginFailures');
    expect(dashboards).toContain('AccountLocks');
  });

  it('grants admin by e-mail to nobody in production', () => {
    const production = buildTestApp({ quanta, 'quanta:production': true }).template('identity');

    expect(apiFunction(production).Environment.Variables.ADMIN_EMAILS).toBe('');
    expect(apiFunction(identity).Environment.Variables.ADMIN_EMAILS).toBe('admin@quanta.local');
  });
});

describe('identity’s limits per deployment', () => {
  it('takes a deployment’s own limits from quanta:environment', () => {
    const { template } = buildTestApp({
      quanta,
      'quanta:environment': { identity: { SIGNUPS_PER_IP: '200', LOGIN_ATTEMPTS_PER_IP: '500' } },
    });

    const variables = apiFunction(template('identity')).Environment.Variables;

    expect(variables).toMatchObject({ SIGNUPS_PER_IP: '200', LOGIN_ATTEMPTS_PER_IP: '500' });
    expect(variables).toHaveProperty('LOGIN_MAX_FAILURES_PER_ACCOUNT', '10');
  });

  it('refuses to synthesize admin e-mails in production', () => {
    expect(() =>
      buildTestApp({ quanta, 'quanta:production': true, 'quanta:adminEmails': ['boss@example.com'] }),
    ).toThrow(
      /quanta:adminEmails is a local-development convenience and is refused when quanta:production is true/,
    );
  });
});
