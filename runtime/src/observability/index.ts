export type { Observability, ObservabilityOptions } from './Observability';
export { createObservability, isTracingAvailable } from './Observability';
export { observedHandler } from './observedHandler';
export { redactCardNumbers } from './redactCardNumbers';
