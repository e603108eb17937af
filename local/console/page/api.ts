// The console's JSON API as the page calls it; the types are the server's own, so the two cannot drift.
import type { ActivityDetail } from '../ActivityView';
import type { LogEntry, Trace, TraceSummary } from '../assembleTrace';
import type { DeadLetterQueueState, RedriveResult } from '../DeadLetters';
import type { ActivityEntry } from '../describeActivity';
import type { ArchitectureModel } from '../renderArchitecture';

export type {
  ActivityDetail,
  ActivityEntry,
  ArchitectureModel,
  DeadLetterQueueState,
  LogEntry,
  RedriveResult,
  Trace,
  TraceSummary,
};

/** `GET /api/status`. */
export interface ConsoleStatus {
  readonly lastSeq: number;
  readonly logsRecorded: boolean;
  readonly quanta: readonly { readonly name: string; readonly functions: readonly string[] }[];
}

/** An error the console's API answered, with its words. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, init);
  const text = await response.text();
  const body: unknown = text === '' ? undefined : JSON.parse(text);
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'ERROR',
      error?.message ?? `${response.status} ${response.statusText}`,
    );
  }
  return body as T;
}

/** The console's API. */
export const api = {
  status: (): Promise<ConsoleStatus> => call('/api/status'),
  architectureSvg: async (): Promise<string> => (await fetch('/api/architecture.svg')).text(),
  activity: (limit: number): Promise<{ lastSeq: number; entries: ActivityEntry[] }> =>
    call(`/api/activity?limit=${limit}`),
  detail: (seq: number): Promise<ActivityDetail> => call(`/api/activity/${seq}`),
  traces: (): Promise<TraceSummary[]> => call('/api/traces?limit=100'),
  trace: (id: string): Promise<Trace> => call(`/api/traces/${encodeURIComponent(id)}`),
  deadLetters: (): Promise<DeadLetterQueueState[]> => call('/api/dead-letters'),
  redrive: (name: string): Promise<RedriveResult> =>
    call(`/api/dead-letters/${encodeURIComponent(name)}/redrive`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    }),
  logs: (limit: number): Promise<{ lastSeq: number; logsRecorded: boolean; lines: LogEntry[] }> =>
    call(`/api/logs?limit=${limit}`),
};
