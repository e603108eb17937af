import type { ApiClient } from './ApiClient';
import type { WebConfig } from './config';
import type { RealtimeConnection } from './RealtimeConnection';
import type { Session } from './Session';

/** What every page may use: the API, the session, the live connection, the configuration. */
export interface AppContext {
  readonly api: ApiClient;
  readonly session: Session;
  readonly live: RealtimeConnection;
  readonly config: WebConfig;
  /** Goes to `path` without reloading (History API); `notice` is shown once on the next page. */
  navigate(path: string, notice?: string): void;
  /** The notice passed to the last {@link AppContext.navigate}, taken once. */
  takeNotice(): string | undefined;
}

/** A page on screen; `dispose` runs when the person leaves it (unsubscribe, leave rooms). */
export interface PageView {
  readonly title: string;
  readonly element: HTMLElement;
  dispose?(): void;
}

/** Renders a page for the path's parameters (`/products/{id}` → `{ id }`) and query. */
export type Page = (
  app: AppContext,
  params: Readonly<Record<string, string>>,
  query: URLSearchParams,
) => PageView;

/** A path pattern (`/chat/{roomId}`), its page and who may see it. */
export interface Route {
  readonly pattern: string;
  readonly page: Page;
  /** `user`: signed in; `admin`: signed in with the admin role. @default anyone */
  readonly access?: 'user' | 'admin';
}

/**
 * The route matching `pathname` and its decoded parameters, or undefined.
 *
 * @example
 * ```ts
 * matchRoute([{ pattern: '/chat/{roomId}', page: roomPage }], '/chat/r-1'); // { route, params: { roomId: 'r-1' } }
 * ```
 */
export function matchRoute(
  routes: readonly Route[],
  pathname: string,
): { route: Route; params: Record<string, string> } | undefined {
  const parts = pathname.replace(/\/+$/, '').split('/').slice(1);
  for (const route of routes) {
    const pattern = route.pattern.replace(/\/+$/, '').split('/').slice(1);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const matches = pattern.every((segment, i) => {
      const part = parts[i] ?? '';
      const name = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (name === undefined) return segment === part;
      if (part === '') return false;
      try {
        params[name] = decodeURIComponent(part);
      } catch {
        return false;
      }
      return true;
    });
    if (matches) return { route, params };
  }
  return undefined;
}
