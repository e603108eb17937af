import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Registry } from '@quanta/runtime/manifest';
import { parseRegistry, withCorsOrigins } from '@quanta/runtime/manifest';

/**
 * The origins of the web client as `npm start` serves it (Vite on 127.0.0.1:5173, also reached as
 * localhost): the local cloud's HTTP API always allows them, on top of whatever `quanta:cors` lists.
 */
export const LOCAL_WEB_ORIGINS: readonly string[] = ['http://127.0.0.1:5173', 'http://localhost:5173'];

/**
 * Reads the registry from `cdk.json`'s context, the same source `cdk synth` reads, so the local
 * cloud runs exactly the quanta (and settings) that would be deployed. `overrides` replace context
 * keys the way `cdk -c key=value` does. The one local addition: the HTTP API's CORS allows the web
 * client's development origins ({@link LOCAL_WEB_ORIGINS}), with `quanta:cors`'s defaults when the
 * context has no CORS (a deployment has none by default).
 *
 * @example
 * ```ts
 * const registry = readRegistry(process.cwd(), { 'quanta:authorizerCacheTtlSeconds': 1 });
 * registry.cors?.allowOrigins; // ['http://127.0.0.1:5173', 'http://localhost:5173']
 * ```
 */
export function readRegistry(root: string, overrides: Readonly<Record<string, unknown>> = {}): Registry {
  const file = path.join(root, 'cdk.json');
  const cdkJson = JSON.parse(readFileSync(file, 'utf8')) as { context?: Record<string, unknown> };
  return withCorsOrigins(parseRegistry({ ...(cdkJson.context ?? {}), ...overrides }), LOCAL_WEB_ORIGINS);
}
