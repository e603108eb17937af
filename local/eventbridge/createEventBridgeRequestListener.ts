import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { PutEventsRequestEntry, PutEventsResponse } from '@aws-sdk/client-eventbridge';
import type { JsonObject } from './EventBridgeEvent';
import { isJsonObject } from './EventBridgeEvent';
import { EventBridgeError } from './errors';

/** The EventBridge operations the HTTP endpoint serves. */
export interface EventBridgeOperations {
  putEvents(entries: readonly PutEventsRequestEntry[]): PutEventsResponse;
  testEventPattern(eventPattern: string, event: string): boolean;
}

/** Options of {@link createEventBridgeRequestListener}. */
export interface EventBridgeRequestListenerOptions {
  /** Largest request body read, in bytes; larger requests get HTTP 413. @default 4 MiB */
  readonly maxBodyBytes?: number;
  /** Called with errors that are not EventBridge errors (they become HTTP 500). */
  readonly onInternalError?: (error: unknown) => void;
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'AWSEvents.';

/** An AWS JSON protocol error answer. */
class ProtocolError extends Error {
  constructor(
    readonly status: number,
    readonly awsCode: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A `node:http` request listener speaking EventBridge's wire protocol (AWS JSON 1.1: `POST /`,
 * `X-Amz-Target: AWSEvents.<Operation>`, JSON bodies, errors as `{ "__type", "message" }`), so an
 * unmodified `EventBridgeClient` with `endpoint` set works against it. Serves `PutEvents` and
 * `TestEventPattern`. SigV4 headers are accepted and not verified.
 *
 * @example
 * createServer(createEventBridgeRequestListener(bus)).listen(0);
 */
export function createEventBridgeRequestListener(
  operations: EventBridgeOperations,
  options: EventBridgeRequestListenerOptions = {},
): RequestListener {
  const maxBodyBytes = options.maxBodyBytes ?? 4 * 1024 * 1024;
  return (request, response) => {
    handle(operations, request, maxBodyBytes).then(
      (output) => send(response, 200, output),
      (error: unknown) => {
        if (error instanceof ProtocolError) {
          sendError(response, error.status, error.awsCode, error.message);
        } else if (error instanceof EventBridgeError) {
          sendError(response, 400, error.awsCode, error.message);
        } else {
          options.onInternalError?.(error);
          sendError(response, 500, 'InternalException', 'An internal error occurred.');
        }
      },
    );
  };
}

async function handle(
  operations: EventBridgeOperations,
  request: IncomingMessage,
  maxBodyBytes: number,
): Promise<unknown> {
  if (request.method !== 'POST')
    throw new ProtocolError(405, 'UnknownOperationException', 'Only POST is supported.');
  const target = request.headers['x-amz-target'];
  const operation =
    typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  const input = await readJsonBody(request, maxBodyBytes);
  switch (operation) {
    case 'PutEvents':
      return operations.putEvents(parseEntries(input.Entries));
    case 'TestEventPattern':
      return {
        Result: operations.testEventPattern(
          requiredString(input, 'EventPattern'),
          requiredString(input, 'Event'),
        ),
      };
    default:
      throw new ProtocolError(
        400,
        'UnknownOperationException',
        `Operation ${String(target)} is not supported.`,
      );
  }
}

async function readJsonBody(request: IncomingMessage, maxBodyBytes: number): Promise<JsonObject> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > maxBodyBytes)
      throw new ProtocolError(413, 'ValidationException', 'Request body is too large.');
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  let parsed: unknown;
  try {
    parsed = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new ProtocolError(400, 'SerializationException', 'Request body is not valid JSON.');
  }
  if (!isJsonObject(parsed))
    throw new ProtocolError(400, 'SerializationException', 'Request body must be a JSON object.');
  return parsed;
}

function parseEntries(value: unknown): PutEventsRequestEntry[] {
  if (value === undefined || value === null) {
    throw new ProtocolError(
      400,
      'ValidationException',
      "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
    );
  }
  if (!Array.isArray(value)) throw serialization('Entries must be a list.');
  return value.map((entry: unknown) => {
    if (!isJsonObject(entry)) throw serialization('Each entry must be an object.');
    const resources = entry.Resources;
    if (
      resources !== undefined &&
      !(Array.isArray(resources) && resources.every((r) => typeof r === 'string'))
    ) {
      throw serialization('Resources must be a list of strings.');
    }
    return {
      Time: parseTime(entry.Time),
      Source: optionalString(entry, 'Source'),
      Resources: resources,
      DetailType: optionalString(entry, 'DetailType'),
      Detail: optionalString(entry, 'Detail'),
      EventBusName: optionalString(entry, 'EventBusName'),
      TraceHeader: optionalString(entry, 'TraceHeader'),
    };
  });
}

// The SDK serializes timestamps in this protocol as epoch seconds (possibly fractional).
function parseTime(value: unknown): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const date =
    typeof value === 'number'
      ? new Date(value * 1000)
      : typeof value === 'string'
        ? new Date(value)
        : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) throw serialization('Time must be a timestamp.');
  return date;
}

function optionalString(object: JsonObject, key: string): string | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw serialization(`${key} must be a string.`);
  return value;
}

function requiredString(object: JsonObject, key: string): string {
  const value = optionalString(object, key);
  if (value === undefined) {
    const member = `${key.charAt(0).toLowerCase()}${key.slice(1)}`;
    throw new ProtocolError(
      400,
      'ValidationException',
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

function serialization(message: string): ProtocolError {
  return new ProtocolError(400, 'SerializationException', message);
}

function send(response: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': randomUUID(),
    ...(errorType === undefined ? {} : { 'x-amzn-errortype': errorType }),
  });
  response.end(payload);
}

function sendError(response: ServerResponse, status: number, awsCode: string, message: string): void {
  send(response, status, { __type: awsCode, message }, awsCode);
}
