export { LocalSchedulerError, ScheduleConfigurationError } from './errors';
export type { LocalSchedule } from './LocalSchedule';
export type { LocalSchedulerOptions, ScheduleFailure, ScheduleStats } from './LocalScheduler';
export { LocalScheduler } from './LocalScheduler';
export { schedulesOf } from './schedulesOf';
