import type { FacadeApiSpec, FacadeOperationRoute } from './facadeApisOf';
import { FACADE_STAGE } from './facadeApisOf';
import type { LocalPrincipal } from './LocalPrincipals';

/** `requestContext.identity` of a REST API request authorized with `AWS_IAM`. */
export interface RestIamIdentity {
  readonly cognitoIdentityPoolId: null;
  readonly accountId: string;
  readonly cognitoIdentityId: null;
  readonly caller: string;
  readonly sourceIp: string;
  readonly principalOrgId: null;
  readonly accessKey: string;
  readonly cognitoAuthenticationType: null;
  readonly cognitoAuthenticationProvider: null;
  readonly userArn: string;
  readonly userAgent: string;
  readonly user: string;
}

/** The event a REST API sends a Lambda proxy integration (payload format 1.0). */
export interface RestProxyEvent {
  readonly resource: string;
  readonly path: string;
  readonly httpMethod: string;
  readonly headers: Record<string, string> | null;
  readonly multiValueHeaders: Record<string, string[]> | null;
  readonly queryStringParameters: Record<string, string> | null;
  readonly multiValueQueryStringParameters: Record<string, string[]> | null;
  readonly pathParameters: null;
  readonly stageVariables: null;
  readonly requestContext: {
    readonly resourceId: string;
    readonly resourcePath: string;
    readonly httpMethod: string;
    readonly extendedRequestId: string;
    readonly requestTime: string;
    readonly path: string;
    readonly accountId: string;
    readonly protocol: string;
    readonly stage: string;
    readonly domainPrefix: string;
    readonly requestTimeEpoch: number;
    readonly requestId: string;
    readonly identity: RestIamIdentity;
    readonly domainName: string;
    readonly deploymentId: string;
    readonly apiId: string;
  };
  readonly body: string | null;
  readonly isBase64Encoded: boolean;
}

/** What the gateway read from the HTTP request and stamped on it. */
export interface FacadeRequestFacts {
  /** `requestContext.requestId` and `x-amzn-RequestId` (a UUID on REST APIs). */
  readonly requestId: string;
  /** `x-amz-apigw-id`. */
  readonly extendedRequestId: string;
  /** `X-Amzn-Trace-Id` to add when the caller sent none. */
  readonly traceId: string;
  readonly method: string;
  /** Query string as sent, without `?`. */
  readonly rawQuery: string;
  /** Header name/value pairs in arrival order, names as sent. */
  readonly rawHeaders: readonly (readonly [string, string])[];
  readonly sourceIp: string;
  /** The `Host` the caller used. */
  readonly domainName: string;
  /** Port the gateway listens on (`X-Forwarded-Port`). */
  readonly port: number;
  readonly timeEpoch: number;
  /** `timeEpoch` in CLF (`12/Mar/2020:19:03:58 +0000`). */
  readonly time: string;
  /** UTF-8 body, or null when empty. */
  readonly body: string | null;
}

/** Stable per API; AWS's deployment ids look like this. */
const DEPLOYMENT_ID = 'lcl0v1';

/**
 * The Lambda proxy event (payload 1.0) of a facade call, as a regional REST API builds it for an
 * `AWS_IAM` method: header names as sent (`headers` keeps the last value of a repeated header,
 * `multiValueHeaders` all), `X-Forwarded-For/Port/Proto` and `X-Amzn-Trace-Id` added, query
 * parameters decoded (null when none), `path` and `resource` relative to the stage while
 * `requestContext.path` carries the stage, `identity` filled from the signer's IAM principal, and
 * the body as text (the API declares no binary media types, so `isBase64Encoded` is false).
 *
 * @example
 * ```ts
 * const event = buildRestProxyEvent(api, operation, principal, facts, '000000000000');
 * event.requestContext.identity.userArn; // 'arn:aws:sts::000000000000:assumed-role/Orders-LocalExecutionRole/quanta-orders'
 * ```
 */
