import path from 'node:path';
import type { QuantumManifest, Registry } from '@quanta/runtime/manifest';
import { functionEnvironment } from '@quanta/runtime/manifest';
import { functionIdOf } from './FunctionInvoker';
import type { LocalCredentials } from './LocalCredentials';
import type { LocalFunction } from './LocalFunction';

/** Adds a target's variables (queue URLs, signing keys, ...) to one function's environment. */
export type TargetEnvironment = (
  manifest: QuantumManifest,
  functionName: string,
) => Readonly<Record<string, string>>;

/** Options of {@link localFunctionsOf}. */
export interface LocalFunctionsOptions {
  /**
   * The credentials every function of `quantum` signs with (one identity per quantum, as the
   * facade's resource policy names quanta). @default none: the runtime's default credentials
   */
  readonly credentialsOf?: (quantum: string) => LocalCredentials | undefined;
}

/**
 * Turns manifests into the functions the local Lambda runtime hosts: id `<quantum>.<fn>`, entry
 * resolved against the quantum's directory, name `<prefix>-<quantum>-<fn>`, its quantum's
 * credentials, and the environment `functionEnvironment` (standard + the function's static
 * variables) + the target's, with the registry's per-quantum overrides (`quanta:environment`)
 * applied last, so an override wins over anything the local cloud sets, as it does in the stacks.
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
  options: LocalFunctionsOptions = {},
): LocalFunction[] {
  return manifests.flatMap((manifest) => {
    const credentials = options.credentialsOf?.(manifest.name);
    return Object.entries(manifest.functions).map(([name, definition]) => {
      const fn: LocalFunction = {
        id: functionIdOf(manifest.name, name),
        entry: path.join(manifest.dir, definition.entry),
        functionName: `${registry.prefix}-${manifest.name}-${name}`,
        timeoutSeconds: definition.timeoutSeconds ?? 10,
        memoryMb: definition.memoryMb ?? 512,
        environment: {
          ...functionEnvironment(manifest, name, registry),
          ...targetEnvironment(manifest, name),
          ...registry.environment[manifest.name],
        },
        ...(definition.reservedConcurrency === undefined
          ? {}
          : { reservedConcurrency: definition.reservedConcurrency }),
        ...(credentials === undefined ? {} : { credentials }),
      };
      return fn;
    });
  });
}
