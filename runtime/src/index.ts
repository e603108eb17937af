export { parseEnvironment } from './config/parseEnvironment';
export { isConditionalCheckFailed } from './dynamodb/isConditionalCheckFailed';
export { transactionCancellationReasons } from './dynamodb/transactionCancellationReasons';
export type { TransactWriteOptions } from './dynamodb/transactWrite';
export { transactWrite } from './dynamodb/transactWrite';
export type { FailedEventEntry, QuantaErrorOptions, ValidationIssue } from './errors';
export {
  BadRequestError,
  CircuitOpenError,
  ConfigurationError,
  ConflictError,
  EventPublishError,
  FacadeRequestError,
  FacadeUnavailableError,
  ForbiddenError,
  IdempotencyInProgressError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  QuantaError,
  ServiceUnavailableError,
  UnauthorizedError,
  UnprocessableError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './errors';
export type { EnvelopeOrigin } from './events/createEnvelope';
export { createEnvelope } from './events/createEnvelope';
export type { OutboxRelayOptions } from './events/createOutboxRelay';
export { createOutboxRelay } from './events/createOutboxRelay';
export type { EventBridgePublisherOptions } from './events/EventBridgePublisher';
export { EventBridgePublisher } from './events/EventBridgePublisher';
export type { EventPublisher } from './events/EventPublisher';
export type { OutboxPutOptions } from './events/outboxPut';
export {
  DEFAULT_OUTBOX_RETENTION_SECONDS,
  OUTBOX_PREFIX,
  OUTBOX_SORT_KEY,
  outboxPut,
} from './events/outboxPut';
export type { OutboxRelayFunctionOptions } from './events/outboxRelayFunction';
export { outboxRelayFunction } from './events/outboxRelayFunction';
export { outboxRelayHandler } from './events/outboxRelayHandler';
export type { CircuitBreakerOptions } from './facade/CircuitBreaker';
export { CircuitBreaker } from './facade/CircuitBreaker';
export type { FacadeClientOptions } from './facade/FacadeClient';
export { FacadeClient } from './facade/FacadeClient';
export type { AuthorizedEvent } from './http/callerOf';
export { callerOf, requireCaller } from './http/callerOf';
export type { CorrelatedEvent } from './http/correlationIdOf';
export { CORRELATION_ID_HEADER, correlationIdOf } from './http/correlationIdOf';
export type { FacadeHandler, FacadeRequest } from './http/createFacadeRouter';
export { createFacadeRouter, FACADE_MAX_BODY_BYTES } from './http/createFacadeRouter';
export type { RouteHandler, RouteHandlers } from './http/createRouter';
export { createRouter, DEFAULT_MAX_BODY_BYTES, routeKeyOf } from './http/createRouter';
export { emptyResponse } from './http/emptyResponse';
export { errorResponse } from './http/errorResponse';
export type { HttpApiEvent } from './http/HttpApiEvent';
export type { HttpRequest } from './http/HttpRequest';
export type { HttpResult } from './http/HttpResult';
export { headerOf } from './http/headerOf';
export { httpErrorHandler } from './http/httpErrorHandler';
export type { HttpHandlerOptions } from './http/httpHandler';
export { httpHandler } from './http/httpHandler';
export { injectCorrelationId } from './http/injectCorrelationId';
export { JSON_CONTENT_TYPE, jsonResponse } from './http/jsonResponse';
export type { EventWithBody } from './http/readJsonBody';
export { readJsonBody } from './http/readJsonBody';
export type { DynamoDbIdempotencyStoreOptions } from './idempotency/DynamoDbIdempotencyStore';
export { DynamoDbIdempotencyStore, IDEMPOTENCY_PREFIX } from './idempotency/DynamoDbIdempotencyStore';
export type { IdempotencyOutcome, IdempotencyStore } from './idempotency/IdempotencyStore';
export { MessagingError } from './messaging/MessagingError';
export type { MessageBatchHandlerOptions, MessageHandler } from './messaging/messageBatchHandler';
export { messageBatchHandler, on } from './messaging/messageBatchHandler';
export { replyQueueUrlsFrom, requestQueueUrlsFrom } from './messaging/queueUrlsFrom';
export type { ReplySender } from './messaging/ReplySender';
export type { RequestSender, SendRequestOptions } from './messaging/RequestSender';
export { redactCardNumbers } from './messaging/redactCardNumbers';
export type { SqsReplySenderOptions } from './messaging/SqsReplySender';
export { SqsReplySender } from './messaging/SqsReplySender';
export type { SqsRequestSenderOptions } from './messaging/SqsRequestSender';
export { SqsRequestSender } from './messaging/SqsRequestSender';
export type { Observability, ObservabilityOptions } from './observability/Observability';
export { createObservability, isTracingAvailable } from './observability/Observability';
export { observedHandler } from './observability/observedHandler';
export type { SqsBatchHandlerOptions, SqsRecordContext } from './sqs/sqsBatchHandler';
export { createBatchProcessor, sqsBatchHandler } from './sqs/sqsBatchHandler';
export { parseInput } from './validation/parseInput';
