export type { BatchResponseVerdict } from './batchItemFailuresOf';
export { batchItemFailuresOf } from './batchItemFailuresOf';
export { ColdStartGate } from './ColdStartGate';
export { DeferredInvoker } from './DeferredInvoker';
export {
  FunctionBuildError,
  FunctionDefinitionError,
  LambdaRuntimeError,
  LambdaRuntimeStoppedError,
  UnknownFunctionError,
} from './errors';
export type { BundleOutput, BundleRequest, FunctionBundlerOptions } from './FunctionBundler';
export { FunctionBundler } from './FunctionBundler';
export type { FunctionError, FunctionInvoker, InvokeOptions, InvokeResult } from './FunctionInvoker';
export { functionIdOf } from './FunctionInvoker';
export type { FunctionLogLine, FunctionLogSink, LineWriter } from './FunctionLogSink';
export type { PoolStats } from './FunctionPool';
export { FunctionPool } from './FunctionPool';
export type { FunctionWorkerOptions, WorkerOutcome } from './FunctionWorker';
export { FunctionWorker } from './FunctionWorker';
export type { LambdaInvokeResult, LambdaRuntimeOptions, LambdaRuntimeStartInfo } from './LambdaRuntime';
export { LambdaRuntime } from './LambdaRuntime';
export type { LocalCredentials } from './LocalCredentials';
export type { LocalFunction } from './LocalFunction';
export type { LocalFunctionsOptions, TargetEnvironment } from './localFunctionsOf';
export { localFunctionsOf } from './localFunctionsOf';
export { prefixedConsoleSink } from './prefixedConsoleSink';
export type { FunctionErrorWithTrace } from './toFunctionError';
export { toFunctionError } from './toFunctionError';
export type { ExecutionEnvironmentInfo, WorkerEnvironmentSettings } from './workerEnvironmentOf';
export { workerEnvironmentOf } from './workerEnvironmentOf';
