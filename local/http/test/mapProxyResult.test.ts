import { describe, expect, it } from 'vitest';
import { mapProxyResult } from '../httpApiEvents';

describe('mapProxyResult', () => {
  it('passes a structured response through with lower-cased header names', () => {
    // Act
    const response = mapProxyResult({
      statusCode: 201,
      headers: { 'Content-Type': 'application/json', 'X-Count': 3, 'X-Flag': true },
      body: '{"id":"1"}',
    });

    // Assert
    expect(response).toEqual({
      statusCode: 201,
      headers: { 'content-type': 'application/json', 'x-count': '3', 'x-flag': 'true' },
      body: '{"id":"1"}',
    });
  });

  it('turns each cookie into a set-cookie header, before a set-cookie given in headers', () => {
    const response = mapProxyResult({
      statusCode: 200,
      cookies: ['a=1; Path=/', 'b=2'],
      headers: { 'Set-Cookie': 'c=3' },
    });
    expect(response?.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2', 'c=3']);
  });

  it('decodes a base64 body', () => {
    const response = mapProxyResult({
      statusCode: 200,
      body: Buffer.from([0, 255]).toString('base64'),
      isBase64Encoded: true,
    });
    expect(response?.body).toEqual(Buffer.from([0, 255]));
  });

  it('answers an empty body when a structured response has none', () => {
    expect(mapProxyResult({ statusCode: 204 })).toEqual({ statusCode: 204, headers: {}, body: '' });
  });

  it('drops framing headers the gateway must compute itself', () => {
    const response = mapProxyResult({
      statusCode: 200,
      headers: { 'content-length': '999', 'transfer-encoding': 'chunked', connection: 'close', 'x-ok': '1' },
      body: 'hi',
    });
    expect(response?.headers).toEqual({ 'x-ok': '1' });
  });

  it.each([
    ['a plain object', { message: 'hi' }, '{"message":"hi"}'],
    ['an object whose statusCode is null-like', { body: 'x', headers: {} }, '{"body":"x","headers":{}}'],
    ['a string, sent as is', 'Hello from Lambda!', 'Hello from Lambda!'],
    ['an array', [1, 2], '[1,2]'],
    ['a number', 42, '42'],
    ['null', null, 'null'],
  ])('infers 200 application/json for %s', (_label, payload, body) => {
    expect(mapProxyResult(payload)).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body,
    });
  });

  it.each([
    ['a string status code', { statusCode: '200' }],
    ['a fractional status code', { statusCode: 200.5 }],
    ['a status code out of range', { statusCode: 99 }],
    ['a non-string body', { statusCode: 200, body: { a: 1 } }],
    ['headers that are not an object', { statusCode: 200, headers: ['x'] }],
    ['a header value that is an object', { statusCode: 200, headers: { x: { y: 1 } } }],
    ['cookies that are not strings', { statusCode: 200, cookies: [1] }],
  ])('rejects a structured response with %s', (_label, payload) => {
    expect(mapProxyResult(payload)).toBeUndefined();
  });
});
