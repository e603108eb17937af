import { type QuantumManifest, type Registry, stackIdOf } from '@quanta/runtime/manifest';
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SynthError } from './errors';
import { PlatformStack } from './PlatformStack';
import { QuantumStack } from './QuantumStack';

/** Options of {@link buildQuantaStacks}. */
export interface BuildQuantaStacksOptions {
  /** The registry: one stack per entry. */
  readonly registry: Registry;
  /** Every manifest by name (`quanta/manifests.ts`); each registered quantum needs one. */
  readonly manifests: Readonly<Record<string, QuantumManifest>>;
  /** Previous signing key, still published in the JWKS during a rotation. @default none */
  readonly previousSigningKeyArn?: string;
  /** Create the account-wide API Gateway logging role where a Quanta stack owns it. @default true */
  readonly manageApiGatewayAccount?: boolean;
  /**
   * Run cdk-nag's AwsSolutions pack on every stack at synth; an unacknowledged finding fails the synth.
   * @default true
   */
  readonly nag?: boolean;
}

/** The stacks of one Quanta app. */
export interface QuantaStacks {
  /** `Platform`. */
  readonly platform: PlatformStack;
  /** One stack per other registered quantum, by quantum name. */
  readonly quanta: ReadonlyMap<string, QuantumStack>;
}

/**
 * Builds the whole app from the registry: `Platform` plus one `QuantumStack` per other registered
 * quantum (id `stackIdOf(name)`), each in its registry account/region (environment-agnostic when
 * those are omitted). Fails synth, naming the problem, when a registered quantum has no manifest or
 * when the request/reply declarations of the registered quanta do not fit together.
 *
 * @example
 * ```ts
 * const app = new App();
 * buildQuantaStacks(app, { ...readQuantaContext(app.node), manifests });
 * ```
 */
export function buildQuantaStacks(app: App, options: BuildQuantaStacksOptions): QuantaStacks {
  const { registry, manifests } = options;
  validate(registry, manifests, options.previousSigningKeyArn);

  const envOf = (quantum: string) => ({
    account: registry.quanta[quantum]?.account,
    region: registry.quanta[quantum]?.region,
  });
  const platform = new PlatformStack(app, stackIdOf('platform'), {
    env: envOf('platform'),
    registry,
    manifests,
    manageApiGatewayAccount: options.manageApiGatewayAccount,
  });
  const quanta = new Map<string, QuantumStack>();
  for (const name of Object.keys(registry.quanta)) {
    if (name === 'platform') continue;
    const manifest = manifests[name] as QuantumManifest;
    quanta.set(
      name,
      new QuantumStack(app, stackIdOf(name), {
        env: envOf(name),
        manifest,
        registry,
        manifests,
        manageApiGatewayAccount: options.manageApiGatewayAccount,
        previousSigningKeyArns:
          manifest.signingKey === true && options.previousSigningKeyArn !== undefined
            ? [options.previousSigningKeyArn]
            : undefined,
      }),
    );
  }
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { platform, quanta };
}

function validate(
  registry: Registry,
  manifests: Readonly<Record<string, QuantumManifest>>,
  previousSigningKeyArn: string | undefined,
): void {
  const registered = Object.keys(registry.quanta);
  const missing = registered.filter((name) => manifests[name] === undefined);
  if (missing.length > 0) {
    throw new SynthError(
      `Registered quanta without a manifest: ${missing.join(', ')} (registry: ${registered.join(', ')}; manifests in quanta/manifests.ts: ${Object.keys(manifests).join(', ')}). Add quanta/<name>/quantum.ts to quanta/manifests.ts or remove the entry from cdk.json context 'quanta'.`,
    );
  }
  for (const [key, manifest] of Object.entries(manifests)) {
    if (manifest.name !== key) {
      throw new SynthError(`quanta/manifests.ts maps '${key}' to the manifest of '${manifest.name}'`);
    }
  }
  for (const name of registered) {
    const sender = manifests[name] as QuantumManifest;
    for (const send of sender.sends ?? []) {
      if (!(send.quantum in registry.quanta)) continue;
      const target = manifests[send.quantum] as QuantumManifest;
      const handled = new Set((target.requestHandlers ?? []).map((h) => h.type));
      const unhandled = send.types.filter((t) => !handled.has(t));
      if (unhandled.length > 0) {
        throw new SynthError(
          `Quantum '${name}' sends ${unhandled.join(', ')} to '${send.quantum}', which handles only: ${[...handled].join(', ') || 'no requests'}`,
        );
      }
    }
  }
  const keyHolders = registered.filter((name) => manifests[name]?.signingKey === true);
  if (previousSigningKeyArn !== undefined && keyHolders.length !== 1) {
    throw new SynthError(
      `Context 'quanta:previousSigningKeyArn' needs exactly one registered quantum with signingKey: true; found ${keyHolders.length === 0 ? 'none' : keyHolders.join(', ')}`,
    );
  }
  if (manifests.platform?.signingKey === true) {
    throw new SynthError(
      `The platform holds no signing key; signingKey is for the quantum that issues tokens`,
    );
  }
}
