import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import { CORRELATION_ID_HEADER, type CorrelatedEvent, correlationIdOf } from './correlationIdOf';
import type { HttpResult } from './HttpResult';

/**
 * middy middleware: puts the request's correlation id on every log line and echoes it in the
 * `x-correlation-id` response header, on success and on error responses alike.
 *
 * @example
 * ```ts
 * middy(handler).use(injectLambdaContext(logger, { resetKeys: true })).use(injectCorrelationId(logger));
 * ```
 */
export function injectCorrelationId(
  logger: Pick<Logger, 'setCorrelationId'>,
): MiddlewareObj<CorrelatedEvent, HttpResult> {
  const echo = (request: { event: CorrelatedEvent; response: HttpResult | null | undefined }): void => {
    if (request.response === null || request.response === undefined) return;
    request.response = {
      ...request.response,
      headers: { ...request.response.headers, [CORRELATION_ID_HEADER]: correlationIdOf(request.event) },
    };
  };
  return {
    name: 'injectCorrelationId',
    before: (request) => {
      logger.setCorrelationId(correlationIdOf(request.event));
    },
    after: echo,
    onError: echo,
  };
}
