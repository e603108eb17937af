export { basePathOf, defineQuantum, ManifestError } from './defineQuantum';
export {
  ENV,
  facadeUrlVar,
  functionEnvironment,
  replyQueueUrlVar,
  requestQueueUrlVar,
  standardEnvironment,
} from './environment';
export type { ResourceNames } from './names';
export { DEFAULT_PREFIX, namesOf, stackIdOf } from './names';
export { OUTBOX_PK_PREFIX, OUTBOX_STREAM_FILTER_PATTERN } from './outbox';
export type {
  FacadeOperationDefinition,
  FunctionDefinition,
  HttpMethod,
  IndexDefinition,
  MetricAlarmDefinition,
  QuantumManifest,
  RequestHandlerDefinition,
  RequestTargetDefinition,
  RouteAccess,
  RouteDefinition,
  ScheduleDefinition,
  SubscriptionDefinition,
  TableDefinition,
} from './QuantumManifest';
export type { AuthSettings, Registry, RegistryEntry } from './registry';
export { isCrossAccount, parseRegistry } from './registry';
