export type {
  ActivityRecord,
  ActivityStoreOptions,
  InvocationOutcome,
  LogRecord,
  SqsMessageStatus,
} from './ActivityStore';
export { ActivityStore } from './ActivityStore';
export type { ActivityDetail, ActivityFilter, LogFilter } from './ActivityView';
export { ActivityView } from './ActivityView';
export type { LogEntry, Trace, TraceSummary } from './assembleTrace';
export { assembleTrace, recentTraces } from './assembleTrace';
export type { ConsoleServerOptions } from './ConsoleServer';
export { ConsoleServer } from './ConsoleServer';
export type { ConsolePageAssets } from './consolePage';
export { buildConsolePage } from './consolePage';
export type {
  DeadLetterMessage,
  DeadLetterQueue,
  DeadLetterQueueState,
  DeadLettersOptions,
  PeekedMessage,
  QueuePeek,
  RedriveResult,
} from './DeadLetters';
export { DeadLetters, deadLetterQueuesOf, fauxqsPeek } from './DeadLetters';
export type { ConsoleEngines, DeveloperConsoleOptions } from './DeveloperConsole';
export { DeveloperConsole } from './DeveloperConsole';
export type { ActivityDirectory, ActivityEntry, ActivityOutcome, TriggerKind } from './describeActivity';
export {
  activityDirectoryOf,
  describeActivity,
  idsIn,
  messageTypeOf,
  parseJson,
  triggerOf,
} from './describeActivity';
export {
  ConsoleError,
  ConsoleRequestError,
  NotRedrivableError,
  TraceNotFoundError,
  UnknownDeadLetterQueueError,
} from './errors';
export type { InvocationListener } from './RecordingInvoker';
export { RecordingInvoker } from './RecordingInvoker';
export type { ArchitectureLink, ArchitectureModel } from './renderArchitecture';
export { architectureOf, renderArchitecture } from './renderArchitecture';
