/** Where the saga's services report what they decided (the Powertools logger satisfies it). Never given card data. */
export interface SagaLog {
  info(message: string, ...attributes: Record<string, unknown>[]): void;
  warn(message: string, ...attributes: Record<string, unknown>[]): void;
}

/** A {@link SagaLog} that drops everything (the default). */
export const silentSagaLog: SagaLog = { info: () => undefined, warn: () => undefined };
