import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { z } from 'zod';
import { ConfigurationError, MethodNotAllowedError, NotFoundError } from '../errors';
import type { FacadeOperationDefinition } from '../manifest/QuantumManifest';
import { correlationIdOf } from './correlationIdOf';
import { type HttpResult, jsonResponse } from './HttpResult';
import { parseInput } from './parseInput';
import { readJsonBody } from './readJsonBody';

/** What a facade operation handler receives. */
export interface FacadeRequest {
  /** The raw REST API proxy event. */
  readonly event: APIGatewayProxyEvent;
  /** Operation name, e.g. `GetUser`. */
  readonly operation: string;
  /** The JSON body, parsed but not validated. */
  readonly body: unknown;
  /** Correlation id passed by the calling quantum (or the request id). */
  readonly correlationId: string;
  /** IAM principal that signed the request (from API Gateway's SigV4 check), for logs and audits. */
  readonly callerArn: string | undefined;
  /** The body validated with `schema`, or a 400 `VALIDATION_FAILED`. */
  parseBody<S extends z.ZodType>(schema: S): z.infer<S>;
}

/** Handles one facade operation; its result is the 200 JSON body. */
export type FacadeHandler = (request: FacadeRequest) => Promise<unknown>;

/** Largest facade request body. */
const FACADE_MAX_BODY_BYTES = 262_144;

const OPERATION_PATH = /\/ops\/([A-Za-z0-9]+)\/?$/;

/**
 * Builds a quantum's `facade` function body: `POST /ops/{operation}` behind the IAM-authorized REST
 * API. At cold start every manifest operation must have a handler and vice versa (else it throws);
 * per request an unknown operation is a 404 `OPERATION_NOT_FOUND`, another method a 405, and the
 * handler's result is answered as 200 JSON. Wrap it with {@link httpHandler}.
 *
 * @example
 * ```ts
 * const facade = createFacadeRouter(identity.facade ?? [], {
 *   GetUser: async (req) => service.getUser(req.parseBody(getUserRequestSchema).userId),
 * });
 * export const handler = httpHandler(facade, { observability });
 * ```
 */
export function createFacadeRouter(
  operations: readonly FacadeOperationDefinition[],
  handlers: Readonly<Record<string, FacadeHandler>>,
): (event: APIGatewayProxyEvent) => Promise<HttpResult> {
  const declared = new Set(operations.map((o) => o.name));
  const missing = [...declared].filter((name) => handlers[name] === undefined);
  const unknown = Object.keys(handlers).filter((name) => !declared.has(name));
  if (missing.length > 0 || unknown.length > 0) {
    throw new ConfigurationError(
      `Facade does not match the manifest: operations without a handler: [${missing.join(', ')}]; ` +
        `handlers without an operation: [${unknown.join(', ')}]`,
    );
  }
  return async (event) => {
    const operation = OPERATION_PATH.exec(event.path)?.[1];
    const handler = operation === undefined ? undefined : handlers[operation];
    if (operation === undefined || handler === undefined) {
      throw new NotFoundError(`No facade operation at ${event.path}`, { code: 'OPERATION_NOT_FOUND' });
    }
    if (event.httpMethod.toUpperCase() !== 'POST')
      throw new MethodNotAllowedError(event.httpMethod, event.path, ['POST']);
    const body = readJsonBody(event, FACADE_MAX_BODY_BYTES);
    const result = await handler({
      event,
      operation,
      body,
      correlationId: correlationIdOf(event),
      callerArn: event.requestContext.identity?.userArn ?? undefined,
      parseBody: (schema) => parseInput(schema, body, `${operation} request`),
    });
    return jsonResponse(200, result);
  };
}
