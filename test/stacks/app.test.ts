import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { manifests as realManifests } from '../../quanta/manifests';
import { readQuantaContext } from '../../stacks';
import {
  at,
  buildTestApp,
  IDENTITY_ACCOUNT,
  ORDERS_ACCOUNT,
  PLATFORM_ACCOUNT,
  testManifests,
} from './quantaTestApp';

const registries = {
  'same account': { quanta: { platform: at(PLATFORM_ACCOUNT), identity: at(PLATFORM_ACCOUNT) } },
  'cross account': {
    quanta: {
      platform: at(PLATFORM_ACCOUNT),
      identity: at(IDENTITY_ACCOUNT),
      orders: at(ORDERS_ACCOUNT),
      catalog: at(ORDERS_ACCOUNT),
      chat: at(IDENTITY_ACCOUNT),
    },
  },
} as const;

describe.each(Object.entries(registries))('The app with a %s registry', (_name, context) => {
  const { all, template, stacks } = buildTestApp(context);

  it('builds Platform, one stack per other registered quantum, named after it, and Web', () => {
    expect(all.map((s) => s.stackName).sort()).toEqual(
      [...Object.keys(context.quanta).map((q) => q.charAt(0).toUpperCase() + q.slice(1)), 'Web'].sort(),
    );
  });

  it('imports no values and exports no outputs in any template', () => {
    for (const quantum of Object.keys(context.quanta)) {
      const json = template(quantum).toJSON();
      expect(JSON.stringify(json)).not.toContain('Fn::ImportValue');
      for (const output of Object.values((json.Outputs ?? {}) as Record<string, { Export?: unknown }>)) {
        expect(output.Export).toBeUndefined();
      }
    }
  });

  it('has no stack depending on another, so each deploys alone', () => {
    for (const stack of all) {
      expect(stack.dependencies.map((d) => d.stackName)).toEqual([]);
    }
    expect(stacks.platform.dependencies).toEqual([]);
  });
});

describe('The app’s registry and context handling', () => {
  it('fails synth naming a registered quantum that has no manifest', () => {
    expect(() =>
      buildTestApp({ quanta: { platform: at(PLATFORM_ACCOUNT), billing: at(PLATFORM_ACCOUNT) } }),
    ).toThrow(/Registered quanta without a manifest: billing/);
  });

  it('fails synth with the bad key and value when the registry is invalid', () => {
    expect(() => buildTestApp({ quanta: { platform: { account: '42' } } })).toThrow(
      /quanta\.platform\.account: must be a 12-digit AWS account id \(got "42"\)/,
    );
  });

  it('fails synth with a clear message when the registry is missing', () => {
    expect(() => buildTestApp({})).toThrow(/CDK context 'quanta' \(the registry\) is missing/);
  });

  it('accepts the registry and settings as JSON strings, as `cdk synth -c key=value` passes them', () => {
    const app = new App({
      context: {
        quanta: JSON.stringify({ platform: at(PLATFORM_ACCOUNT), identity: at(IDENTITY_ACCOUNT) }),
        'quanta:production': 'true',
        'quanta:authorizerCacheTtlSeconds': '0',
        'quanta:manageApiGatewayAccount': 'false',
      },
    });
    const development = new App({
      context: { quanta: { platform: {} }, 'quanta:adminEmails': '["ops@example.com"]' },
    });

    const context = readQuantaContext(app.node);

    expect(context.registry.quanta.identity).toEqual(at(IDENTITY_ACCOUNT));
    expect(context.registry.production).toBe(true);
    expect(context.registry.authorizerCacheTtlSeconds).toBe(0);
    expect(context.manageApiGatewayAccount).toBe(false);
    expect(readQuantaContext(development.node).registry.adminEmails).toEqual(['ops@example.com']);
  });

  it('fails synth when quanta:adminEmails is given with quanta:production, naming the way to grant an admin', () => {
    const context = {
      quanta: { platform: at(PLATFORM_ACCOUNT), identity: at(IDENTITY_ACCOUNT) },
      'quanta:production': true,
      'quanta:adminEmails': ['boss@example.com'],
    };

    expect(() => buildTestApp(context)).toThrow(
      /quanta:adminEmails is a local-development convenience and is refused when quanta:production is true \(got \["boss@example.com"\]\); grant the first admin with 'npm run identity -- grant-role <email> admin --aws'/,
    );
  });

  it('gives admin by e-mail to nobody in production, and to admin@quanta.local only in development', () => {
    const production = new App({ context: { quanta: { platform: {} }, 'quanta:production': 'true' } });
    const development = new App({ context: { quanta: { platform: {} } } });

    const inProduction = readQuantaContext(production.node).registry.adminEmails;
    const inDevelopment = readQuantaContext(development.node).registry.adminEmails;

    expect(inProduction).toEqual([]);
    expect(inDevelopment).toEqual(['admin@quanta.local']);
  });

  it('makes stacks environment-agnostic when the registry gives no account or region', () => {
    const { stacks } = buildTestApp({ quanta: { platform: {}, identity: {} } });

    expect(stacks.platform.environment).toBe('aws://unknown-account/unknown-region');
    expect(stacks.quanta.get('identity')?.environment).toBe('aws://unknown-account/unknown-region');
  });

  it('ignores manifests of quanta that are not registered', () => {
    const { all } = buildTestApp({ quanta: { platform: at(PLATFORM_ACCOUNT) } });

    expect(all.map((s) => s.stackName)).toEqual(['Platform', 'Web']);
    expect(Object.keys(testManifests)).toContain('identity');
  });

  it('finds every handler entry of the real manifests on disk (stack tests use stubs; cdk synth bundles these)', () => {
    const missing = Object.values(realManifests).flatMap((m) =>
      Object.values(m.functions)
        .map((fn) => path.join(m.dir, fn.entry))
        .filter((file) => !existsSync(file)),
    );

    expect(missing).toEqual([]);
  });

  it('fails synth on an unacknowledged cdk-nag finding, because AwsSolutions runs as a validation plugin', () => {
    const { app, stacks } = buildTestApp(registries['same account']);
    const identity = stacks.quanta.get('identity');
    if (identity === undefined) throw new Error('no identity stack');

    new sqs.Queue(identity, 'Careless', { encryption: sqs.QueueEncryption.UNENCRYPTED });

    expect(() => app.synth()).toThrow(/AwsSolutions-SQS4/);
  });
});
