import * as path from 'node:path';
import {
  ENV,
  type FunctionDefinition,
  functionEnvironment,
  type QuantumManifest,
  type Registry,
} from '@quanta/runtime/manifest';
import { Duration, Fn, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SynthError } from './errors';
import { functionNameOf } from './functionNameOf';
import type { QuantumTable } from './QuantumTable';

/** How a function may use its quantum's table. */
export type TableAccess = 'read' | 'readWrite';

/** Properties of a {@link QuantumFunction}. */
export interface QuantumFunctionProps {
  /** The quantum the function belongs to. */
  readonly manifest: QuantumManifest;
  /** The function's name in `manifest.functions`. */
  readonly name: string;
  /** The registry (prefix, auth settings, production switch). */
  readonly registry: Registry;
  /** Environment added to `functionEnvironment()` (standard + manifest + registry overrides). @default none */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Lock file that marks the project root for esbuild.
   * @default the repository's `package-lock.json`
   */
  readonly depsLockFilePath?: string;
}

/** Options of {@link QuantumFunction.consumeQueue}. */
export interface ConsumeQueueOptions {
  /** Messages per batch. @default 10 */
  readonly batchSize?: number;
  /** Maximum batching window in seconds. @default 0 */
  readonly maxBatchingWindowSeconds?: number;
}

const REPOSITORY_LOCK_FILE = path.join(import.meta.dirname, '..', 'package-lock.json');

/**
 * Lets ESM bundles load CommonJS dependencies that call `require()` (the AWS SDK's and Powertools'
 * transitive dependencies still do).
 */
const REQUIRE_SHIM =
  "import { createRequire as __quantaCreateRequire } from 'node:module'; const require = __quantaCreateRequire(import.meta.url);";

/**
 * One Lambda function of a quantum with every default in one place: Node.js 24 on arm64, an ESM bundle
 * (minified, source maps, AWS SDK bundled so the deployed code is the tested code), JSON logs in an
 * explicit log group with retention, X-Ray active tracing, the standard environment, and its own role
 * that starts with nothing but writing its own log group.
 *
 * Access is added with `bind…()` helpers that grant the permission and set the environment variable in
 * one call, so a function never gets a permission without the configuration that uses it, or vice versa.
 *
 * @example
 * ```ts
 * const api = new QuantumFunction(this, 'ApiFunction', { manifest, name: 'api', registry });
 * api.bindTable(table).bindSigningKeys([key]);
 * ```
 */
export class QuantumFunction extends Construct {
  /** The Lambda function. */
  readonly function: nodejs.NodejsFunction;
  /** Its execution role. */
  readonly role: iam.Role;
  /** Its log group (`/aws/lambda/<functionName>`). */
  readonly logGroup: logs.LogGroup;
  /** Its manifest definition. */
  readonly definition: FunctionDefinition;
  /** Its deterministic name (`functionNameOf()`). */
  readonly functionName: string;
  /** The registry's overrides for this quantum (`quanta:environment`): they win over every other value. */
  readonly #overrides: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: QuantumFunctionProps) {
    super(scope, id);
    const { manifest, name, registry } = props;
    const definition = manifest.functions[name];
    if (definition === undefined) {
      throw new SynthError(
        `Quantum '${manifest.name}' has no function '${name}'; it declares: ${Object.keys(manifest.functions).join(', ')}`,
      );
    }
    this.definition = definition;
    this.functionName = functionNameOf(registry.prefix, manifest.name, name);
    this.#overrides = registry.environment[manifest.name] ?? {};

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${this.functionName}`,
      retention: registry.production ? logs.RetentionDays.THREE_MONTHS : logs.RetentionDays.ONE_MONTH,
      removalPolicy: registry.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.functionName}`,
    });
    this.logGroup.grantWrite(this.role);
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Resource * only where the service has no resource-level permissions: X-Ray (xray:PutTraceSegments, xray:PutTelemetryRecords) and, for the outbox relay’s stream event source, dynamodb:ListStreams. Every other statement is scoped to this quantum’s resources (asserted by test/stacks/leastPrivilege.test.ts).',
    });

    this.function = new nodejs.NodejsFunction(this, 'Handler', {
      functionName: this.functionName,
      description: `${manifest.name}.${name} (${definition.entry})`,
      entry: path.join(manifest.dir, definition.entry),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: definition.memoryMb ?? 512,
      timeout: Duration.seconds(definition.timeoutSeconds ?? 10),
      reservedConcurrentExecutions: definition.reservedConcurrency,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        ...functionEnvironment(manifest, name, registry),
        ...props.environment,
        ...this.#overrides,
      },
      depsLockFilePath: props.depsLockFilePath ?? REPOSITORY_LOCK_FILE,
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        banner: REQUIRE_SHIM,
        minify: true,
        sourceMap: true,
        sourceMapMode: nodejs.SourceMapMode.DEFAULT,
        sourcesContent: false,
        bundleAwsSDK: true,
      },
    });
  }

  /**
   * Sets an environment variable, unless the registry overrides it for this quantum
   * (`quanta:environment` is applied last, as in the local cloud). Use this, not
   * `function.addEnvironment`, so an override cannot be undone by a later binding.
   */
  addEnvironment(name: string, value: string): this {
    this.function.addEnvironment(name, this.#overrides[name] ?? value);
    return this;
  }

  /** Timeout of the function. */
  get timeout(): Duration {
    return Duration.seconds(this.definition.timeoutSeconds ?? 10);
  }

  /**
   * Grants item access to the quantum's table (and reads on its indexes) and sets `TABLE_NAME`.
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
    this.addEnvironment(ENV.tableName, table.table.tableName);
    return this;
  }

  /**
   * Grants `events:PutEvents` on the bus, only with `source` as the events' source, and sets
   * `EVENT_BUS_NAME` to the bus ARN (PutEvents accepts an ARN, which also reaches a bus in another account).
   */
  bindEventBus(busArn: string, source: string): this {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['events:PutEvents'],
        resources: [busArn],
        conditions: { StringEquals: { 'events:source': source } },
      }),
    );
    this.addEnvironment(ENV.eventBusName, busArn);
    this.addEnvironment(ENV.eventSource, source);
    return this;
  }

  /**
   * Grants `sqs:SendMessage` on a queue (by ARN: it may live in the platform's account) and, when
   * `envVar` is given, sets it to the queue URL.
   */
  bindSendQueue(queue: { readonly arn: string; readonly url: string }, envVar?: string): this {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.arn] }),
    );
    if (envVar !== undefined) this.addEnvironment(envVar, queue.url);
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
    this.addEnvironment(
      ENV.signingKeyArns,
      Fn.join(
        ',',
        keys.map((k) => k.keyArn),
      ),
    );
    return this;
  }

  /**
   * Grants `kms:Encrypt`, `kms:Decrypt` and `kms:GenerateDataKey` on the quantum's data key and sets
   * `ENCRYPTION_KEY_ARN`.
   */
  bindEncryptionKey(key: kms.IKey): this {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [key.keyArn],
      }),
    );
    this.addEnvironment(ENV.encryptionKeyArn, key.keyArn);
    return this;
  }

  /**
   * Grants `execute-api:Invoke` on another quantum's facade operations and sets `FACADE_URL_<TARGET>`.
   */
  bindFacade(envVar: string, url: string, operationArns: readonly string[]): this {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: [...operationArns] }),
    );
    this.addEnvironment(envVar, url);
    return this;
  }
}
