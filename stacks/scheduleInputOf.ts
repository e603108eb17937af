/**
 * What a schedule's function receives, in AWS (EventBridge Scheduler's target input, with its
 * context attributes filled in) and locally (the local scheduler fills in the same fields). This
 * file has no CDK import, so the local cloud builds the payload from the same function.
 */
export interface ScheduleInvocation {
  /** Always `quanta.scheduler`: lets a handler tell a scheduled run from any other event. */
  readonly source: 'quanta.scheduler';
  /** The quantum that declares the schedule. */
  readonly quantum: string;
  /** The schedule's id in the manifest (`deadline-sweep`). */
  readonly scheduleId: string;
  /** `arn:aws:scheduler:<region>:<account>:schedule/default/<prefix>-<quantum>-<id>`. */
  readonly scheduleArn: string;
  /** When the run was due, ISO 8601 to the second (`2022-03-22T18:59:43Z`). */
  readonly scheduledTime: string;
  /** Unique per attempted run (`d32c5kddcf5bb8c3`). */
  readonly executionId: string;
  /** `1` for the first attempt, as a string (Scheduler substitutes text). */
  readonly attemptNumber: string;
}

/** The per-run values: EventBridge Scheduler context attribute placeholders in the stack, real values locally. */
export type ScheduleContext = Pick<
  ScheduleInvocation,
  'scheduleArn' | 'scheduledTime' | 'executionId' | 'attemptNumber'
>;

/**
 * The input of one schedule's runs.
 *
 * @example
 * ```ts
 * // Stack: placeholders EventBridge Scheduler replaces per run.
 * ScheduleTargetInput.fromObject(scheduleInputOf('orders', 'deadline-sweep', {
 *   scheduleArn: ContextAttribute.scheduleArn, scheduledTime: ContextAttribute.scheduledTime,
 *   executionId: ContextAttribute.executionId, attemptNumber: ContextAttribute.attemptNumber,
 * }));
 * // Local: the values themselves.
 * scheduleInputOf('orders', 'deadline-sweep', { scheduleArn, scheduledTime: '2024-01-01T00:01:00Z', executionId, attemptNumber: '1' });
 * ```
 */
export function scheduleInputOf(
  quantum: string,
  scheduleId: string,
  context: ScheduleContext,
): ScheduleInvocation {
  return {
    source: 'quanta.scheduler',
    quantum,
    scheduleId,
    scheduleArn: context.scheduleArn,
    scheduledTime: context.scheduledTime,
    executionId: context.executionId,
    attemptNumber: context.attemptNumber,
  };
}
