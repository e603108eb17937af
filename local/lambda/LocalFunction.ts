/**
 * One function as the local Lambda runtime runs it: what a manifest's `FunctionDefinition` becomes
 * once its quantum, entry path and complete environment are known (see `localFunctionsOf`).
 */
export interface LocalFunction {
  /** `<quantum>.<functionName>`, e.g. `identity.api` (see `functionIdOf`). */
  readonly id: string;
  /** Absolute path of the TypeScript entry; it exports `handler`. */
  readonly entry: string;
  /** Lambda function name shown in `context.functionName` and the ARN. @default the id with `.` replaced by `-` */
  readonly functionName?: string;
  /** Timeout in seconds. @default 10 */
  readonly timeoutSeconds?: number;
  /** Memory in MB; also the worker's V8 old-generation heap limit. @default 512 */
  readonly memoryMb?: number;
  /** Reserved concurrency: the most workers this function may run at once, capped by the runtime's `maxWorkersPerFunction`. @default that cap */
  readonly reservedConcurrency?: number;
  /**
   * The function's own environment (standard + target variables). The runtime adds region,
   * credentials, endpoints and Lambda's reserved variables; nothing else from the parent process leaks in.
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * The credentials its SDK clients sign with, as Lambda hands a function its execution role's
   * credentials. @default the runtime's `credentials`
   */
  readonly credentials?: LocalCredentials;
}

/**
 * Static AWS credentials a local function signs its requests with (`AWS_ACCESS_KEY_ID` /
 * `AWS_SECRET_ACCESS_KEY`). The local storage engines ignore them; the facade gateway verifies
 * SigV4 signatures with them and knows the calling quantum by the access key id.
 */
export interface LocalCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}
