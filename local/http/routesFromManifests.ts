import type { QuantumManifest } from '@quanta/runtime/manifest';
import { basePathOf } from '@quanta/runtime/manifest';
import { functionIdOf } from '../lambda/FunctionInvoker';
import { GatewayConfigurationError } from './errors';
import type { GatewayRoute } from './GatewayRoute';

/** Manifests as `quanta/manifests.ts` exports them (by name), or a plain list. */
export type ManifestSet = Readonly<Record<string, QuantumManifest>> | readonly QuantumManifest[];

/**
 * The HTTP API's routes, built from the manifests exactly as the PlatformStack builds them: per
 * quantum with an `api` function, `ANY {basePath}` and `ANY {basePath}/{proxy+}` behind the
 * authorizer, plus one explicit `METHOD /path` route without it for each `access: 'public'` route.
 * Authenticated and role routes need no route of their own: the proxy route carries them and the
 * quantum's router checks roles.
 *
 * Two routes with the same key (parameter names aside) are rejected, as API Gateway's CreateRoute
 * rejects them with a ConflictException.
 *
 * @example
 * ```ts
 * routesFromManifests({ identity }).map((r) => r.routeKey);
 * // ['ANY /identity', 'ANY /identity/{proxy+}', 'POST /identity/signup', ...]
 * ```
 */
export function routesFromManifests(manifests: ManifestSet): GatewayRoute[] {
  const list: readonly QuantumManifest[] = isManifestList(manifests) ? manifests : Object.values(manifests);
  const routes: GatewayRoute[] = [];
  const owners = new Map<string, string>();
  const add = (route: GatewayRoute): void => {
    const shape = `${route.method} ${route.path.replace(/\{[^}]*\}/g, '{}')}`;
    const owner = owners.get(shape);
    if (owner !== undefined) {
      throw new GatewayConfigurationError(
        `Route '${route.routeKey}' of quantum '${route.quantum}' conflicts with a route of quantum '${owner}'`,
      );
    }
    owners.set(shape, route.quantum);
    routes.push(route);
  };
  for (const manifest of list) {
    // A quantum without an `api` function serves no HTTP routes: the stack has nothing to integrate.
    if (manifest.functions.api === undefined) continue;
    const functionId = functionIdOf(manifest.name, 'api');
    const base = basePathOf(manifest);
    const of = (method: GatewayRoute['method'], path: string, authorized: boolean): GatewayRoute => ({
      routeKey: `${method} ${path}`,
      method,
      path,
      quantum: manifest.name,
      functionId,
      authorized,
    });
    add(of('ANY', base, true));
    add(of('ANY', `${base}/{proxy+}`, true));
    for (const route of manifest.routes ?? []) {
      if (route.access === 'public') add(of(route.method, route.path, false));
    }
  }
  return routes;
}

function isManifestList(manifests: ManifestSet): manifests is readonly QuantumManifest[] {
  return Array.isArray(manifests);
}
