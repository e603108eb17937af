export { LocalSchedulerError, ScheduleConfigurationError } from './errors';
export type { LocalSchedule, LocalSchedulerOptions, ScheduleFailure, ScheduleStats } from './LocalScheduler';
export { LocalScheduler } from './LocalScheduler';
