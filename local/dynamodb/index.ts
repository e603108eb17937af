export type { ChildProcessGuardOptions } from './ChildProcessGuard';
export { ChildProcessGuard } from './ChildProcessGuard';
export type { DynamoDbLocalInfo, DynamoDbLocalOptions, SpawnDynamoDbLocal } from './DynamoDbLocal';
export { DynamoDbLocal } from './DynamoDbLocal';
export type { ProvisionedTable } from './ensureTable';
export { ensureTable } from './ensureTable';
export {
  DynamoDbLocalStartError,
  LocalDynamoDbError,
  StreamPollerError,
  TableProvisioningError,
} from './errors';
export { findFreePort } from './findFreePort';
export type { StreamEvent, StreamEventRecord, StreamRecordFilter } from './StreamEventRecord';
export type { StreamBatchFailure, StreamPollerOptions } from './StreamPoller';
export { StreamPoller } from './StreamPoller';
export type { StreamViewType, TableSpec } from './TableSpec';
export { TtlDeletionLog } from './TtlDeletionLog';
export type { TtlSweeperOptions, TtlTable } from './TtlSweeper';
export { TtlSweeper } from './TtlSweeper';
export type { WireAttributeValue } from './toWireAttributeValue';
export { toWireAttributeValue, toWireImage } from './toWireAttributeValue';