export function buildRestProxyEvent(
  api: FacadeApiSpec,
  operation: FacadeOperationRoute,
  principal: LocalPrincipal,
  facts: FacadeRequestFacts,
  accountId: string,
): RestProxyEvent {
  const headers = new HeaderBag();
  for (const [name, value] of facts.rawHeaders) headers.add(name, value);
  const forwardedFor = headers.last('x-forwarded-for');
  headers.set(
    'X-Forwarded-For',
    forwardedFor === undefined ? facts.sourceIp : `${forwardedFor}, ${facts.sourceIp}`,
  );
  headers.set('X-Forwarded-Port', String(facts.port));
  headers.set('X-Forwarded-Proto', 'http');
  if (headers.last('x-amzn-trace-id') === undefined) headers.set('X-Amzn-Trace-Id', facts.traceId);

  const query = parseQuery(facts.rawQuery);
  const userAgent = headers.last('user-agent') ?? '';
  return {
    resource: operation.resourcePath,
    path: operation.resourcePath,
    httpMethod: facts.method,
    headers: headers.single(),
    multiValueHeaders: headers.multi(),
    queryStringParameters: query === undefined ? null : lastValues(query),
    multiValueQueryStringParameters: query ?? null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      resourceId: operation.resourceId,
      resourcePath: operation.resourcePath,
      httpMethod: facts.method,
      extendedRequestId: facts.extendedRequestId,
      requestTime: facts.time,
      path: `/${FACADE_STAGE}${operation.resourcePath}`,
      accountId,
      protocol: 'HTTP/1.1',
      stage: FACADE_STAGE,
      domainPrefix: domainPrefixOf(facts.domainName),
      requestTimeEpoch: facts.timeEpoch,
      requestId: facts.requestId,
      identity: {
        cognitoIdentityPoolId: null,
        accountId: principal.accountId,
        cognitoIdentityId: null,
        caller: principal.caller,
        sourceIp: facts.sourceIp,
        principalOrgId: null,
        accessKey: principal.credentials.accessKeyId,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: principal.userArn,
        userAgent,
        user: principal.caller,
      },
      domainName: facts.domainName,
      deploymentId: DEPLOYMENT_ID,
      apiId: api.apiId,
    },
    body: facts.body,
    isBase64Encoded: false,
  };
}

/** Headers keyed case-insensitively, reported under the first spelling seen. */
class HeaderBag {
  readonly #entries = new Map<string, { name: string; values: string[] }>();

  add(name: string, value: string): void {
    const key = name.toLowerCase();
    const entry = this.#entries.get(key);
    if (entry === undefined) this.#entries.set(key, { name, values: [value] });
    else entry.values.push(value);
  }

  /** Replaces every value of `name` (API Gateway overwrites the forwarding headers). */
  set(name: string, value: string): void {
    const key = name.toLowerCase();
    const entry = this.#entries.get(key);
    this.#entries.set(key, { name: entry?.name ?? name, values: [value] });
  }

  last(name: string): string | undefined {
    return this.#entries.get(name.toLowerCase())?.values.at(-1);
  }

  single(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const { name, values } of this.#entries.values()) out[name] = values.at(-1) as string;
    return out;
  }

  multi(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const { name, values } of this.#entries.values()) out[name] = [...values];
    return out;
  }
}

function parseQuery(raw: string): Record<string, string[]> | undefined {
  let params: Record<string, string[]> | undefined;
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq === -1 ? pair : pair.slice(0, eq));
    if (name === '') continue;
    params ??= {};
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1));
    const values = params[name];
    if (values === undefined) params[name] = [value];
    else values.push(value);
  }
  return params;
}

function lastValues(multi: Record<string, string[]>): Record<string, string> {
  return Object.fromEntries(Object.entries(multi).map(([k, v]) => [k, v.at(-1) as string]));
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}

function domainPrefixOf(domainName: string): string {
  const host = domainName.startsWith('[') ? domainName : (domainName.split(':')[0] ?? domainName);
  const dot = host.indexOf('.');
  return dot === -1 ? host : host.slice(0, dot);
}
