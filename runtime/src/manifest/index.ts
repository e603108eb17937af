export { ENV, facadeUrlVar, replyQueueUrlVar, requestQueueUrlVar } from '../config/environment';
export type { CorsSettings } from './cors';
export {
  DEFAULT_CORS_ALLOW_HEADERS,
  DEFAULT_CORS_ALLOW_METHODS,
  DEFAULT_CORS_EXPOSE_HEADERS,
  DEFAULT_CORS_MAX_AGE_SECONDS,
  withCorsOrigins,
} from './cors';
export { basePathOf, defineQuantum, ManifestError } from './defineQuantum';
export type { ResourceNames } from './names';
export { DEFAULT_PREFIX, namesOf, roleNameOf, roleStemOf, stackIdOf } from './names';
export { OUTBOX_PK_PREFIX, OUTBOX_STREAM_FILTER_PATTERN } from './outbox';
export type {
  DeclaredRoutePlan,
  EnvValue,
  EventRulePlan,
  FacadeCallPlan,
  FacadePlan,
  FunctionPlan,
  HttpRoutePlan,
  Permission,
  PlacementPlan,
  PlatformApiIdPlan,
  PlatformPlan,
  QuantaPlan,
  QuantumPlan,
  QueuePlan,
  RolePlan,
  SchedulePlan,
  Trigger,
} from './plan';
export {
  FACADE_STAGE,
  functionNameOf,
  functionOf,
  JWKS_PATH,
  LOCAL_VARIABLE_NAMES,
  PLATFORM,
  plan,
  quantumOf,
  queuesOf,
  WEBSOCKET_STAGE,
} from './plan';
export { planTable } from './planTable';
export type * from './QuantumManifest';
export type { AuthSettings, Registry, RegistryEntry } from './registry';
export { isCrossAccount, parseRegistry } from './registry';
export { validateManifest } from './validateManifest';
