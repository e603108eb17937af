export type { TransactWriteOptions } from './transactWrite';
export { isConditionalCheckFailed, transactionCancellationReasons, transactWrite } from './transactWrite';
