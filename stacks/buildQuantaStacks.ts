import type { QuantaPlan, QuantumPlan } from '@quanta/runtime/manifest';
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SynthError } from './errors';
import { PlatformStack } from './PlatformStack';
import { QuantumStack } from './QuantumStack';
import { WebStack } from './WebStack';

/** Options of {@link buildQuantaStacks}. */
export interface BuildQuantaStacksOptions {
  /** The plan (`plan(manifests, registry)`): one stack per quantum in it. */
  readonly plan: QuantaPlan;
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
  /** `Web`: the web client (S3 + CloudFront), beside the platform whose SSM parameters it reads. */
  readonly web: WebStack;
}

/**
 * Renders the plan as the whole app: `Platform` plus one `QuantumStack` per business quantum (id =
 * the plan's `stackId`), each in its planned account/region (environment-agnostic when those are
 * omitted), and `Web`, the web client, beside the platform. Every decision was made by `plan()`;
 * this only draws it.
 *
 * @example
 * ```ts
 * const app = new App();
 * const { registry, ...options } = readQuantaContext(app.node);
 * buildQuantaStacks(app, { ...options, plan: plan(manifests, registry) });
 * ```
 */
export function buildQuantaStacks(app: App, options: BuildQuantaStacksOptions): QuantaStacks {
  const { plan } = options;
  const keyHolders = plan.quanta.filter((q) => q.keys.signing).map((q) => q.name);
  if (options.previousSigningKeyArn !== undefined && keyHolders.length !== 1) {
    throw new SynthError(
      `Context 'quanta:previousSigningKeyArn' needs exactly one registered quantum with signingKey: true; found ${keyHolders.length === 0 ? 'none' : keyHolders.join(', ')}`,
    );
  }
  const envOf = (quantum: QuantumPlan) => ({
    account: quantum.placement.account,
    region: quantum.placement.region,
  });
  const platformPlan = plan.quanta.find((q) => q.role === 'platform');
  if (platformPlan === undefined) throw new SynthError('The plan has no platform quantum');
  const platform = new PlatformStack(app, platformPlan.stackId, {
    env: envOf(platformPlan),
    plan,
    manageApiGatewayAccount: options.manageApiGatewayAccount,
  });
  const quanta = new Map<string, QuantumStack>();
  for (const quantum of plan.quanta) {
    if (quantum.role === 'platform') continue;
    quanta.set(
      quantum.name,
      new QuantumStack(app, quantum.stackId, {
        env: envOf(quantum),
        plan,
        quantum,
        manageApiGatewayAccount: options.manageApiGatewayAccount,
        previousSigningKeyArns:
          quantum.keys.signing && options.previousSigningKeyArn !== undefined
            ? [options.previousSigningKeyArn]
            : undefined,
      }),
    );
  }
  const web = new WebStack(app, 'Web', { env: envOf(platformPlan), plan });
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { platform, quanta, web };
}
