export { ENV, facadeUrlVar, replyQueueUrlVar, requestQueueUrlVar } from './environment';
export type {
  FunctionContext,
  FunctionContextOptions,
  TableConnection,
  TableEnvironment,
} from './functionContext';
export { functionContext, tableEnvironment } from './functionContext';
export { parseEnvironment } from './parseEnvironment';
