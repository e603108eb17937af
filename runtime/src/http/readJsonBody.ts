import { BadRequestError, PayloadTooLargeError } from '../errors';

/** The body-related parts of an API Gateway event (HTTP API or REST API). */
export interface EventWithBody {
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
  readonly headers?: Readonly<Record<string, string | undefined>> | null;
}

/**
 * Reads a JSON request body: `undefined` when there is none; 413 `PAYLOAD_TOO_LARGE` above
 * `maxBytes` (measured on the decoded bytes, before parsing, so a huge body costs no parse);
 * 400 `INVALID_JSON` when it does not parse. The content type is not enforced: every route speaks
 * JSON only, and `curl -d '{…}'` (sent as form-encoded) should just work.
 *
 * @example
 * ```ts
 * const body = readJsonBody(event, 4096); // unknown: validate it with a schema next
 * ```
 */
export function readJsonBody(event: EventWithBody, maxBytes: number): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.byteLength > maxBytes) {
    throw new PayloadTooLargeError(
      `Body has ${bytes.byteLength} bytes; this route accepts at most ${maxBytes}`,
    );
  }
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new BadRequestError(`Body is not valid JSON: ${(error as Error).message}`, {
      code: 'INVALID_JSON',
    });
  }
}
