export type { ProvisionedQueue, QueueBinding, QueueSpec } from './ensureQueue';
export { ensureQueue } from './ensureQueue';
export { EventSourceMappingError, LocalSqsError, QueueProvisioningError, SqsLocalStartError } from './errors';
export type { SqsEventSourceMappingOptions, SqsEventSourceMappingStats } from './SqsEventSourceMapping';
export { SqsEventSourceMapping } from './SqsEventSourceMapping';
export type { SqsLocalInfo, SqsLocalOptions } from './SqsLocal';
export { SqsLocal } from './SqsLocal';
