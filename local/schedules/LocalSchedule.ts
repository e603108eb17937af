/** One schedule as the local scheduler runs it (what a manifest's `ScheduleDefinition` becomes). */
export interface LocalSchedule {
  /** The quantum that declares it. */
  readonly quantum: string;
  /** Its id in the manifest. */
  readonly id: string;
  /** `<prefix>-<quantum>-<id>`, the stack's schedule name (the last part of its ARN). */
  readonly scheduleName: string;
  /** The function it invokes, `<quantum>.<fn>`. */
  readonly functionId: string;
  /** Its period in seconds, as declared. */
  readonly everySeconds: number;
}
