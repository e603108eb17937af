export type { CircuitBreakerOptions } from './CircuitBreaker';
export { CircuitBreaker } from './CircuitBreaker';
export type { FacadeClientOptions } from './FacadeClient';
export { FacadeClient } from './FacadeClient';
