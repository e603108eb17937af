/**
 * The security events identity writes to its audit trail. Each is a log entry whose `audit` field is
 * this stable marker (search the logs for it), and a metric.
 */
export type AuditEvent =
  | 'identity.login.succeeded'
  | 'identity.login.failed'
  | 'identity.login.locked'
  | 'identity.login.throttled'
  | 'identity.signup.throttled'
  | 'identity.roles.changed'
  | 'identity.session.revoked'
  | 'identity.password.changed';

/** One entry of the audit trail: the event and what is known about it. Never a password or an e-mail. */
export interface AuditEntry {
  readonly event: AuditEvent;
  readonly correlationId: string;
  /** The user concerned, when known (never for an unknown e-mail). */
  readonly userId?: string;
  /** First 16 hex digits of the tried e-mail's SHA-256: attempts on one account line up, the address stays out. */
  readonly account?: string;
  /** The client's address, as API Gateway saw it. */
  readonly sourceIp?: string;
  readonly sessionId?: string;
  /** Why (a revocation reason, which limit answered 429, `login` or `password-change`). */
  readonly reason?: string;
  readonly roles?: readonly string[];
  readonly previousRoles?: readonly string[];
  /** Who changed roles: an admin's user id or `operator:<name>`. */
  readonly changedBy?: string;
  /** Seconds until a lock or limit ends. */
  readonly retryAfterSeconds?: number;
}

/** Port: where security events go (structured logs and metrics in AWS; a list in tests). */
export interface AuditLog {
  record(entry: AuditEntry): void;
}
