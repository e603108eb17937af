import type { Observability } from '@quanta/runtime/observability';
import type { AuditEntry, AuditEvent, AuditLog } from '../domain/Audit';

/** The metric each audit event counts (namespace `Quanta`, dimension `service` = identity). */
const METRIC_OF: Readonly<Record<AuditEvent, string>> = {
  'identity.login.succeeded': 'LoginSuccesses',
  'identity.login.failed': 'LoginFailures',
  'identity.login.locked': 'AccountLocks',
  'identity.login.throttled': 'LoginsThrottled',
  'identity.signup.throttled': 'SignupsThrottled',
  'identity.roles.changed': 'RolesChanged',
  'identity.session.revoked': 'SessionsRevoked',
  'identity.password.changed': 'PasswordChanges',
};

/**
 * {@link AuditLog} on Powertools: each entry is one structured log line, `{"message":"audit",
 * "audit":"identity.login.failed", …}` (search for the `audit` key), at INFO so it survives the
 * deployed log level, and one count of its metric (`LoginFailures`, `AccountLocks`, …), flushed with
 * the invocation's other metrics. Metrics are optional for callers outside Lambda (the operator command).
 *
 * @example
 * ```ts
 * const audit = new PowertoolsAuditLog(observability.logger, observability.metrics);
 * audit.record({ event: 'identity.login.failed', correlationId, account, sourceIp });
 * ```
 */
export class PowertoolsAuditLog implements AuditLog {
  readonly #logger: Pick<Observability['logger'], 'info'>;
  readonly #metrics: Pick<Observability['metrics'], 'addMetric'> | undefined;

  constructor(
    logger: Pick<Observability['logger'], 'info'>,
    metrics?: Pick<Observability['metrics'], 'addMetric'>,
  ) {
    this.#logger = logger;
    this.#metrics = metrics;
  }

  record(entry: AuditEntry): void {
    const { event, ...fields } = entry;
    this.#logger.info('audit', { audit: event, ...fields });
    this.#metrics?.addMetric(METRIC_OF[event], 'Count', 1);
  }
}
