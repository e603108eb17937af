import { WebSocketConfigurationError } from './errors';

/** One route of the WebSocket API, as the plan declares it. */
export interface WebSocketRoute {
  /** `$connect`, `$disconnect`, `$default`, or a client action (`join`, `send`, …). */
  readonly routeKey: string;
  /** The function of its Lambda proxy integration, e.g. `chat.ws`. */
  readonly functionId: string;
  /**
   * Send what the function returns as `body` back to the client, as a route response does
   * (`returnResponse: true` on the CDK route). Ignored on `$connect` and `$disconnect`.
   * @default true
   */
  readonly returnResponse?: boolean;
}

const PREDEFINED = new Set(['$connect', '$disconnect', '$default']);
/** API Gateway's route key limit. */
const MAX_ROUTE_KEY_LENGTH = 128;

/**
 * The routes of a WebSocket API and its route selection expression, `$request.body.action`: a
 * message that is a JSON object whose string `action` names a custom route goes there; any other
 * message (not JSON, no `action`, an unknown one) goes to `$default`, or nowhere when the API has
 * none.
 *
 * @example
 * ```ts
 * const table = WebSocketRouteTable.from([{ routeKey: '$default', functionId: 'chat.ws' }, { routeKey: 'send', functionId: 'chat.ws' }]);
 * table.select('{"action":"send","text":"hi"}')?.routeKey; // 'send'
 * table.select('hello')?.routeKey; // '$default'
 * ```
 */
export class WebSocketRouteTable {
  readonly #byKey: ReadonlyMap<string, WebSocketRoute>;

  private constructor(byKey: ReadonlyMap<string, WebSocketRoute>) {
    this.#byKey = byKey;
  }

  /**
   * @throws WebSocketConfigurationError for an empty or too long route key, an unknown `$` key, a
   * repeated key or an empty function id.
   */
  static from(routes: readonly WebSocketRoute[]): WebSocketRouteTable {
    const byKey = new Map<string, WebSocketRoute>();
    for (const route of routes) {
      const { routeKey, functionId } = route;
      if (routeKey === '' || routeKey.length > MAX_ROUTE_KEY_LENGTH) {
        throw new WebSocketConfigurationError(
          `WebSocket route key must be 1 to ${MAX_ROUTE_KEY_LENGTH} characters, got '${routeKey}'`,
        );
      }
      if (routeKey.startsWith('$') && !PREDEFINED.has(routeKey)) {
        throw new WebSocketConfigurationError(
          `WebSocket route key '${routeKey}' is reserved; the predefined keys are ${[...PREDEFINED].join(', ')}`,
        );
      }
      if (byKey.has(routeKey)) {
        throw new WebSocketConfigurationError(`WebSocket route key '${routeKey}' is declared twice`);
      }
      if (functionId === '') {
        throw new WebSocketConfigurationError(`WebSocket route '${routeKey}' has an empty functionId`);
      }
      byKey.set(routeKey, route);
    }
    return new WebSocketRouteTable(byKey);
  }

  /** The `$connect` route, when declared. */
  get connect(): WebSocketRoute | undefined {
    return this.#byKey.get('$connect');
  }

  /** The `$disconnect` route, when declared. */
  get disconnect(): WebSocketRoute | undefined {
    return this.#byKey.get('$disconnect');
  }

  /** The route a message goes to, or undefined when it matches none and there is no `$default`. */
  select(message: string): WebSocketRoute | undefined {
    const action = actionOf(message);
    const route = action === undefined || PREDEFINED.has(action) ? undefined : this.#byKey.get(action);
    return route ?? this.#byKey.get('$default');
  }
}

function actionOf(message: string): string | undefined {
  // Cheap guard: only a JSON object can carry `action`.
  if (!message.trimStart().startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const { action } = parsed as Record<string, unknown>;
  return typeof action === 'string' ? action : undefined;
}
