/** Where the bus reports what it cannot hand back to a caller (failed deliveries, archive writes). */
export interface EventBusLogger {
  warn(message: string, details?: Readonly<Record<string, unknown>>): void;
  error(message: string, details?: Readonly<Record<string, unknown>>): void;
}
