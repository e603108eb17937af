import * as z from '@quanta/contracts/zod';
import { ManifestError } from './defineQuantum';

/**
 * The CORS configuration of the platform HTTP API (`quanta:cors`), in the terms of API Gateway's
 * HTTP API CORS configuration: API Gateway answers preflights itself and adds the headers to every
 * response of an allowed origin. Normalised when parsed: origins, header names lower-case, methods
 * upper-case, no duplicates.
 */
export interface CorsSettings {
  /** Origins allowed to call the API: `scheme://host[:port]`, or `*`, `http://*`, `https://*`. */
  readonly allowOrigins: readonly string[];
  /** Request headers a browser may send (`Access-Control-Allow-Headers`). */
  readonly allowHeaders: readonly string[];
  /** Methods a browser may use (`Access-Control-Allow-Methods`). */
  readonly allowMethods: readonly string[];
  /** Response headers a browser lets the page read besides the safelisted ones (`Access-Control-Expose-Headers`). */
  readonly exposeHeaders: readonly string[];
  /** How long a browser may cache a preflight's answer (`Access-Control-Max-Age`), 0 to 86400. */
  readonly maxAgeSeconds: number;
  /** Whether the browser may send cookies or HTTP authentication (`Access-Control-Allow-Credentials`). */
  readonly allowCredentials: boolean;
}

/** What the web client and the API's clients send: a token, a JSON body, an idempotency key, a correlation id. */
export const DEFAULT_CORS_ALLOW_HEADERS = [
  'authorization',
  'content-type',
  'idempotency-key',
  'x-correlation-id',
] as const;
/** The methods a manifest route can declare. */
export const DEFAULT_CORS_ALLOW_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** Headers a page needs to read and that browsers hide by default: the back-off of a 429/503 and the correlation id. */
export const DEFAULT_CORS_EXPOSE_HEADERS = ['retry-after', 'x-correlation-id'] as const;
/** Ten minutes: long enough to spare a preflight per call, short enough for a configuration change to reach browsers. */
export const DEFAULT_CORS_MAX_AGE_SECONDS = 600;

/** `*` alone, a scheme wildcard, or an exact origin: scheme, host, optional port, nothing after. */
const ORIGIN = /^(\*|https?:\/\/\*|https?:\/\/[a-z0-9.-]+(:\d{1,5})?|https?:\/\/\[[0-9a-f:.]+\](:\d{1,5})?)$/;
/** An HTTP header name (RFC 9110 token), or `*`. */
const HEADER_NAME = /^(\*|[!#$%&'*+.^_`|~0-9a-z-]+)$/;
const METHODS = ['*', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];
const lowerCaseList = z.pipe(
  z.array(z.string()),
  z.transform((values) => unique(values.map((v) => v.trim().toLowerCase()))),
);
const origins = z.pipe(
  lowerCaseList,
  z
    .array(
      z
        .string()
        .check(
          z.regex(
            ORIGIN,
            'must be an origin such as https://app.example.com (scheme, host, optional port; no path or trailing slash), * or https://*',
          ),
        ),
    )
    .check(z.minLength(1, 'must list at least one origin')),
);
const headerNames = z.pipe(
  lowerCaseList,
  z.array(z.string().check(z.regex(HEADER_NAME, 'must be an HTTP header name or *'))),
);
const methods = z.pipe(
  z.pipe(
    z.array(z.string()),
    z.transform((values) => unique(values.map((v) => v.trim().toUpperCase()))),
  ),
  z.array(z.enum(METHODS)),
);

/**
 * The schema of `quanta:cors`: `allowOrigins` is required, everything else has a default (the
 * headers and methods this API's clients use, `retry-after` and `x-correlation-id` exposed, 600 s,
 * no credentials). Like API Gateway, it refuses credentials with the `*` origin.
 */
export const corsSettingsSchema = z
  .strictObject({
    allowOrigins: origins,
    allowHeaders: z._default(headerNames, [...DEFAULT_CORS_ALLOW_HEADERS]),
    allowMethods: z._default(methods, [...DEFAULT_CORS_ALLOW_METHODS]),
    exposeHeaders: z._default(headerNames, [...DEFAULT_CORS_EXPOSE_HEADERS]),
    maxAgeSeconds: z._default(
      z.number().check(z.int(), z.minimum(0), z.maximum(86_400)),
      DEFAULT_CORS_MAX_AGE_SECONDS,
    ),
    allowCredentials: z._default(z.boolean(), false),
  })
  .check(
    z.refine((c) => !(c.allowCredentials && c.allowOrigins.includes('*')), {
      message:
        "allowCredentials cannot be true with the origin '*' (API Gateway refuses it, and so do browsers)",
      path: ['allowCredentials'],
    }),
  );

/**
 * `registry`'s CORS settings with `origins` allowed too; when it has none, the default settings for
 * exactly those origins. The local cloud adds the web client's development origins this way, and a
 * deployment can add another origin (e.g. the web client's CloudFront domain) without restating
 * the rest.
 *
 * @example
 * ```ts
 * const local = withCorsOrigins(registry, ['http://127.0.0.1:5173']);
 * local.cors?.allowOrigins; // [...registry's origins, 'http://127.0.0.1:5173']
 * ```
 */
export function withCorsOrigins<R extends { readonly cors?: CorsSettings }>(
  registry: R,
  origins: readonly string[],
): R {
  const current = registry.cors;
  const input =
    current === undefined
      ? { allowOrigins: [...origins] }
      : { ...current, allowOrigins: [...current.allowOrigins, ...origins] };
  const parsed = corsSettingsSchema.safeParse(input);
  if (!parsed.success) {
    throw new ManifestError(
      `CORS origins ${JSON.stringify(origins)} cannot be added: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return { ...registry, cors: parsed.data };
}
