import { parseRegistry, plan } from '@quanta/runtime/manifest';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parityProblems, wiringOfLocalCloud, wiringOfTemplates } from './parity';
import { at, buildTestApp, commerceManifests, PLATFORM_ACCOUNT } from './quantaTestApp';

const context = {
  quanta: {
    platform: at(PLATFORM_ACCOUNT),
    identity: at(PLATFORM_ACCOUNT),
    catalog: at(PLATFORM_ACCOUNT),
    payments: at(PLATFORM_ACCOUNT),
    orders: at(PLATFORM_ACCOUNT),
  },
  'quanta:environment': { orders: { ORDER_DEADLINE_SECONDS: '45' } },
  'quanta:cors': { allowOrigins: ['https://shop.example.com'], maxAgeSeconds: 120 },
};

describe('What cdk deploy creates and what npm start runs, rendered from one plan', () => {
  const manifests = commerceManifests();
  const { all } = buildTestApp(context, { manifests });
  const templates = all.map(
    (stack) => Template.fromStack(stack).toJSON() as Parameters<typeof wiringOfTemplates>[0][number],
  );
  const aws = wiringOfTemplates(templates);
  const local = wiringOfLocalCloud(plan(manifests, parseRegistry(context)));

  it('give every function the same variables, triggers and queue/facade references, and the API the same routes and facade callers', () => {
    expect(parityProblems(aws, local)).toEqual([]);
  });

  it('cover every function of every quantum, with triggers on the consumers', () => {
    expect(aws.functions.size).toBe(19);
    expect(aws.functions.get('quanta-catalog-requests')?.triggers).toEqual([
      'queue quanta-catalog-requests batch 10 window 0 visibility 180',
    ]);
    expect(aws.routes).toContain('GET /catalog/products -> quanta-catalog-api [public]');
  });

  it('give the HTTP API the same CORS configuration, and the authorized routes the same methods', () => {
    expect(aws.cors).toContain('AllowOrigins=["https://shop.example.com"]');
    expect(aws.cors).toContain('MaxAge=120');
    expect(aws.cors).toEqual(local.cors);
    expect(aws.routes).toContain('DELETE /orders/{proxy+} -> quanta-orders-api [authorizer]');
  });

  it('fail on a deliberate drift: a local queue visibility that forgets AWS’s 30 s floor', () => {
    const drifted = plan(manifests, parseRegistry(context));
    const platform = drifted.quanta.find((q) => q.name === 'platform');
    const queue = platform?.queues.find((q) => q.name === 'quanta-payments-requests');
    if (queue === undefined) throw new Error('fixture missing');
    // The drift issue 6 found: locally 6 x timeout, in AWS max(30, 6 x timeout).
    Object.assign(queue, { visibilityTimeoutSeconds: 6 * 5 - 1 });
    const problems = parityProblems(aws, wiringOfLocalCloud(drifted));
    expect(problems.join('\n')).toMatch(
      /quanta-payments-requests triggers: AWS only \[queue quanta-payments-requests .* visibility 60\]/,
    );
  });

  it('fail on a deliberate drift: a variable set only locally', () => {
    const drifted = plan(manifests, parseRegistry(context));
    const fn = drifted.quanta.flatMap((q) => q.functions).find((f) => f.name === 'quanta-orders-api');
    if (fn === undefined) throw new Error('fixture missing');
    Object.assign(fn, { environment: { ...fn.environment, JWKS_URI: 'http://127.0.0.1:3000/x' } });
    expect(parityProblems(aws, wiringOfLocalCloud(drifted))).toContainEqual(
      expect.stringMatching(/^quanta-orders-api variables: AWS only \[\], local only \[JWKS_URI\]/),
    );
  });
});
