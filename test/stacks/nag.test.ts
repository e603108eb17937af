import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { at, buildTestApp, IDENTITY_ACCOUNT, ORDERS_ACCOUNT, PLATFORM_ACCOUNT } from './quantaTestApp';

const registries = {
  'platform and identity in one account': {
    quanta: { platform: at(PLATFORM_ACCOUNT), identity: at(PLATFORM_ACCOUNT) },
  },
  'platform and identity in two accounts': {
    quanta: { platform: at(PLATFORM_ACCOUNT), identity: at(IDENTITY_ACCOUNT) },
  },
  'every manifest feature across three accounts': {
    quanta: {
      platform: at(PLATFORM_ACCOUNT),
      identity: at(IDENTITY_ACCOUNT),
      orders: at(ORDERS_ACCOUNT),
      catalog: at(ORDERS_ACCOUNT),
      chat: at(IDENTITY_ACCOUNT),
    },
  },
  'every manifest feature in one account, production': {
    quanta: {
      platform: at(PLATFORM_ACCOUNT),
      identity: at(PLATFORM_ACCOUNT),
      orders: at(PLATFORM_ACCOUNT),
      catalog: at(PLATFORM_ACCOUNT),
      chat: at(PLATFORM_ACCOUNT),
    },
    'quanta:production': true,
  },
} as const;

describe.each(Object.entries(registries))('cdk-nag AwsSolutions with %s', (_name, context) => {
  const { app, all } = buildTestApp(context);

  it.each(all.map((s) => [s.stackName, s] as const))(
    'reports no unacknowledged error or warning in %s',
    (_id, stack) => {
      const report = new AwsSolutionsChecks().validateScope(stack);

      const findings = report.violations.map(
        (v) =>
          `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
      );
      expect(findings).toEqual([]);
    },
  );

  it('acknowledges every finding with a specific reason', () => {
    const acknowledgments = app.node
      .findAll()
      .flatMap((c) => c.node.metadata)
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      // aws-cdk-lib's own, not ours: it acknowledges W3045 on a bucket that receives logs by ACL
      // (the Web stack's log bucket: CloudFront's standard logs are delivered that way).
      .filter(([id]) => !id.startsWith('CloudFormation-Validate::'));

    expect(acknowledgments.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledgments) {
      expect(id.replace(/^annotation::/i, '')).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(reason.length, `reason of ${id}`).toBeGreaterThanOrEqual(80);
    }
  });
});
