import type { LocalCredentials } from './LocalCredentials';

/** Settings of one function's environment. */
export interface WorkerEnvironmentSettings {
  readonly region: string;
  /**
   * The function's credentials: the storage engines accept any, the facade gateway verifies
   * signatures with them, and the SDK's credential chain stops at the env.
   */
  readonly credentials: LocalCredentials;
  /** `AWS_ENDPOINT_URL_*` variables (and anything else every function must see). */
  readonly baseEnvironment: Readonly<Record<string, string>>;
}

/** What Lambda itself knows about one execution environment. */
export interface ExecutionEnvironmentInfo {
  readonly functionName: string;
  readonly memoryMb: number;
  readonly logGroupName: string;
  readonly logStreamName: string;
}

/**
 * The complete `process.env` of one worker: the base (endpoints), the function's own variables,
 * then what Lambda reserves (region, credentials, `AWS_LAMBDA_*`), which a function cannot
 * override. Nothing is copied from the parent's `process.env`. `AWS_EXECUTION_ENV` is deliberately
 * absent: libraries (Powertools Tracer, X-Ray) would then believe they run in Lambda and try to
 * reach its X-Ray daemon.
 *
 * @example
 * ```ts
 * const env = workerEnvironmentOf({ TABLE_NAME: 'quanta-identity' }, settings, info);
 * env.AWS_LAMBDA_FUNCTION_NAME; // 'quanta-identity-api'
 * ```
 */
export function workerEnvironmentOf(
  functionEnvironment: Readonly<Record<string, string>>,
  settings: WorkerEnvironmentSettings,
  info: ExecutionEnvironmentInfo,
): Record<string, string> {
  return {
    ...settings.baseEnvironment,
    ...functionEnvironment,
    AWS_REGION: settings.region,
    AWS_DEFAULT_REGION: settings.region,
    AWS_ACCESS_KEY_ID: settings.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: settings.credentials.secretAccessKey,
    AWS_LAMBDA_FUNCTION_NAME: info.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(info.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: info.logGroupName,
    AWS_LAMBDA_LOG_STREAM_NAME: info.logStreamName,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  };
}
