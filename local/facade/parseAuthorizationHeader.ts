/** The parts of a SigV4 `Authorization` header. */
export interface SigV4Authorization {
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
export interface AuthorizationProblem {
  readonly missing: readonly ('Credential' | 'Signature' | 'SignedHeaders')[];
  /** The credential is there but not `<key>/<date>/<region>/<service>/<terminator>`. */
  readonly malformedCredential?: string;
}

/** The only signing algorithm API Gateway REST APIs accept in an `Authorization` header. */
export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

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
export function parseAuthorizationHeader(
  header: string,
): SigV4Authorization | AuthorizationProblem | undefined {
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
export function isAuthorizationProblem(
  parsed: SigV4Authorization | AuthorizationProblem,
): parsed is AuthorizationProblem {
  return 'missing' in parsed;
}
