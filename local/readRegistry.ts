import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Registry } from '@quanta/runtime/manifest';
import { parseRegistry } from '@quanta/runtime/manifest';

/**
 * Reads the registry from `cdk.json`'s context, the same source `cdk synth` reads, so the local
 * cloud runs exactly the quanta (and settings) that would be deployed. `overrides` replace context
 * keys the way `cdk -c key=value` does.
 *
 * @example
 * ```ts
 * const registry = readRegistry(process.cwd(), { 'quanta:authorizerCacheTtlSeconds': 1 });
 * ```
 */
export function readRegistry(root: string, overrides: Readonly<Record<string, unknown>> = {}): Registry {
  const file = path.join(root, 'cdk.json');
  const cdkJson = JSON.parse(readFileSync(file, 'utf8')) as { context?: Record<string, unknown> };
  return parseRegistry({ ...(cdkJson.context ?? {}), ...overrides });
}
