export type { EventPatternMatcher } from './compilePattern';
export { compilePattern } from './compilePattern';
export type { DeliveryOutcome, QueueMessage, QueueSender } from './deliverToTarget';
export { SqsQueueSender } from './deliverToTarget';
export type { ArchivedEvent, EventArchiveOptions } from './EventArchive';
export { DEFAULT_ARCHIVE_CAPACITY, EventArchive } from './EventArchive';
export type { EventBridgeEvent, JsonObject } from './EventBridgeEvent';
export {
  EventArchiveError,
  EventBridgeError,
  EventBridgeResourceAlreadyExistsError,
  EventBridgeResourceNotFoundError,
  EventBridgeValidationError,
  InvalidEventPatternError,
  TargetDeliveryError,
} from './errors';
export type { EventIndex } from './indexEvent';
export type {
  EventBusLogger,
  EventBusPut,
  EventBusRule,
  LocalEventBusOptions,
  ReplayOptions,
  SqsTarget,
  UndeliveredEvent,
} from './LocalEventBus';
export { LocalEventBus } from './LocalEventBus';
