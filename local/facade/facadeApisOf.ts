import type { QuantumManifest } from '@quanta/runtime/manifest';
import type { ManifestSet } from '../http/routesFromManifests';
import { functionIdOf } from '../lambda/FunctionInvoker';

/** Stage of every facade API (the stack's `FACADE_STAGE`). */
export const FACADE_STAGE = 'v1';

/** One `POST /ops/{name}` method of a facade API. */
export interface FacadeOperationRoute {
  readonly name: string;
  /** `/ops/{name}`: the REST resource path. */
  readonly resourcePath: string;
  /** Registered quanta the resource policy admits; everyone else is explicitly denied. */
  readonly callers: readonly string[];
  /** The method's resource id (stable, shaped like API Gateway's). */
  readonly resourceId: string;
}

/** One quantum's facade REST API. */
export interface FacadeApiSpec {
  readonly quantum: string;
  /** API id, lower-case alphanumeric like API Gateway's: `<quantum>facade`. */
  readonly apiId: string;
  /** The `facade` function every method integrates with. */
  readonly functionId: string;
  /** Operations by name. */
  readonly operations: ReadonlyMap<string, FacadeOperationRoute>;
}

/**
 * The facade REST APIs, built from the manifests exactly as the stacks' `FacadeApi` builds them:
 * one API per quantum that declares facade operations, `POST /ops/{name}` per operation, all
 * integrated with the quantum's `facade` function, and a resource policy admitting per operation
 * only its callers that are registered (the manifests given are the registered ones).
 *
 * @example
 * ```ts
 * facadeApisOf({ catalog, orders })[0]?.operations.get('GetProducts')?.callers; // ['orders']
 * ```
 */
export function facadeApisOf(manifests: ManifestSet): FacadeApiSpec[] {
  const list: readonly QuantumManifest[] = Array.isArray(manifests)
    ? (manifests as readonly QuantumManifest[])
    : Object.values(manifests as Readonly<Record<string, QuantumManifest>>);
  const registered = new Set(list.map((m) => m.name));
  return list
    .filter((m) => (m.facade ?? []).length > 0)
    .map((m) => ({
      quantum: m.name,
      apiId: `${m.name}facade`,
      functionId: functionIdOf(m.name, 'facade'),
      operations: new Map(
        (m.facade ?? []).map((op, i) => [
          op.name,
          {
            name: op.name,
            resourcePath: `/ops/${op.name}`,
            callers: op.callers.filter((c) => registered.has(c)),
            resourceId: `${m.name.slice(0, 3)}op${i}`,
          },
        ]),
      ),
    }));
}
