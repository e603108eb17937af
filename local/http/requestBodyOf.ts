/** A request body as payload format 2.0 carries it. */
export interface RequestBody {
  readonly body: string;
  readonly isBase64Encoded: boolean;
}

const TEXT_TYPES = new Set(['application/json', 'application/xml', 'application/javascript']);

/**
 * Encodes a request body like HTTP APIs do: as a UTF-8 string for `text/*`, `application/json`,
 * `application/xml` and `application/javascript`; base64 for anything else, including a missing
 * `Content-Type` and `application/x-www-form-urlencoded`. Undefined for an empty body (AWS omits
 * the `body` field).
 *
 * @example
 * ```ts
 * requestBodyOf(Buffer.from('{"a":1}'), 'application/json; charset=utf-8'); // { body: '{"a":1}', isBase64Encoded: false }
 * requestBodyOf(Buffer.from([0xff]), 'image/png'); // { body: '/w==', isBase64Encoded: true }
 * ```
 */
export function requestBodyOf(bytes: Buffer, contentType: string | undefined): RequestBody | undefined {
  if (bytes.length === 0) return undefined;
  return isTextType(contentType)
    ? { body: bytes.toString('utf8'), isBase64Encoded: false }
    : { body: bytes.toString('base64'), isBase64Encoded: true };
}

function isTextType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semi = contentType.indexOf(';');
  const mediaType = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return mediaType.startsWith('text/') || TEXT_TYPES.has(mediaType);
}
