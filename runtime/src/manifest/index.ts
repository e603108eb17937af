export type {
  FacadeOperationDefinition,
  FunctionDefinition,
  HttpMethod,
  IndexDefinition,
  QuantumManifest,
  RequestHandlerDefinition,
  RequestTargetDefinition,
  RouteAccess,
  RouteDefinition,
  ScheduleDefinition,
  SubscriptionDefinition,
  TableDefinition,
} from './QuantumManifest';
export { basePathOf, defineQuantum, ManifestError } from './defineQuantum';
export { DEFAULT_PREFIX, namesOf, stackIdOf } from './names';
export type { ResourceNames } from './names';
export { isCrossAccount, parseRegistry } from './registry';
export type { AuthSettings, Registry, RegistryEntry } from './registry';
export { ENV, facadeUrlVar, requestQueueUrlVar, standardEnvironment } from './environment';
