/** Methods a gateway route can name; `ANY` matches every method without a route of its own. */
export type RouteMethod = 'ANY' | 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/**
 * One route of the platform's HTTP API, as the PlatformStack creates it: a route key, the Lambda
 * integration it targets, and whether the platform's Lambda authorizer guards it.
 */
export interface GatewayRoute {
  /** The route key AWS reports in events, e.g. `ANY /identity/{proxy+}` or `POST /identity/login`. */
  readonly routeKey: string;
  readonly method: RouteMethod;
  /** Resource path with `{param}` and a trailing `{greedy+}` variable. */
  readonly path: string;
  /** The quantum that owns the route. */
  readonly quantum: string;
  /** Id of the integrated function for the {@link FunctionInvoker}, `<quantum>.api`. */
  readonly functionId: string;
  /** True when the route is guarded by the platform's Lambda authorizer. */
  readonly authorized: boolean;
}
