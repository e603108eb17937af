import path from 'node:path';
import type { QuantumManifest, Registry } from '@quanta/runtime/manifest';
import { functionEnvironment } from '@quanta/runtime/manifest';
import { functionIdOf } from './FunctionInvoker';
import type { LocalFunction } from './LocalFunction';

/** Adds a target's variables (queue URLs, signing keys, ...) to one function's environment. */
export type TargetEnvironment = (
  manifest: QuantumManifest,
  functionName: string,
) => Readonly<Record<string, string>>;

/**
 * Turns manifests into the functions the local Lambda runtime hosts: id `<quantum>.<fn>`, entry
 * resolved against the quantum's directory, name `<prefix>-<quantum>-<fn>`, and the environment
 * `functionEnvironment` (standard + the function's static variables + registry overrides) + the target's.
 *
 * @example
 * ```ts
 * const functions = localFunctionsOf(Object.values(manifests), registry, (m) => ({ REPLY_QUEUE_URL: urls[m.name] }));
 * ```
 */
export function localFunctionsOf(
  manifests: readonly QuantumManifest[],
  registry: Registry,
  targetEnvironment: TargetEnvironment = () => ({}),
): LocalFunction[] {
  return manifests.flatMap((manifest) =>
    Object.entries(manifest.functions).map(([name, definition]) => {
      const fn: LocalFunction = {
        id: functionIdOf(manifest.name, name),
        entry: path.join(manifest.dir, definition.entry),
        functionName: `${registry.prefix}-${manifest.name}-${name}`,
        timeoutSeconds: definition.timeoutSeconds ?? 10,
        memoryMb: definition.memoryMb ?? 512,
        environment: {
          ...functionEnvironment(manifest, name, registry),
          ...targetEnvironment(manifest, name),
        },
        ...(definition.reservedConcurrency === undefined
          ? {}
          : { reservedConcurrency: definition.reservedConcurrency }),
      };
      return fn;
    }),
  );
}
