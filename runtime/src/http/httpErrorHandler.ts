import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import { errorResponse } from './errorResponse';
import type { HttpResult } from './HttpResult';

/**
 * middy middleware: the only place where errors become HTTP responses (see {@link errorResponse}).
 * It sets the response instead of returning it, so the other middlewares' `onError` hooks (metrics
 * flush, logger cleanup, trace segment) still run.
 *
 * @example
 * ```ts
 * middy(handler).use(httpErrorHandler({ logger }));
 * ```
 */
export function httpErrorHandler(options: {
  readonly logger: Pick<Logger, 'error' | 'info'>;
}): MiddlewareObj<unknown, HttpResult> {
  return {
    name: 'httpErrorHandler',
    onError: (request) => {
      request.response = errorResponse(request.error, options.logger);
    },
  };
}
