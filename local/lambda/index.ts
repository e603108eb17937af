export type { BatchResponseVerdict } from './batchItemFailuresOf';
export { batchItemFailuresOf } from './batchItemFailuresOf';
export { DeferredInvoker } from './DeferredInvoker';
export {
  FunctionBuildError,
  FunctionDefinitionError,
  LambdaRuntimeError,
  LambdaRuntimeStoppedError,
  UnknownFunctionError,
} from './errors';
export type { BundleOutput, BundleRequest, FunctionBundlerOptions } from './FunctionBundler';
export { FunctionBundler, withEsbuildService } from './FunctionBundler';
export type { FunctionError, FunctionInvoker, InvokeOptions, InvokeResult } from './FunctionInvoker';
export { functionIdOf } from './FunctionInvoker';
export type { FunctionLogLine, FunctionLogSink, FunctionOutput, LineWriter } from './FunctionLogSink';
export { prefixedConsoleSink } from './FunctionLogSink';
export type { PoolStats } from './FunctionPool';
export type { LambdaInvokeResult, LambdaRuntimeOptions, LambdaRuntimeStartInfo } from './LambdaRuntime';
export { LambdaRuntime } from './LambdaRuntime';
export type { LocalCredentials, LocalFunction } from './LocalFunction';
export { pauseUnlessAborted } from './pauseUnlessAborted';
