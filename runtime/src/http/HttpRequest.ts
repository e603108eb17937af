import type { AuthorizerContext } from '@quanta/contracts';
import type { z } from 'zod';
import type { RouteDefinition } from '../manifest/QuantumManifest';
import type { HttpApiEvent } from './HttpApiEvent';

/** What a route handler receives from the {@link createRouter | router}: the request, parsed. */
export interface HttpRequest {
  /** The raw event, for anything not lifted here. */
  readonly event: HttpApiEvent;
  /** The manifest route that matched. */
  readonly route: RouteDefinition;
  /** Path parameters of the route (`{id}` -> `id`), URL-decoded. */
  readonly pathParameters: Readonly<Record<string, string>>;
  /** Query string parameters (repeated keys comma-joined, as API Gateway does). */
  readonly query: Readonly<Record<string, string>>;
  /** The JSON body, parsed but not validated; `undefined` when there is none. */
  readonly body: unknown;
  /** The authenticated caller (from the authorizer context only), if any. */
  readonly caller: AuthorizerContext | undefined;
  /** The request's correlation id (propagate it into events). */
  readonly correlationId: string;
  /** The caller, or a 401. Routes with `authenticated` or `{ role }` access always have one. */
  requireCaller(): AuthorizerContext;
  /** The body validated with `schema`, or a 400 `VALIDATION_FAILED`. */
  parseBody<S extends z.ZodType>(schema: S): z.infer<S>;
  /** The query validated with `schema`, or a 400 `VALIDATION_FAILED`. */
  parseQuery<S extends z.ZodType>(schema: S): z.infer<S>;
}
