import { describe, expect, it } from 'vitest';
import { evaluateAuthorizerResponse } from '../WebSocketAuthorizer';

const ARN = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/live/$connect';

function answer(statements: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { principalId: 'u-1', policyDocument: { Version: '2012-10-17', Statement: statements }, ...extra };
}

const allow = (resource: unknown, action: unknown = 'execute-api:Invoke') => ({
  Effect: 'Allow',
  Action: action,
  Resource: resource,
});

describe('evaluateAuthorizerResponse', () => {
  it('allows an Allow of execute-api:Invoke on the method ARN, with the principal and latency', () => {
    // Act
    const verdict = evaluateAuthorizerResponse(answer([allow(ARN)]), ARN, 7);

    // Assert
    expect(verdict).toEqual({ kind: 'allow', authorizer: { principalId: 'u-1', integrationLatency: 7 } });
  });

  it('matches wildcards in actions and resources, and a single statement object', () => {
    // Act / Assert
    for (const statement of [
      allow('arn:aws:execute-api:*:*:*'),
      allow('*', 'execute-api:*'),
      allow([
        'arn:aws:execute-api:eu-west-1:123456789012:other/*',
        'arn:aws:execute-api:eu-west-1:123456789012:abc123/*',
      ]),
      allow(`${ARN.slice(0, -1)}?`, ['s3:GetObject', 'EXECUTE-API:invoke']),
    ]) {
      expect(evaluateAuthorizerResponse(answer([statement]), ARN, 0).kind).toBe('allow');
    }
    expect(evaluateAuthorizerResponse(answer(allow(ARN)), ARN, 0).kind).toBe('allow');
  });

  it('denies on an explicit Deny even when another statement allows', () => {
    // Act
    const verdict = evaluateAuthorizerResponse(
      answer([allow('*'), { Effect: 'Deny', Action: '*', Resource: ARN }]),
      ARN,
      0,
    );

    // Assert
    expect(verdict).toEqual({ kind: 'deny' });
  });

  it('denies when no Allow matches: another API, another action, or a Condition it cannot evaluate', () => {
    // Act / Assert
    for (const statement of [
      allow('arn:aws:execute-api:eu-west-1:123456789012:other/live/$connect'),
      allow(ARN, 'execute-api:ManageConnections'),
      { ...allow(ARN), Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
    ]) {
      expect(evaluateAuthorizerResponse(answer([statement]), ARN, 0)).toEqual({ kind: 'deny' });
    }
    expect(evaluateAuthorizerResponse(answer([]), ARN, 0)).toEqual({ kind: 'deny' });
  });

  it('passes context values stringified, keeps null, and lets principalId win over a context key', () => {
    // Act
    const verdict = evaluateAuthorizerResponse(
      answer([allow(ARN)], { context: { userId: 'u-9', n: 3, ok: true, none: null, principalId: 'spoof' } }),
      ARN,
      2,
    );

    // Assert
    expect(verdict).toEqual({
      kind: 'allow',
      authorizer: {
        userId: 'u-9',
        n: '3',
        ok: 'true',
        none: null,
        principalId: 'u-1',
        integrationLatency: 2,
      },
    });
  });

  it('fails on malformed answers, naming what is wrong', () => {
    // Act / Assert
    const cases: [unknown, RegExp][] = [
      [{ isAuthorized: true }, /principalId is not a string/],
      ['Allow', /not an object/],
      [{ principalId: 'u-1' }, /policyDocument is not an object/],
      [{ principalId: 'u-1', policyDocument: { Version: '2012-10-17' } }, /Statement is missing/],
      [answer([{ Effect: 'Maybe', Action: '*', Resource: '*' }]), /no Effect Allow or Deny/],
      [
        answer([allow(ARN)], { context: { roles: ['a', 'b'] } }),
        /context.roles is not a string, number or boolean/,
      ],
      [answer([allow(ARN)], { context: 'u-1' }), /context is not an object/],
    ];
    for (const [payload, reason] of cases) {
      const verdict = evaluateAuthorizerResponse(payload, ARN, 0);
      expect(verdict.kind).toBe('failed');
      expect(verdict.kind === 'failed' ? verdict.reason : '').toMatch(reason);
    }
  });

  it('fails on an answer over the 8 KB authorizer result quota', () => {
    // Act
    const verdict = evaluateAuthorizerResponse(
      answer([allow(ARN)], { context: { blob: 'x'.repeat(8200) } }),
      ARN,
      0,
    );

    // Assert
    expect(verdict).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/8192/) });
  });
});
