import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FACADE_STAGE } from '@quanta/runtime/manifest';
import { clientAddress } from '../http/GatewayRequest';
import {
  type GatewayKind,
  GatewayServer,
  type GatewayServerOptions,
  requireInteger,
} from '../http/GatewayServer';
import { DEADLINE_PASSED, invokeWithDeadline } from '../http/invokeWithDeadline';
import type { RequestIdSource } from '../http/RequestIds';
import type { FunctionInvoker } from '../lambda/FunctionInvoker';
import { FacadeConfigurationError, FacadeStateError } from './errors';
import { type FacadeGatewayResponse, FacadeResponses } from './FacadeResponses';
import type { LocalPrincipals } from './LocalPrincipals';
import { buildRestProxyEvent, mapRestProxyResult } from './restApiEvents';
import { SigV4Verifier } from './SigV4Verifier';

/** Why the gateway refused or failed a request (AWS writes this to execution logs). */
export interface FacadeGatewayReport {
  readonly requestId: string;
  /** `<quantum> POST /ops/<name>`, or the raw method and path when nothing matched. */
  readonly target: string;
  readonly statusCode: number;
  readonly reason: string;
}

/** One `POST /ops/{name}` method of a facade API. */
export interface FacadeOperationRoute {
  readonly name: string;
  /** `/ops/{name}`: the REST resource path. */
  readonly resourcePath: string;
  /** Registered quanta the resource policy admits; everyone else is explicitly denied. */
  readonly callers: readonly string[];
  /** The method's resource id (stable, shaped like API Gateway's). */
  readonly resourceId: string;
}

/** One quantum's facade REST API. */
export interface FacadeApiSpec {
  readonly quantum: string;
  /** API id, lower-case alphanumeric like API Gateway's: `<quantum>facade`. */
  readonly apiId: string;
  /** The `facade` function every method integrates with. */
  readonly functionId: string;
  /** Operations by name. */
  readonly operations: ReadonlyMap<string, FacadeOperationRoute>;
}

/** Options of {@link FacadeGateway}. */
export interface FacadeGatewayOptions extends GatewayServerOptions {
  /** The facade APIs, one per quantum with facade operations. */
  readonly apis: readonly FacadeApiSpec[];
  /** Runs the quanta's `facade` functions. */
  readonly invoker: FunctionInvoker;
  /** Who may sign: each quantum's local credentials. */
  readonly principals: LocalPrincipals;
  /** The region signatures must be scoped to, also used in ARNs. */
  readonly region: string;
  /** Account that owns the APIs (`requestContext.accountId`, ARNs). @default '000000000000' */
  readonly accountId?: string;
  /** How long the gateway waits for the function before answering 504, 50 to 29000. @default 29000 */
  readonly integrationTimeoutMs?: number;
  /** Clock in epoch milliseconds (signature dates and event times). @default Date.now */
  readonly now?: () => number;
  /** Extended request ids and trace ids. @default random, AWS-shaped */
  readonly ids?: RequestIdSource;
  /** Called with the reason of every 4xx/5xx the gateway itself produces. @default ignore */
  readonly onReport?: (report: FacadeGatewayReport) => void;
}

interface Match {
  readonly api: FacadeApiSpec;
  readonly operation: FacadeOperationRoute;
}

const TOO_LARGE = Symbol('too large');

const FACADE_GATEWAY: GatewayKind = {
  name: 'Facade gateway',
  defaultPort: 0,
  configurationError: (message) => new FacadeConfigurationError(message),
  alreadyStarted: (url) => new FacadeStateError(`Facade gateway already runs at ${url}`),
  listenError: (message, cause) => new FacadeStateError(message, { cause }),
};

/**
 * The local cloud's facade gateway: every quantum's facade REST API (`AWS_IAM`, stage `v1`,
 * `POST /ops/{name}`, resource policy naming the registered callers, body validated as a JSON
 * object) on one `node:http` server, each under `/<quantum>/v1`, integrated with the quantum's
 * `facade` function through a Lambda proxy integration (payload 1.0). Requests must be SigV4-signed
 * with a quantum's local credentials; the response for each failure is the one API Gateway sends.
 *
 * @example
 * ```ts
 * const gateway = new FacadeGateway({ apis: facadeApisOf(plan), invoker, principals, region: 'eu-west-1' });
 * await gateway.start();
 * gateway.urlOf('catalog'); // 'http://127.0.0.1:3002/catalog/v1' — operations at `${url}/ops/${name}`
 * await gateway.stop();
 * ```
 */
export class FacadeGateway extends GatewayServer {
  /** The facade APIs, one per quantum with facade operations. */
  readonly apis: readonly FacadeApiSpec[];
  readonly #byQuantum: ReadonlyMap<string, FacadeApiSpec>;
  readonly #invoker: FunctionInvoker;
  readonly #verifier: SigV4Verifier;
  readonly #region: string;
  readonly #accountId: string;
  readonly #integrationTimeoutMs: number;
  readonly #onReport: ((report: FacadeGatewayReport) => void) | undefined;

