import { GatewayConfigurationError } from './errors';

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

/** The route selected for a request and the values of its path variables. */
export interface RouteMatch {
  readonly route: GatewayRoute;
  /** Decoded path variables (`{ proxy: 'me' }`); undefined when the route has none, as AWS omits them. */
  readonly pathParameters: Record<string, string> | undefined;
}

const PARAM = /^\{([A-Za-z0-9_.-]+)\}$/;
const GREEDY = /^\{([A-Za-z0-9_.-]+)\+\}$/;
const LITERAL = /^[A-Za-z0-9._~\-:@!$&'()*,;=]+$/;

interface CompiledRoute {
  readonly route: GatewayRoute;
  /** Literal text, or `undefined` for a `{param}` segment. */
  readonly segments: readonly (string | undefined)[];
  readonly paramNames: readonly (string | undefined)[];
  /** Name of the trailing greedy variable, if any. */
  readonly greedy: string | undefined;
}

/**
 * Route selection as API Gateway HTTP APIs do it, compiled once: the most specific match wins.
 * A full match of path and method beats a greedy `{proxy+}` match; among full matches, literal
 * segments beat `{param}` segments from left to right; among greedy matches, the longer prefix
 * wins; at equal paths, a method-specific route beats `ANY`. Nothing matching means API Gateway's
 * `404 {"message":"Not Found"}` (the platform API has no `$default` route).
 *
 * Routes without variables are found with one map lookup; the rest are scanned in priority order.
 *
 * @example
 * ```ts
 * const table = RouteTable.from(routes);
 * table.match('GET', '/identity/me'); // { route: ANY /identity/{proxy+}, pathParameters: { proxy: 'me' } }
 * ```
 */
export class RouteTable {
  readonly routes: readonly GatewayRoute[];
  readonly #literal = new Map<string, GatewayRoute>();
  readonly #ordered: readonly CompiledRoute[];

  private constructor(routes: readonly GatewayRoute[]) {
    this.routes = routes;
    const compiled = routes.map(compile);
    for (const c of compiled) {
      if (c.greedy === undefined && c.paramNames.every((n) => n === undefined)) {
        this.#literal.set(`${c.route.method} ${c.route.path}`, c.route);
      }
    }
    this.#ordered = compiled.sort(byPriority);
  }

  /** Compiles `routes`; throws {@link GatewayConfigurationError} on a malformed path. */
  static from(routes: readonly GatewayRoute[]): RouteTable {
    return new RouteTable(routes);
  }

  /**
   * The route for `method` and the raw (still percent-encoded) request path, or undefined.
   * `rawPath` must start with `/`.
   */
  match(method: string, rawPath: string): RouteMatch | undefined {
    const encoded = rawPath.includes('%');
    if (!encoded) {
      // Literal routes are the most specific there are: no scan needed when one fits.
      const exact = this.#literal.get(`${method} ${rawPath}`) ?? this.#literal.get(`ANY ${rawPath}`);
      if (exact !== undefined) return { route: exact, pathParameters: undefined };
    }
    const raw = rawPath.split('/');
    raw.shift();
    const decoded = encoded ? raw.map(decodeSegment) : raw;
    for (const c of this.#ordered) {
      if (c.route.method !== 'ANY' && c.route.method !== method) continue;
      const params = matchSegments(c, raw, decoded);
      if (params !== null) return { route: c.route, pathParameters: params };
    }
    return undefined;
  }
}

/** Path variables on a match (undefined when the route has none), `null` on no match. */
function matchSegments(
  c: CompiledRoute,
  raw: readonly string[],
  decoded: readonly string[],
): Record<string, string> | undefined | null {
  const n = c.segments.length;
  if (c.greedy === undefined ? decoded.length !== n : decoded.length <= n) return null;
  let params: Record<string, string> | undefined;
  for (let i = 0; i < n; i++) {
    const segment = decoded[i] as string;
    const literal = c.segments[i];
    if (literal !== undefined) {
      if (literal !== segment) return null;
    } else {
      if (segment === '') return null;
      params ??= {};
      params[c.paramNames[i] as string] = segment;
    }
  }
  if (c.greedy !== undefined) {
    const rest = raw.slice(n).join('/');
    // A greedy variable stands for at least one character of path.
    if (rest === '') return null;
    params ??= {};
    params[c.greedy] = decodeSegment(rest);
  }
  return params;
}

function compile(route: GatewayRoute): CompiledRoute {
  if (!route.path.startsWith('/')) {
    throw new GatewayConfigurationError(`Route '${route.routeKey}' has a path that does not start with '/'`);
  }
  const parts = route.path === '/' ? [] : route.path.slice(1).split('/');
  const segments: (string | undefined)[] = [];
  const paramNames: (string | undefined)[] = [];
  let greedy: string | undefined;
  parts.forEach((part, i) => {
    const g = GREEDY.exec(part);
    if (g !== null) {
      if (i !== parts.length - 1) {
        throw new GatewayConfigurationError(
          `Route '${route.routeKey}': the greedy variable '${part}' must be the last segment`,
        );
      }
      greedy = g[1];
      return;
    }
    const p = PARAM.exec(part);
    if (p !== null) {
      segments.push(undefined);
      paramNames.push(p[1]);
    } else if (LITERAL.test(part)) {
      segments.push(part);
      paramNames.push(undefined);
    } else {
      throw new GatewayConfigurationError(`Route '${route.routeKey}' has an invalid path segment '${part}'`);
    }
  });
  return { route, segments, paramNames, greedy };
}

/** Negative when `a` must be tried before `b`. */
function byPriority(a: CompiledRoute, b: CompiledRoute): number {
  const aGreedy = a.greedy !== undefined;
  const bGreedy = b.greedy !== undefined;
  if (aGreedy !== bGreedy) return aGreedy ? 1 : -1;
  if (aGreedy && a.segments.length !== b.segments.length) return b.segments.length - a.segments.length;
  const n = Math.min(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const aLiteral = a.segments[i] !== undefined;
    const bLiteral = b.segments[i] !== undefined;
    if (aLiteral !== bLiteral) return aLiteral ? -1 : 1;
  }
  const aAny = a.route.method === 'ANY';
  const bAny = b.route.method === 'ANY';
  if (aAny !== bAny) return aAny ? 1 : -1;
  return 0;
}

/** API Gateway hands integrations decoded path values; malformed escapes are passed through as sent. */
function decodeSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
