/** Where a change comes from, propagated into the events it causes. */
export interface RequestOrigin {
  /** Id shared by everything one client request caused. */
  readonly correlationId: string;
  /** Id of the message that caused the change. @default the correlation id (a client request) */
  readonly causationId?: string;
}
