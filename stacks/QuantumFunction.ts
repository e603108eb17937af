import * as path from 'node:path';
import type { FunctionPlan } from '@quanta/runtime/manifest';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SynthError } from './errors';
import { functionCode } from './functionCode';
import type { QuantumTable } from './QuantumTable';

/** How a function may use its quantum's table. */
export type TableAccess = 'read' | 'readWrite';

/** Properties of a {@link QuantumFunction}. */
export interface QuantumFunctionProps {
  /** The function, as the plan resolved it; its plain-text variables are set here, references by the caller. */
  readonly plan: FunctionPlan;
  /** Production retains log groups longer and on delete. @default false */
  readonly production?: boolean;
  /**
   * Name of its execution role (`Placement.roleName(plan.role)`): resource policies in other stacks
   * admit the role by this exact name. @default a name CloudFormation generates
   */
  readonly roleName?: string;
  /**
   * Folder esbuild resolves packages and `tsconfig.json` from.
   * @default the repository's root
   */
  readonly projectRoot?: string;
}

/** Options of {@link QuantumFunction.consumeQueue}. */
export interface ConsumeQueueOptions {
  /** Messages per batch. @default 10 */
  readonly batchSize?: number;
  /** Maximum batching window in seconds. @default 0 */
  readonly maxBatchingWindowSeconds?: number;
}

const REPOSITORY_ROOT = path.join(import.meta.dirname, '..');

/**
 * One Lambda function of a quantum with every default in one place: Node.js 24 on arm64, an ESM bundle
 * (`functionCode`: minified, source maps, AWS SDK bundled so the deployed code is the tested code,
 * dynamically imported code in chunks of its own), JSON logs in an
 * explicit log group with retention, X-Ray active tracing, the plan's plain-text environment, and its
 * own role that starts with nothing but writing its own log group. The role carries the name the plan
 * gives it (`roleName`), so that resource policies in other stacks can admit exactly it.
 *
 * Access is added with `bind…()` helpers, each granting one of the plan's symbolic permissions; the
 * renderer (`QuantumResources`) calls them and sets the plan's deploy-time variables, so a function
 * gets exactly what the plan gives it, as in the local cloud.
 *
 * @example
 * ```ts
 * const api = new QuantumFunction(this, 'ApiFunction', { plan: apiPlan, production: false });
 * api.bindTable(table).bindSigningKeys([key]);
 * ```
 */
export class QuantumFunction extends Construct {
  /** The Lambda function. */
  readonly function: lambda.Function;
  /** Its execution role. */
  readonly role: iam.Role;
  /** Its log group (`/aws/lambda/<functionName>`). */
  readonly logGroup: logs.LogGroup;
  /** The function, as the plan resolved it. */
  readonly plan: FunctionPlan;
  /** Its deterministic name (`functionNameOf()`). */
  readonly functionName: string;

