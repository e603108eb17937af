import { describe, expect, it } from 'vitest';
import { HttpApiCors, type HttpApiCorsConfiguration } from '../HttpApiCors';

const WEB = 'http://127.0.0.1:5173';
const configuration: HttpApiCorsConfiguration = {
  allowOrigins: [WEB, 'https://shop.example.com'],
  allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
  allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  exposeHeaders: ['retry-after', 'x-correlation-id'],
  maxAgeSeconds: 600,
  allowCredentials: false,
};
const cors = new HttpApiCors(configuration);
const preflight = (origin: string, method: string, headers?: string) => ({
  origin,
  'access-control-request-method': method,
  ...(headers === undefined ? {} : { 'access-control-request-headers': headers }),
});

describe('HttpApiCors', () => {
  it('recognises a preflight only by OPTIONS with both Origin and Access-Control-Request-Method', () => {
    expect(HttpApiCors.isPreflight('OPTIONS', preflight(WEB, 'POST'))).toBe(true);
    expect(HttpApiCors.isPreflight('OPTIONS', { origin: WEB })).toBe(false);
    expect(HttpApiCors.isPreflight('OPTIONS', { 'access-control-request-method': 'POST' })).toBe(false);
    expect(HttpApiCors.isPreflight('POST', preflight(WEB, 'POST'))).toBe(false);
  });

  it('answers an allowed preflight with the origin, the configured methods and headers, and the max age', () => {
    const headers = cors.preflightHeaders(
      preflight(WEB, 'POST', 'Authorization, Content-Type, Idempotency-Key'),
    );

    expect(headers).toEqual({
      'access-control-allow-origin': WEB,
      vary: 'origin',
      'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE',
      'access-control-allow-headers': 'authorization,content-type,idempotency-key',
      'access-control-max-age': '600',
    });
  });

  it('gives a preflight from an origin it does not list no CORS header at all', () => {
    expect(cors.preflightHeaders(preflight('https://evil.example', 'GET'))).toEqual({});
    expect(cors.preflightHeaders(preflight('http://127.0.0.1:5174', 'GET'))).toEqual({});
  });

  it('gives a preflight for a method or a header a browser would refuse no CORS header', () => {
    const limited = new HttpApiCors({ ...configuration, allowMethods: ['GET'] });

    expect(limited.preflightHeaders(preflight(WEB, 'DELETE'))).toEqual({});
    expect(cors.preflightHeaders(preflight(WEB, 'PUT', 'x-secret'))).toEqual({});
    // GET, HEAD and POST need no listing: browsers send them whatever the list says.
    expect(limited.preflightHeaders(preflight(WEB, 'POST', 'content-type'))).toMatchObject({
      'access-control-allow-origin': WEB,
    });
  });

  it('answers * for the any-origin wildcard, and lets * cover every header but authorization', () => {
    const open = new HttpApiCors({ ...configuration, allowOrigins: ['*'], allowHeaders: ['*'] });

    expect(open.preflightHeaders(preflight('https://any.example', 'GET', 'x-trace'))).toMatchObject({
      'access-control-allow-origin': '*',
      'access-control-allow-headers': '*',
    });
    expect(open.preflightHeaders(preflight('https://any.example', 'GET', 'authorization'))).toEqual({});
  });

  it('allows every origin of a scheme wildcard, echoing it', () => {
    const https = new HttpApiCors({ ...configuration, allowOrigins: ['https://*'] });

    expect(https.responseHeaders('GET', { origin: 'https://a.example' })['access-control-allow-origin']).toBe(
      'https://a.example',
    );
    expect(https.responseHeaders('GET', { origin: 'http://a.example' })).toEqual({});
  });

  it('adds the origin, the exposed headers and credentials to the response of an allowed origin only, never to an OPTIONS that is no preflight', () => {
    const withCredentials = new HttpApiCors({ ...configuration, allowCredentials: true });

    expect(withCredentials.responseHeaders('POST', { origin: WEB })).toEqual({
      'access-control-allow-origin': WEB,
      vary: 'origin',
      'access-control-expose-headers': 'retry-after,x-correlation-id',
      'access-control-allow-credentials': 'true',
    });
    expect(withCredentials.responseHeaders('POST', { origin: 'https://evil.example' })).toEqual({});
    expect(withCredentials.responseHeaders('POST', {})).toEqual({});
    expect(withCredentials.responseHeaders('OPTIONS', { origin: WEB })).toEqual({});
  });

  it('drops the integration’s own CORS headers and merges vary', () => {
    const headers = HttpApiCors.applyTo(
      {
        'content-type': 'application/json',
        'access-control-allow-origin': '*',
        'access-control-allow-credentials': 'true',
        vary: 'accept-encoding',
      },
      cors.responseHeaders('GET', { origin: WEB }),
    );

    expect(headers).toEqual({
      'content-type': 'application/json',
      'access-control-allow-origin': WEB,
      'access-control-expose-headers': 'retry-after,x-correlation-id',
      vary: 'accept-encoding, origin',
    });
  });
});
