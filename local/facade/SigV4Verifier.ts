import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { LocalPrincipal, LocalPrincipals } from './LocalPrincipals';

/** A received request, as much of it as SigV4 covers. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path as sent, percent-encoded. */
  readonly rawPath: string;
  /** Query string as sent, without `?`. */
  readonly rawQuery: string;
  /** Every header value in arrival order, by lower-case name. */
  readonly headers: ReadonlyMap<string, readonly string[]>;
  readonly body: Buffer;
}

/**
 * What the verifier concluded, one case per response API Gateway gives:
 * - `missing`: no `Authorization` header (`MissingAuthenticationTokenException`);
 * - `incomplete`: the header or the date cannot be read (`IncompleteSignatureException`);
 * - `invalid`: readable but unacceptable: wrong scope, expired (`InvalidSignatureException`);
 * - `unknownKey`: no such access key (`UnrecognizedClientException`);
 * - `mismatch`: the recomputed signature differs (`InvalidSignatureException`, with both strings);
 * - `valid`: signed by `principal`.
 */
export type SigV4Verdict =
  | { readonly kind: 'missing' }
  | { readonly kind: 'incomplete'; readonly message: string }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'unknownKey' }
  | { readonly kind: 'mismatch'; readonly canonicalRequest: string; readonly stringToSign: string }
  | { readonly kind: 'valid'; readonly principal: LocalPrincipal };

/** Options of {@link SigV4Verifier}. */
export interface SigV4VerifierOptions {
  /** Who may sign. */
  readonly principals: LocalPrincipals;
  /** The region the credential scope must name. */
  readonly region: string;
  /** The service the credential scope must name. @default 'execute-api' */
  readonly service?: string;
  /** Largest accepted difference between `x-amz-date` and now. @default 300000 (5 min, as AWS) */
  readonly maxSkewMs?: number;
  /** Clock in epoch milliseconds. @default Date.now */
  readonly now?: () => number;
}

const FIVE_MINUTES_MS = 5 * 60 * 1000;

/** The only signing algorithm API Gateway REST APIs accept in an `Authorization` header. */
const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/**
 * Verifies AWS Signature Version 4 in the `Authorization` header form, as API Gateway does for
 * `AWS_IAM` methods: the header is read, `host` and `x-amz-date` must be signed, the credential
 * scope must name the date of `x-amz-date`, this region, `execute-api` and `aws4_request`, the date
 * must be within 5 minutes of now, the access key must exist, and the signature recomputed from the
 * request as received (path, query, signed headers, SHA-256 of the body) must match.
 *
 * @example
 * ```ts
 * const verifier = new SigV4Verifier({ principals, region: 'eu-west-1' });
 * const verdict = verifier.verify({ method: 'POST', rawPath, rawQuery: '', headers, body });
 * if (verdict.kind === 'valid') verdict.principal.quantum; // 'orders'
 * ```
 */
export class SigV4Verifier {
  readonly #principals: LocalPrincipals;
  readonly #region: string;
  readonly #service: string;
  readonly #maxSkewMs: number;
  readonly #now: () => number;

  constructor(options: SigV4VerifierOptions) {
    this.#principals = options.principals;
    this.#region = options.region;
    this.#service = options.service ?? 'execute-api';
    this.#maxSkewMs = options.maxSkewMs ?? FIVE_MINUTES_MS;
    this.#now = options.now ?? Date.now;
  }