  constructor(scope: Construct, id: string, props: QuantumFunctionProps) {
    super(scope, id);
    const { plan } = props;
    const production = props.production ?? false;
    this.plan = plan;
    this.functionName = plan.name;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${this.functionName}`,
      retention: production ? logs.RetentionDays.THREE_MONTHS : logs.RetentionDays.ONE_MONTH,
      removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.functionName}`,
    });
    this.logGroup.grantWrite(this.role);
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Resource * only where the service has no resource-level permissions: X-Ray (xray:PutTraceSegments, xray:PutTelemetryRecords) and, for the outbox relay’s stream event source, dynamodb:ListStreams. Every other statement is scoped to this quantum’s resources (asserted by test/stacks/leastPrivilege.test.ts).',
    });

    this.function = new lambda.Function(this, 'Handler', {
      functionName: this.functionName,
      description: `${plan.id} (${path.basename(path.dirname(plan.entry))}/${path.basename(plan.entry)})`,
      code: functionCode(plan.entry, props.projectRoot ?? REPOSITORY_ROOT),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: plan.memoryMb,
      timeout: Duration.seconds(plan.timeoutSeconds),
      reservedConcurrentExecutions: plan.reservedConcurrency,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      tracing: lambda.Tracing.ACTIVE,
      environment: Object.fromEntries(
        Object.entries(plan.environment).filter((e): e is [string, string] => typeof e[1] === 'string'),
      ),
    });
  }

  /**
   * Sets an environment variable resolved at deploy time (a reference of the plan: a queue URL, a
   * key ARN). Plain-text variables, the registry's overrides included, are set by the constructor.
   */
  addEnvironment(name: string, value: string): this {
    this.function.addEnvironment(name, value);
    return this;
  }

  /** Timeout of the function. */
  get timeout(): Duration {
    return Duration.seconds(this.plan.timeoutSeconds);
  }

  /**
   * Grants item access to the quantum's table (and reads on its indexes).
   * Transactions need no extra action: DynamoDB authorizes each item of a transaction by its own action.
   */
  bindTable(table: QuantumTable, access: TableAccess = 'readWrite'): this {
    const read = [
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:Scan',
      'dynamodb:ConditionCheckItem',
      'dynamodb:DescribeTable',
    ];
    const write = [
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
    ];
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: access === 'read' ? read : [...read, ...write],
        resources: [table.table.tableArn],
      }),
    );
    if (table.indexArns.length > 0) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:Query', 'dynamodb:Scan'],
          resources: [...table.indexArns],
        }),
      );
    }
    return this;
  }

  /**
   * Grants `events:PutEvents` on the bus (by ARN, which also reaches a bus in another account), only
   * with `source` as the events' source.
   */
  bindEventBus(busArn: string, source: string): this {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['events:PutEvents'],
        resources: [busArn],
        conditions: { StringEquals: { 'events:source': source } },
      }),
    );
    return this;
  }

  /**
   * Grants `sqs:SendMessage` on a queue (by ARN: it may live in the platform's account).
   */
  bindSendQueue(queueArn: string): this {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queueArn] }),
    );
    return this;
  }

  /** Consumes a queue in batches with partial batch responses (`ReportBatchItemFailures`). */
  consumeQueue(queue: sqs.IQueue, options: ConsumeQueueOptions = {}): this {
    this.function.addEventSource(
      new SqsEventSource(queue, {
        batchSize: options.batchSize ?? 10,
        maxBatchingWindow:
          options.maxBatchingWindowSeconds === undefined
            ? undefined
            : Duration.seconds(options.maxBatchingWindowSeconds),
        reportBatchItemFailures: true,
      }),
    );
    return this;
  }

  /**
   * For asynchronously invoked functions (schedules): after Lambda's own retries, the failed event
   * goes to `queue` instead of being dropped.
   */
  sendAsyncFailuresTo(queue: sqs.IQueue, retryAttempts = 2): this {
    this.function.configureAsyncInvoke({
      onFailure: new destinations.SqsDestination(queue),
      retryAttempts,
      maxEventAge: Duration.hours(1),
    });
    return this;
  }

  /**
   * Grants `kms:Sign` + `kms:GetPublicKey` on the first key (the one that signs) and `kms:GetPublicKey`
   * on the others (published in the JWKS during a rotation), and sets `SIGNING_KEY_ARNS`.
   */
  bindSigningKeys(keys: readonly kms.IKey[]): this {
    const [current, ...previous] = keys;
    if (current === undefined)
      throw new SynthError(`bindSigningKeys on '${this.functionName}' needs at least one key`);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['kms:Sign', 'kms:GetPublicKey'], resources: [current.keyArn] }),
    );
    if (previous.length > 0) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['kms:GetPublicKey'], resources: previous.map((k) => k.keyArn) }),
      );
    }
    return this;
  }

  /**
   * Grants `kms:Encrypt`, `kms:Decrypt` and `kms:GenerateDataKey` on the quantum's data key.
   */
  bindEncryptionKey(key: kms.IKey): this {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [key.keyArn],
      }),
    );
    return this;
  }

  /**
   * Grants `execute-api:ManageConnections` (post to, read and close connections) on the platform
   * WebSocket API's `@connections` resources, and nothing else of that API.
   */
  bindConnections(connectionsArn: string): this {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['execute-api:ManageConnections'], resources: [connectionsArn] }),
    );
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagResourceOf(Stack.of(this).resolve(connectionsArn))}]`,
      reason:
        'The wildcards are the HTTP method and the connection id of `@connections/{id}`: connections are created at run time, so the grant is scoped to this one API and stage and to its @connections resources only.',
    });
    return this;
  }

  /**
   * Grants `execute-api:Invoke` on another quantum's facade operations.
   */
  bindFacade(operationArns: readonly string[]): this {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: [...operationArns] }),
    );
    return this;
  }
}

/** A resolved ARN as cdk-nag names it in a finding: pseudo parameters as `<AWS::…>`, other tokens as JSON. */
function nagResourceOf(resolved: unknown): string {
  const join = (resolved as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join === undefined) return typeof resolved === 'string' ? resolved : JSON.stringify(resolved);
  return join[1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const ref = (part as { Ref?: string }).Ref;
      return ref?.startsWith('AWS::') ? `<${ref}>` : JSON.stringify(part);
    })
    .join(join[0]);
}
