import { ENV } from '@quanta/runtime/manifest';
import { z } from 'zod';

const tableEnvironment = z.object({
  [ENV.tableName]: z.string().min(1),
  [ENV.ttlAttribute]: z.string().min(1).default('expiresAt'),
});

/** Environment of catalog's `api` function (set by the CDK stack and the local cloud from the manifest). */
export const apiEnvironmentSchema = tableEnvironment;
export type ApiEnvironment = z.infer<typeof apiEnvironmentSchema>;

/** Environment of catalog's `facade` function. */
export const facadeEnvironmentSchema = tableEnvironment;
export type FacadeEnvironment = z.infer<typeof facadeEnvironmentSchema>;

/**
 * Environment of catalog's `requests` function. Its reply queues (`REPLY_QUEUE_URL_<SENDER>`) are
 * read separately, with the runtime's `replyQueueUrlsFrom`.
 */
export const requestsEnvironmentSchema = tableEnvironment.extend({
  /**
   * Seconds to keep released and refused reservations (override per deployment in cdk.json
   * `quanta:environment`). They must outlive every copy of a request for the order: at least the
   * request queue's retention (14 days at most). @default 30 days
   */
  RESERVATION_RETENTION_SECONDS: z.coerce
    .number()
    .int()
    .min(14 * 24 * 3600)
    .default(30 * 24 * 3600),
});
export type RequestsEnvironment = z.infer<typeof requestsEnvironmentSchema>;
