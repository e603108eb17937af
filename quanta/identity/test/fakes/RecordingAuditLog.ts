import type { AuditEntry, AuditEvent, AuditLog } from '../../domain/Audit';

/** An {@link AuditLog} that keeps every entry, for assertions. */
export class RecordingAuditLog implements AuditLog {
  readonly entries: AuditEntry[] = [];

  record(entry: AuditEntry): void {
    this.entries.push(entry);
  }

  /** The entries of one event type, in order. */
  of(event: AuditEvent): AuditEntry[] {
    return this.entries.filter((e) => e.event === event);
  }
}
