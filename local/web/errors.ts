import { LocalCloudError } from '../errors';

/** The web client's build failed; the message carries Vite's. */
export class WebClientBuildError extends LocalCloudError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WebClientBuildError';
  }
}

/** The web client's static server could not start or was misconfigured. */
export class WebClientServerError extends LocalCloudError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WebClientServerError';
  }
}
