// `@quanta/runtime/quantum`: what a quantum's `quantum.ts` imports. Functions import their quantum's
// manifest (the api router reads its routes), so this module stays small: the validation is in
// `validateManifest.ts`, which the plan runs.
import type { QuantumManifest } from './QuantumManifest';

/** Raised at synth/start time when a manifest is inconsistent; the message names the bad value. */
export class ManifestError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ManifestError';
  }
}

/**
 * Declares a quantum: returns the manifest unchanged, typed as written. It is validated (shape and
 * cross-references, `validateManifest`) when the app is planned, so a mistake fails
 * `cdk synth`, `npm start` and `npm test` alike with a message that shows the bad value; a function
 * that imports its manifest for its routes does not check it again at every cold start.
 *
 * @example
 * ```ts
 * export default defineQuantum({
 *   name: 'identity',
 *   dir: import.meta.dirname,
 *   table: {},
 *   functions: { api: { entry: 'handlers/api.ts' } },
 *   routes: [{ method: 'GET', path: '/identity/me', access: 'authenticated' }],
 * });
 * ```
 */
export function defineQuantum<const M extends QuantumManifest>(manifest: M): M {
  return manifest;
}

/** The first path segment of a quantum's public routes (`basePath`, or `/${name}`). */
export function basePathOf(manifest: Pick<QuantumManifest, 'name' | 'basePath'>): string {
  return manifest.basePath ?? `/${manifest.name}`;
}

/** The manifest model's types, so that `quantum.ts` imports only this module (`@quanta/runtime/quantum`). */
export type * from './QuantumManifest';
