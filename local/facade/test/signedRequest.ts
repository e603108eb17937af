import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';
import type { LocalCredentials } from '../../lambda/LocalFunction';

/** A request signed the way the runtime's facade client signs it (SigV4, service `execute-api`). */
export interface SignedRequest {
  readonly method: string;
  readonly path: string;
  /** Lower-case names, as the signer returns them (`host` included). */
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Options of {@link signRequest}. */
export interface SignOptions {
  readonly credentials: LocalCredentials;
  readonly region: string;
  readonly body?: string;
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly signingDate?: Date;
  readonly service?: string;
  /** Headers the signer must leave out of `SignedHeaders` (e.g. `host`, to prove it is required). */
  readonly unsignableHeaders?: ReadonlySet<string>;
}

/** Signs a request to `url` with `@smithy/signature-v4`, the signer the AWS SDK uses. */
export async function signRequest(url: string, options: SignOptions): Promise<SignedRequest> {
  const target = new URL(url);
  const body = options.body ?? '{}';
  const signer = new SignatureV4({
    service: options.service ?? 'execute-api',
    region: options.region,
    credentials: options.credentials,
    sha256: Sha256,
  });
  const query: Record<string, string[]> = {};
  for (const [k, v] of target.searchParams) query[k] = [...(query[k] ?? []), v];
  const request: HttpRequest = {
    method: options.method ?? 'POST',
    protocol: target.protocol,
    hostname: target.hostname,
    port: Number(target.port),
    path: target.pathname,
    query,
    headers: { host: target.host, 'content-type': 'application/json', ...options.headers },
    body,
  };
  const signed = await signer.sign(request, {
    signingDate: options.signingDate ?? new Date(),
    ...(options.unsignableHeaders === undefined
      ? {}
      : { unsignableHeaders: new Set(options.unsignableHeaders) }),
  });
  return {
    method: signed.method,
    path: `${target.pathname}${target.search}`,
    headers: signed.headers,
    body,
  };
}

/** The signed headers as a raw list for `rawRequest` (which sends them byte for byte). */
export function rawHeadersOf(signed: SignedRequest): string[] {
  return Object.entries(signed.headers).flat();
}
