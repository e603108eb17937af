/**
 * Raised at synth time when the registry, the manifests or the CDK context cannot produce a correct
 * set of stacks. The message names the bad value, so `cdk synth` fails with something actionable.
 *
 * @example
 * ```ts
 * throw new SynthError(`Quantum 'orders' is registered but has no manifest; known: platform, identity`);
 * ```
 */
export class SynthError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SynthError';
  }
}