  verify(request: ReceivedRequest): SigV4Verdict {
    const header = request.headers.get('authorization')?.[0];
    if (header === undefined || header.trim() === '') return { kind: 'missing' };
    const parsed = parseAuthorizationHeader(header);
    if (parsed === undefined) {
      // What API Gateway answers to another scheme (e.g. a Bearer token) on an IAM method.
      const digest = createHash('sha256').update(header).digest('base64');
      return {
        kind: 'incomplete',
        message: `Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '${digest}'.`,
      };
    }
    const amzDate = request.headers.get('x-amz-date')?.[0];
    if (isAuthorizationProblem(parsed)) {
      if (parsed.malformedCredential !== undefined) {
        return {
          kind: 'incomplete',
          message: `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${parsed.malformedCredential}'`,
        };
      }
      const lacks = parsed.missing.map((p) => `Authorization header requires '${p}' parameter.`);
      if (amzDate === undefined)
        lacks.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
      return { kind: 'incomplete', message: `${lacks.join(' ')} Authorization=${header}` };
    }
    if (amzDate === undefined) {
      return {
        kind: 'incomplete',
        message: `Authorization header requires existence of a 'X-Amz-Date' header. Authorization=${header}`,
      };
    }
    const signedAt = parseAmzDate(amzDate);
    if (signedAt === undefined) {
      return {
        kind: 'incomplete',
        message: `Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`,
      };
    }
    if (!parsed.signedHeaders.includes('host')) {
      return {
        kind: 'incomplete',
        message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
      };
    }
    if (!parsed.signedHeaders.includes('x-amz-date')) {
      return {
        kind: 'incomplete',
        message: "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.",
      };
    }
    const { credential } = parsed;
    if (credential.terminator !== 'aws4_request') {
      return {
        kind: 'invalid',
        message: `Credential should be scoped with a valid terminator: 'aws4_request', not '${credential.terminator}'. `,
      };
    }
    if (credential.service !== this.#service) {
      return {
        kind: 'invalid',
        message: `Credential should be scoped to correct service: '${this.#service}'. `,
      };
    }
    if (credential.region !== this.#region) {
      return {
        kind: 'invalid',
        message: `Credential should be scoped to a valid region, not '${credential.region}'. `,
      };
    }
    if (credential.date !== amzDate.slice(0, 8)) {
      return {
        kind: 'invalid',
        message: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${credential.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
      };
    }
    const now = this.#now();
    if (signedAt < now - this.#maxSkewMs) {
      return {
        kind: 'invalid',
        message: `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - this.#maxSkewMs)} (${formatAmzDate(now)} - ${minutes(this.#maxSkewMs)} min.)`,
      };
    }
    if (signedAt > now + this.#maxSkewMs) {
      return {
        kind: 'invalid',
        message: `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + this.#maxSkewMs)} (${formatAmzDate(now)} + ${minutes(this.#maxSkewMs)} min.)`,
      };
    }
    const principal = this.#principals.byAccessKeyId(credential.accessKeyId);
    if (principal === undefined) return { kind: 'unknownKey' };

    const canonicalRequest = canonicalRequestOf({
      method: request.method,
      rawPath: request.rawPath,
      rawQuery: request.rawQuery,
      headers: request.headers,
      signedHeaders: parsed.signedHeaders,
      payloadHash: createHash('sha256').update(request.body).digest('hex'),
    });
    const stringToSign = [
      SIGV4_ALGORITHM,
      amzDate,
      credential.scope,
      createHash('sha256').update(canonicalRequest).digest('hex'),
    ].join('\n');
    const expected = signatureOf(principal.credentials.secretAccessKey, credential, stringToSign);
    const given = Buffer.from(parsed.signature);
    const ok = given.length === expected.length && timingSafeEqual(given, expected);
    return ok ? { kind: 'valid', principal } : { kind: 'mismatch', canonicalRequest, stringToSign };
  }
}

function signatureOf(
  secretAccessKey: string,
  scope: { readonly date: string; readonly region: string; readonly service: string },
  stringToSign: string,
): Buffer {
  const hmac = (key: string | Buffer, data: string): Buffer =>
    createHmac('sha256', key).update(data).digest();
  const dateKey = hmac(`AWS4${secretAccessKey}`, scope.date);
  const signingKey = hmac(hmac(hmac(dateKey, scope.region), scope.service), 'aws4_request');
  return Buffer.from(createHmac('sha256', signingKey).update(stringToSign).digest('hex'));
}

function minutes(ms: number): number {
  return Math.round(ms / 60_000);
}

/** The parts of a SigV4 `Authorization` header. */
interface SigV4Authorization {
  /** `AWS4-HMAC-SHA256`. */
  readonly algorithm: string;
  /** `Credential=`: `<accessKeyId>/<yyyymmdd>/<region>/<service>/aws4_request`, split. */
  readonly credential: {
    readonly accessKeyId: string;
    readonly date: string;
    readonly region: string;
    readonly service: string;
    readonly terminator: string;
    /** Everything after the access key id: the credential scope of the string to sign. */
    readonly scope: string;
  };
  /** `SignedHeaders=`, lower-case names in the order given. */
  readonly signedHeaders: readonly string[];
  /** `Signature=`, lower-case hex. */
  readonly signature: string;
}

/** Why a header that claims SigV4 could not be read; `missing` lists what it lacks. */
interface AuthorizationProblem {
  readonly missing: readonly ('Credential' | 'Signature' | 'SignedHeaders')[];
  /** The credential is there but not `<key>/<date>/<region>/<service>/<terminator>`. */
  readonly malformedCredential?: string;
}

/**
 * Splits a SigV4 `Authorization` header into its parts. Returns undefined when the header does not
 * start with `AWS4-HMAC-SHA256` (it is some other scheme), an {@link AuthorizationProblem} when a
 * part is missing or malformed.
 *
 * @example
 * ```ts
 * parseAuthorizationHeader(
 *   'AWS4-HMAC-SHA256 Credential=LOCALORDERS/20240101/eu-west-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=8f3c…',
 * ); // { algorithm, credential: { accessKeyId: 'LOCALORDERS', … }, signedHeaders: ['host', 'x-amz-date'], signature: '8f3c…' }
 * ```
 */
function parseAuthorizationHeader(header: string): SigV4Authorization | AuthorizationProblem | undefined {
  const trimmed = header.trim();
  const space = trimmed.indexOf(' ');
  const algorithm = space === -1 ? trimmed : trimmed.slice(0, space);
  if (algorithm !== SIGV4_ALGORITHM) return undefined;
  const params = new Map<string, string>();
  for (const part of trimmed.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = params.get('Credential');
  const signedHeaders = params.get('SignedHeaders');
  const signature = params.get('Signature');
  const missing: AuthorizationProblem['missing'][number][] = [];
  if (!credential) missing.push('Credential');
  if (!signature) missing.push('Signature');
  if (!signedHeaders) missing.push('SignedHeaders');
  if (
    credential === undefined ||
    signedHeaders === undefined ||
    signature === undefined ||
    missing.length > 0
  ) {
    return { missing };
  }
  const parts = credential.split('/');
  if (parts.length !== 5 || parts.some((p) => p === '')) {
    return { missing: [], malformedCredential: credential };
  }
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  return {
    algorithm,
    credential: {
      accessKeyId,
      date,
      region,
      service,
      terminator,
      scope: `${date}/${region}/${service}/${terminator}`,
    },
    signedHeaders: signedHeaders.split(';').map((h) => h.trim().toLowerCase()),
    signature: signature.toLowerCase(),
  };
}

/**
 * True when {@link parseAuthorizationHeader} returned a problem rather than the parts.
 *
 * @example
 * ```ts
 * const parsed = parseAuthorizationHeader('AWS4-HMAC-SHA256 Credential=LOCALORDERS/20240101/eu-west-1/execute-api/aws4_request');
 * if (parsed !== undefined && isAuthorizationProblem(parsed)) parsed.missing; // ['Signature', 'SignedHeaders']
 * ```
 */
function isAuthorizationProblem(
  parsed: SigV4Authorization | AuthorizationProblem,
): parsed is AuthorizationProblem {
  return 'missing' in parsed;
}

/** What a SigV4 canonical request is built from, as the server received it. */
interface SignedRequestParts {
  /** Method as sent (`POST`). */
  readonly method: string;
  /** Path as sent, still percent-encoded (`/orders/v1/ops/GetProducts`). */
  readonly rawPath: string;
  /** Query string as sent, without `?` (empty when none). */
  readonly rawQuery: string;
  /** Every header value in arrival order, by lower-case name. */
  readonly headers: ReadonlyMap<string, readonly string[]>;
  /** Lower-case names listed in `SignedHeaders`, in that order. */
  readonly signedHeaders: readonly string[];
  /** Lower-case hex SHA-256 of the body as received. */
  readonly payloadHash: string;
}

/**
 * The SigV4 canonical request of a received request (the AWS General Reference, "Create a canonical
 * request for Signature Version 4"): method, canonical URI (path normalized, empty segments dropped,
 * each segment URI-encoded again as every service but S3 requires), canonical query string (sorted
 * by name then value, RFC 3986 encoding), canonical headers (signed ones only, values trimmed,
 * inner whitespace collapsed, repeats joined with `,`), the signed header list and the payload hash.
 *
 * @example
 * ```ts
 * canonicalRequestOf({ method: 'POST', rawPath: '/orders/v1/ops/GetProducts', rawQuery: '', headers, signedHeaders: ['host', 'x-amz-date'], payloadHash });
 * // 'POST\n/orders/v1/ops/GetProducts\n\nhost:127.0.0.1:3002\nx-amz-date:20240101T000000Z\n\nhost;x-amz-date\n44136f…'
 * ```
 */
function canonicalRequestOf(parts: SignedRequestParts): string {
  const headerLines = parts.signedHeaders.map(
    (name) => `${name}:${(parts.headers.get(name) ?? []).map(canonicalHeaderValue).join(',')}`,
  );
  return [
    parts.method,
    canonicalUri(parts.rawPath),
    canonicalQuery(parts.rawQuery),
    ...headerLines,
    '',
    parts.signedHeaders.join(';'),
    parts.payloadHash,
  ].join('\n');
}

function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  // The client encoded the path once to send it; the canonical URI encodes it once more.
  return `/${segments.map(uriEncode).join('/')}${trailing}`;
}

function canonicalQuery(rawQuery: string): string {
  if (rawQuery === '') return '';
  const pairs: [string, string][] = [];
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = percentDecode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : percentDecode(pair.slice(eq + 1));
    pairs.push([uriEncode(name), uriEncode(value)]);
  }
  pairs.sort(([an, av], [bn, bv]) => (an === bn ? compare(av, bv) : compare(an, bn)));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}

function canonicalHeaderValue(value: string): string {
  return value
    .replace(/[\r\n]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/** RFC 3986 encoding: everything but unreserved characters, upper-case hex. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Byte-order comparison (SigV4 sorts by code point, not by locale). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/**
 * Epoch milliseconds of an ISO 8601 basic-format timestamp as SigV4 uses it (`20240131T235959Z`),
 * or undefined when the text is not one.
 *
 * @example
 * ```ts
 * parseAmzDate('20240131T235959Z'); // 1706745599000
 * ```
 */
export function parseAmzDate(text: string): number | undefined {
  const m = AMZ_DATE.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const epoch = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls over (month 13, second 61): such a text is not a timestamp.
  return formatAmzDate(epoch) === text ? epoch : undefined;
}

/**
 * The ISO 8601 basic format of `epochMs`, seconds precision (`20240131T235959Z`).
 *
 * @example
 * ```ts
 * formatAmzDate(1706745599000); // '20240131T235959Z'
 * ```
 */
function formatAmzDate(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace(/[-:]/g, '').replace('.000', '');
}