  constructor(options: FacadeGatewayOptions) {
    const integrationTimeoutMs = options.integrationTimeoutMs ?? 29_000;
    requireInteger(FACADE_GATEWAY, 'integrationTimeoutMs', integrationTimeoutMs, 50, 29_000);
    super(options, FACADE_GATEWAY);
    this.#integrationTimeoutMs = integrationTimeoutMs;
    this.#accountId = options.accountId ?? '000000000000';
    if (!/^\d{12}$/.test(this.#accountId)) {
      throw new FacadeConfigurationError(
        `Facade gateway option 'accountId' must be 12 digits, got '${this.#accountId}'`,
      );
    }
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(options.region)) {
      throw new FacadeConfigurationError(
        `Facade gateway option 'region' must be an AWS region, got '${options.region}'`,
      );
    }
    this.#region = options.region;
    this.#onReport = options.onReport;
    this.#invoker = options.invoker;
    this.#verifier = new SigV4Verifier({
      principals: options.principals,
      region: this.#region,
      now: this.now,
    });
    this.apis = options.apis;
    this.#byQuantum = new Map(this.apis.map((api) => [api.quantum, api]));
  }

  /**
   * Base URL of `quantum`'s facade stage, in the stack's format: no trailing slash, operations at
   * `${url}/ops/${name}`. Throws when the gateway is not started or the quantum has no facade.
   */
  urlOf(quantum: string): string {
    const url = this.url;
    if (url === undefined) throw new FacadeStateError('Facade gateway is not started');
    if (!this.#byQuantum.has(quantum)) {
      throw new FacadeConfigurationError(
        `Quantum '${quantum}' has no facade; facades: ${[...this.#byQuantum.keys()].join(', ') || '(none)'}`,
      );
    }
    return `${url}/${quantum}/${FACADE_STAGE}`;
  }

  protected override async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const extendedRequestId = this.ids.requestId();
    try {
      await this.#serve(req, res, requestId, extendedRequestId);
    } catch (error) {
      // The invoker rejected (stopped runtime) or the client went away mid-body.
      const reason = error instanceof Error ? error.message : String(error);
      this.#reply(res, FacadeResponses.internalServerError, requestId, extendedRequestId, {
        target: `${req.method} ${req.url}`,
        reason,
      });
    }
  }

  async #serve(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    extendedRequestId: string,
  ): Promise<void> {
    const timeEpoch = this.now();
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const rawPath = q === -1 ? target : target.slice(0, q);
    const rawQuery = q === -1 ? '' : target.slice(q + 1);
    const method = req.method ?? 'GET';
    const reply = (response: FacadeGatewayResponse, where: string, reason: string): void =>
      this.#reply(res, response, requestId, extendedRequestId, { target: where, reason });

    const match = this.#match(method, rawPath);
    if (match === undefined) {
      return reply(
        FacadeResponses.missingAuthenticationToken,
        `${method} ${rawPath}`,
        'no such resource or method',
      );
    }
    const where = `${match.api.quantum} POST ${match.operation.resourcePath}`;
    const body = await readBody(req, this.maxPayloadBytes);
    if (body === TOO_LARGE)
      return reply(FacadeResponses.requestTooLong, where, 'body over the payload quota');

    const headers = new Map<string, string[]>();
    const raw = req.rawHeaders;
    const rawHeaders: [string, string][] = [];
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i] as string;
      const value = raw[i + 1] as string;
      rawHeaders.push([name, value]);
      const lower = name.toLowerCase();
      const list = headers.get(lower);
      if (list === undefined) headers.set(lower, [value]);
      else list.push(value);
    }

    const verdict = this.#verifier.verify({ method, rawPath, rawQuery, headers, body });
    switch (verdict.kind) {
      case 'missing':
        return reply(FacadeResponses.missingAuthenticationToken, where, 'unsigned request');
      case 'incomplete':
        return reply(FacadeResponses.incompleteSignature(verdict.message), where, verdict.message);
      case 'invalid':
        return reply(FacadeResponses.invalidSignature(verdict.message), where, verdict.message);
      case 'unknownKey':
        return reply(FacadeResponses.unrecognizedClient, where, 'unknown access key id');
      case 'mismatch':
        return reply(
          FacadeResponses.signatureMismatch(verdict.canonicalRequest, verdict.stringToSign),
          where,
          'signature mismatch',
        );
      case 'valid':
        break;
    }
    const { principal } = verdict;
    if (!match.operation.callers.includes(principal.quantum)) {
      const resourceArn = `arn:aws:execute-api:${this.#region}:${maskAccount(this.#accountId)}:${match.api.apiId}/${FACADE_STAGE}/POST${match.operation.resourcePath}`;
      return reply(
        FacadeResponses.accessDenied(principal.userArn, resourceArn),
        where,
        `resource policy denies '${principal.quantum}' (callers: ${match.operation.callers.join(', ') || 'none'})`,
      );
    }
    const text = body.length === 0 ? null : body.toString('utf8');
    if (!passesValidator(headers.get('content-type')?.[0], text)) {
      return reply(FacadeResponses.invalidRequestBody, where, 'body is not a JSON object');
    }

    const traceId = headers.get('x-amzn-trace-id')?.[0] ?? this.ids.traceId(timeEpoch);
    const event = buildRestProxyEvent(
      match.api,
      match.operation,
      principal,
      {
        requestId,
        extendedRequestId,
        traceId,
        method,
        rawQuery,
        rawHeaders,
        sourceIp: clientAddress(req.socket.remoteAddress),
        domainName:
          headers.get('host')?.[0] ?? `${match.api.apiId}.execute-api.${this.#region}.amazonaws.com`,
        port: this.port,
        timeEpoch,
        time: this.requestTime(timeEpoch),
        body: text,
      },
      this.#accountId,
    );
    const result = await invokeWithDeadline(
      this.#invoker,
      match.api.functionId,
      event,
      this.#integrationTimeoutMs,
    );
    if (result === DEADLINE_PASSED) {
      return reply(
        FacadeResponses.endpointRequestTimedOut,
        where,
        `integration timed out after ${this.#integrationTimeoutMs} ms`,
      );
    }
    if (!result.ok) {
      const { errorType, errorMessage } = result.error;
      return reply(
        FacadeResponses.internalServerError,
        where,
        `${match.api.functionId} failed: ${errorType}: ${errorMessage}`,
      );
    }
    const response = mapRestProxyResult(result.payload);
    if (response === undefined) {
      return reply(
        FacadeResponses.internalServerError,
        where,
        `${match.api.functionId} returned a malformed Lambda proxy response`,
      );
    }
    const out: Record<string, string | string[] | number> = { ...response.headers };
    out['content-length'] = Buffer.byteLength(response.body);
    out['x-amzn-RequestId'] = requestId;
    out['x-amz-apigw-id'] = extendedRequestId;
    out['X-Amzn-Trace-Id'] = traceId;
    try {
      res.writeHead(response.statusCode, out);
    } catch (error) {
      return reply(FacadeResponses.internalServerError, where, `invalid response headers: ${String(error)}`);
    }
    res.end(response.body);
  }

  #match(method: string, rawPath: string): Match | undefined {
    if (method !== 'POST') return undefined;
    const segments = rawPath.split('/');
    // ['', '<quantum>', 'v1', 'ops', '<name>']
    if (segments.length !== 5 || segments[0] !== '' || segments[2] !== FACADE_STAGE || segments[3] !== 'ops')
      return undefined;
    const api = this.#byQuantum.get(segments[1] as string);
    const operation = api?.operations.get(segments[4] as string);
    return api === undefined || operation === undefined ? undefined : { api, operation };
  }

  #reply(
    res: ServerResponse,
    response: FacadeGatewayResponse,
    requestId: string,
    extendedRequestId: string,
    report: { readonly target: string; readonly reason: string },
  ): void {
    this.#onReport?.({ requestId, statusCode: response.statusCode, ...report });
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const headers: Record<string, string | number> = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(response.body),
      'x-amzn-RequestId': requestId,
      'x-amz-apigw-id': extendedRequestId,
    };
    if (response.errorType !== undefined) headers['x-amzn-ErrorType'] = response.errorType;
    res.writeHead(response.statusCode, headers);
    res.end(response.body);
  }
}

/**
 * The facade methods' request validator: for `application/json` (also assumed when there is no
 * `Content-Type`) the body must be a JSON object; other media types have no model and pass.
 */
function passesValidator(contentType: string | undefined, body: string | null): boolean {
  const mediaType = (contentType ?? 'application/json').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') return true;
  if (body === null) return false;
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

/**
 * The whole body, or {@link TOO_LARGE} once it exceeds `limit`. The rest is read and dropped so the
 * 413 reaches the client; a client still sending after several times the limit is cut off.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | typeof TOO_LARGE> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        if (size > 4 * limit) req.socket.destroy();
      } else chunks.push(chunk);
    });
    req.once('end', () => resolve(over ? TOO_LARGE : Buffer.concat(chunks, size)));
    req.once('error', reject);
  });
}

/** AWS masks all but the last four digits of the API owner's account in authorization errors. */
function maskAccount(accountId: string): string {
  return `********${accountId.slice(-4)}`;
}
