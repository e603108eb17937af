import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { at, buildTestApp, PLATFORM_ACCOUNT } from './quantaTestApp';

const sameAccount = { quanta: { platform: at(PLATFORM_ACCOUNT), identity: at(PLATFORM_ACCOUNT) } };
const WEB = 'https://d111111abcdef8.cloudfront.net';

function routeKeys(template: ReturnType<ReturnType<typeof buildTestApp>['template']>): string[] {
  return Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
    (r) => (r.Properties as { RouteKey: string }).RouteKey,
  );
}

describe('The platform HTTP API’s CORS', () => {
  it('is absent by default, as API Gateway has none, and the authorized routes stay ANY', () => {
    const platform = buildTestApp(sameAccount).template('platform');

    platform.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.absent(),
    });
    expect(routeKeys(platform)).toContain('ANY /identity/{proxy+}');
  });

  describe('from context quanta:cors (here as cdk -c passes it: a JSON string)', () => {
    const platform = buildTestApp({
      ...sameAccount,
      'quanta:cors': JSON.stringify({ allowOrigins: [WEB], maxAgeSeconds: 300 }),
    }).template('platform');

    it('renders as the HTTP API’s CorsConfiguration, with the defaults for what the context omits', () => {
      platform.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        ProtocolType: 'HTTP',
        CorsConfiguration: {
          AllowOrigins: [WEB],
          AllowHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-correlation-id'],
          AllowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
          ExposeHeaders: ['retry-after', 'x-correlation-id'],
          MaxAge: 300,
          AllowCredentials: false,
        },
      });
    });

    it('routes each method of the authorized catch-alls through the authorizer, and none takes OPTIONS', () => {
      const keys = routeKeys(platform);

      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
        for (const path of ['/identity', '/identity/{proxy+}', '/realtime', '/realtime/{proxy+}']) {
          platform.hasResourceProperties('AWS::ApiGatewayV2::Route', {
            RouteKey: `${method} ${path}`,
            AuthorizationType: 'CUSTOM',
            AuthorizerId: { Ref: Match.stringLikeRegexp('^HttpApiAuthorizer') },
          });
        }
      }
      expect(keys.filter((k) => k.startsWith('ANY ') || k.startsWith('OPTIONS '))).toEqual([]);
      expect(keys).toContain('POST /identity/login');
    });
  });

  it('fails synth on a malformed origin, naming it', () => {
    expect(() =>
      buildTestApp({ ...sameAccount, 'quanta:cors': { allowOrigins: ['https://x.example/app'] } }),
    ).toThrow(/quanta:cors\.allowOrigins\.0: must be an origin .*"https:\/\/x\.example\/app"/);
  });
});
