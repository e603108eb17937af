import { describe, expect, it } from 'vitest';
import { LocalPrincipals } from '../LocalPrincipals';
import { parseAmzDate, type ReceivedRequest, SigV4Verifier } from '../SigV4Verifier';
import { signRequest } from './signedRequest';

/** The credentials of the AWS SigV4 test suite. */
const EXAMPLE = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const principals = new LocalPrincipals([
  {
    quantum: 'example',
    credentials: EXAMPLE,
    accountId: '000000000000',
    roleId: 'AROAEXAMPLE0000000',
    roleName: 'Example-LocalExecutionRole',
    sessionName: 'quanta-example',
    userArn: 'arn:aws:sts::000000000000:assumed-role/Example-LocalExecutionRole/quanta-example',
    caller: 'AROAEXAMPLE0000000:quanta-example',
  },
]);

function received(
  method: string,
  target: string,
  headers: Record<string, string | string[]>,
  body = '',
): ReceivedRequest {
  const q = target.indexOf('?');
  return {
    method,
    rawPath: q === -1 ? target : target.slice(0, q),
    rawQuery: q === -1 ? '' : target.slice(q + 1),
    headers: new Map(
      Object.entries(headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v : [v]] as const),
    ),
    body: Buffer.from(body),
  };
}

describe('SigV4Verifier', () => {
  it('accepts the AWS SigV4 test suite’s get-vanilla request', () => {
    const verifier = new SigV4Verifier({
      principals,
      region: 'us-east-1',
      service: 'service',
      now: () => Date.UTC(2015, 7, 30, 12, 36, 0),
    });

    const verdict = verifier.verify(
      received('GET', '/', {
        host: 'example.amazonaws.com',
        'x-amz-date': '20150830T123600Z',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
      }),
    );

    expect(verdict.kind).toBe('valid');
  });

  it.each([
    ['reserved characters and spaces in the query', '/q/v1/ops/Find?name=a%20b&tag=x%2By&tag=a&empty='],
    ['query names in unsorted order', '/q/v1/ops/Find?z=1&a=2&m=%E2%9C%93'],
    ['an encoded path segment', '/q/v1/ops/Find%20Me'],
    ['dot segments in the path', '/q/v1/./ops/../ops/Find'],
  ])('accepts what the AWS SDK’s signer signs, with %s', async (_name, target) => {
    const signed = await signRequest(`http://127.0.0.1:4000${target}`, {
      credentials: EXAMPLE,
      region: 'eu-west-1',
      body: '{"a":1}',
    });
    const verifier = new SigV4Verifier({ principals, region: 'eu-west-1' });

    const verdict = verifier.verify(received('POST', target, signed.headers, '{"a":1}'));

    expect(verdict).toMatchObject({ kind: 'valid', principal: { quantum: 'example' } });
  });

  it('joins the values of a repeated signed header with commas, as SigV4 canonicalizes them', async () => {
    const signed = await signRequest('http://127.0.0.1:4000/q/v1/ops/Find', {
      credentials: EXAMPLE,
      region: 'eu-west-1',
      headers: { 'x-tags': 'a,b' },
    });
    const verifier = new SigV4Verifier({ principals, region: 'eu-west-1' });
    const headers: Record<string, string | string[]> = { ...signed.headers, 'x-tags': ['a', ' b '] };

    const verdict = verifier.verify(received('POST', '/q/v1/ops/Find', headers, '{}'));

    expect(verdict.kind).toBe('valid');
  });

  it('reports the parts a partial Authorization header lacks', () => {
    const verifier = new SigV4Verifier({ principals, region: 'eu-west-1' });

    const verdict = verifier.verify(
      received('POST', '/', {
        host: 'h',
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/execute-api/aws4_request',
      }),
    );

    expect(verdict).toEqual({
      kind: 'incomplete',
      message:
        "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/execute-api/aws4_request",
    });
  });

  it('rejects a credential scope whose date is not the date of x-amz-date', () => {
    const verifier = new SigV4Verifier({ principals, region: 'eu-west-1', now: () => Date.UTC(2024, 0, 2) });

    const verdict = verifier.verify(
      received('POST', '/', {
        host: 'h',
        'x-amz-date': '20240102T000000Z',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/eu-west-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=00',
      }),
    );

    expect(verdict).toEqual({
      kind: 'invalid',
      message:
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240101' != '20240102', from '20240102T000000Z'.",
    });
  });

  it('reads only well-formed ISO 8601 basic timestamps', () => {
    expect(parseAmzDate('20240131T235959Z')).toBe(Date.UTC(2024, 0, 31, 23, 59, 59));
    expect(parseAmzDate('20241331T000000Z')).toBeUndefined();
    expect(parseAmzDate('2024-01-31T23:59:59Z')).toBeUndefined();
  });
});
