/** Base of every error the local scheduler raises itself (a failed run is reported, never thrown). */
export class LocalSchedulerError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalSchedulerError';
  }
}

/** The scheduler's options are invalid (a non-positive period, a duplicate schedule); the message shows the bad value. */
export class ScheduleConfigurationError extends LocalSchedulerError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ScheduleConfigurationError';
  }
}
