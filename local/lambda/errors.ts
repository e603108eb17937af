/** Base of every error the local Lambda runtime raises itself (never a function's own error). */
export class LambdaRuntimeError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LambdaRuntimeError';
  }
}

/** An invocation named a function id the runtime does not know. */
export class UnknownFunctionError extends LambdaRuntimeError {
  constructor(functionId: string, known: readonly string[]) {
    super(`Unknown function '${functionId}'; known functions: ${known.join(', ') || '(none)'}`);
    this.name = 'UnknownFunctionError';
  }
}

/** The runtime was stopped (or not started) while an invocation was requested or in flight. */
export class LambdaRuntimeStoppedError extends LambdaRuntimeError {
  constructor(functionId: string, state: 'not started' | 'stopped') {
    super(`Cannot invoke '${functionId}': the Lambda runtime is ${state}`);
    this.name = 'LambdaRuntimeStoppedError';
  }
}

/** esbuild could not bundle one or more functions; the message lists esbuild's errors. */
export class FunctionBuildError extends LambdaRuntimeError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FunctionBuildError';
  }
}

/** A function definition is invalid (duplicate id, bad timeout, entry not found, ...). */
export class FunctionDefinitionError extends LambdaRuntimeError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FunctionDefinitionError';
  }
}
