/** Base of every error the fault injector raises itself (never an injected fault: those are invocation results). */
export class FaultInjectionError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FaultInjectionError';
  }
}

/** A fault rule is invalid (unknown mode, rate outside 0..1, bad seed); the message shows the bad value. */
export class FaultRuleError extends FaultInjectionError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FaultRuleError';
  }
}
