/** Base of the errors the local cloud's composition raises (each engine has its own errors as well). */
export class LocalCloudError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalCloudError';
  }
}

/**
 * The registered manifests cannot be wired together locally, for the same reason `cdk synth`
 * would refuse them (e.g. a facade call no operation admits); the message names the quanta.
 */
export class LocalWiringError extends LocalCloudError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalWiringError';
  }
}
