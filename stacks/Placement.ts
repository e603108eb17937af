import { functionNameOf, type QuantaPlan, type RolePlan, roleNameOf } from '@quanta/runtime/manifest';
import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { SynthError } from './errors';

/**
 * Where every registered quantum lives, seen from one stack, and the ARNs/URLs of the resources the
 * stacks share. Stacks never reference each other's constructs (that would create CloudFormation
 * exports); they rebuild each other's ARNs from the plan's placements and deterministic names.
 *
 * An environment-agnostic placement (no account/region) resolves to the platform's account/region,
 * and when the platform's is unknown too, to this stack's own (`AWS::AccountId` / `AWS::Region`,
 * resolved at deploy time).
 *
 * @example
 * ```ts
 * const placement = new Placement(plan, this);
 * placement.functionArn('identity', 'api'); // arn:aws:lambda:eu-west-1:222222222222:function:quanta-identity-api
 * ```
 */
export class Placement {
  readonly #plan: QuantaPlan;
  readonly #stack: Stack;

  constructor(plan: QuantaPlan, scope: IConstruct) {
    this.#plan = plan;
    this.#stack = Stack.of(scope);
  }

  /** Registered quanta, platform first, then in registry order. */
  get quanta(): readonly string[] {
    return this.#plan.quanta.map((q) => q.name);
  }

  /** The stack's partition (`aws`, `aws-cn`, …); all quanta share one partition. */
  get partition(): string {
    return this.#stack.partition;
  }

  /** Account of `quantum` (see the class doc for unknown accounts). */
  accountOf(quantum: string): string {
    return this.#known(quantum, 'account') ?? this.#stack.account;
  }

  /** Region of `quantum` (see the class doc for unknown regions). */
  regionOf(quantum: string): string {
    return this.#known(quantum, 'region') ?? this.#stack.region;
  }

  /** True when the two quanta are in the same account and region (as far as the registry says). */
  isColocated(a: string, b: string): boolean {
    return (
      this.#known(a, 'account') === this.#known(b, 'account') &&
      this.#known(a, 'region') === this.#known(b, 'region')
    );
  }

  /**
   * The quantum that owns the account-wide API Gateway settings (the CloudWatch Logs role REST and
   * WebSocket APIs need for logging) of `quantum`'s account and region: the platform for its own
   * account/region, otherwise the first registered quantum there. Exactly one owner per account/region.
   */
  apiGatewayAccountOwnerFor(quantum: string): string {
    const owner = this.quanta.find((q) => this.isColocated(q, quantum));
    return owner ?? quantum;
  }

  /** Deployed name of a planned role: `<stem>-<region of its quantum>`. */
  roleName(role: RolePlan): string {
    return roleNameOf(role.stem, this.regionOf(role.quantum));
  }

  /**
   * ARN of a planned role in its quantum's account: what a resource policy names in `aws:PrincipalArn`
   * (a role session's principal ARN is its role's, whatever the session name).
   */
  roleArn(role: RolePlan): string {
    return `arn:${this.partition}:iam::${this.accountOf(role.quantum)}:role/${this.roleName(role)}`;
  }

  /** ARN of a quantum's function, from its deterministic name. */
  functionArn(quantum: string, fn: string): string {
    const name = functionNameOf(this.#plan.prefix, quantum, fn);
    return `arn:${this.partition}:lambda:${this.regionOf(quantum)}:${this.accountOf(quantum)}:function:${name}`;
  }

  /** ARN of the platform's event bus. */
  get platformBusArn(): string {
    return this.#busArn(this.#plan.platform.quantum, this.#plan.platform.bus);
  }

  /** ARN of the bus `busName` in `quantum`'s account and region (a remote quantum's own bus). */
  busArn(quantum: string, busName: string): string {
    return this.#busArn(quantum, busName);
  }

  /** ARN of the queue `queueName` that `host`'s stack holds (the platform holds the request/reply queues). */
  queueArn(host: string, queueName: string): string {
    return `arn:${this.partition}:sqs:${this.regionOf(host)}:${this.accountOf(host)}:${queueName}`;
  }

  /** URL of the queue `queueName` that `host`'s stack holds. */
  queueUrl(host: string, queueName: string): string {
    return `https://sqs.${this.regionOf(host)}.${this.#stack.urlSuffix}/${this.accountOf(host)}/${queueName}`;
  }

  /** ARN of the platform-hosted queue `queueName` (request/reply queues). */
  platformQueueArn(queueName: string): string {
    return this.queueArn(this.#plan.platform.quantum, queueName);
  }

  /** URL of the platform-hosted queue `queueName`. */
  platformQueueUrl(queueName: string): string {
    return this.queueUrl(this.#plan.platform.quantum, queueName);
  }

  /**
   * `arn:…:execute-api:<region>:<account>:<resource>` in `quantum`'s account and region,
   * e.g. `*\/*\/POST/ops/GetUser` for a facade operation of any API there.
   */
  executeApiArn(quantum: string, resource: string): string {
    return `arn:${this.partition}:execute-api:${this.regionOf(quantum)}:${this.accountOf(quantum)}:${resource}`;
  }

  #busArn(quantum: string, busName: string): string {
    return `arn:${this.partition}:events:${this.regionOf(quantum)}:${this.accountOf(quantum)}:event-bus/${busName}`;
  }

  /** The plan's value, an unknown one meaning "the platform's" (undefined when that is unknown too). */
  #known(quantum: string, key: 'account' | 'region'): string | undefined {
    const own = this.#plan.quanta.find((q) => q.name === quantum);
    if (own === undefined) {
      throw new SynthError(
        `Quantum '${quantum}' is not in the registry (cdk.json context 'quanta'); registered: ${this.quanta.join(', ')}`,
      );
    }
    return own.placement[key] ?? this.#plan.quanta.find((q) => q.role === 'platform')?.placement[key];
  }
}

/**
 * ARN of an SSM parameter another account (or region) shares through AWS RAM. It must be literal, so
 * the partition comes from the region: CloudFormation reads a shared parameter only as a template
 * parameter whose default is this ARN.
 */
export function sharedParameterArn(
  shared: { readonly account: string; readonly region: string },
  parameterName: string,
): string {
  return `arn:${partitionOf(shared.region)}:ssm:${shared.region}:${shared.account}:parameter${parameterName}`;
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
