export { FaultInjectionError, FaultRuleError } from './errors';
export type { FaultInjectorOptions, FaultMode, FaultRule, FaultStats } from './FaultInjector';
export { FaultInjector } from './FaultInjector';
