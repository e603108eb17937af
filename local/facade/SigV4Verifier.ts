import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { formatAmzDate, parseAmzDate } from './amzDate';
import { canonicalRequestOf } from './canonicalRequestOf';
import type { LocalPrincipal, LocalPrincipals } from './LocalPrincipals';
import {
  isAuthorizationProblem,
  parseAuthorizationHeader,
  SIGV4_ALGORITHM,
} from './parseAuthorizationHeader';

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
