export { ENV, facadeUrlVar, replyQueueUrlVar, requestQueueUrlVar } from './environment';
export type {
  FunctionContext,
  FunctionContextOptions,
  TableConnection,
  TableEnvironment,
} from './functionContext';
export { functionContext, parseEnvironment, tableEnvironment } from './functionContext';
