export type { ArrayMembership } from './ArrayMembership';
export type { PutEventsEntryCheck } from './checkPutEventsEntry';
export { checkPutEventsEntry } from './checkPutEventsEntry';
export { compilePattern } from './compilePattern';
export type {
  EventBridgeOperations,
  EventBridgeRequestListenerOptions,
} from './createEventBridgeRequestListener';
export { createEventBridgeRequestListener } from './createEventBridgeRequestListener';
export type { DeliveryOutcome, RetryBackoff, TargetDelivery } from './deliverToTarget';
export { deliverToTarget } from './deliverToTarget';
export type { ArchivedEvent, EventArchiveOptions } from './EventArchive';
export { EventArchive } from './EventArchive';
export type { EventBridgeEvent } from './EventBridgeEvent';
export type { EventBusLogger } from './EventBusLogger';
export type { EventPatternMatcher } from './EventPatternMatcher';
export {
  EventArchiveError,
  EventBridgeError,
  EventBridgeResourceAlreadyExistsError,
  EventBridgeResourceNotFoundError,
  EventBridgeValidationError,
  InvalidEventPatternError,
  TargetDeliveryError,
} from './errors';
export { formatEventTime } from './formatEventTime';
export type { EventIndex, EventLeaf } from './indexEvent';
export { indexEvent } from './indexEvent';
export type { LeafValue } from './LeafValue';
export type { EventBusRule, LocalEventBusOptions, ReplayOptions, UndeliveredEvent } from './LocalEventBus';
export { DEFAULT_BUS_NAME, LocalEventBus } from './LocalEventBus';
export { putEventsEntrySize } from './putEventsEntrySize';
export type { QueueMessage, QueueSender } from './QueueSender';
export { SqsQueueSender } from './SqsQueueSender';
export type { SqsTarget } from './SqsTarget';
export { validatePattern } from './validatePattern';
export { DEFAULT_MAX_ENTRIES_BYTES, validatePutEventsRequest } from './validatePutEventsRequest';
