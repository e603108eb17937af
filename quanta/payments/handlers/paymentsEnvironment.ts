import { ENV } from '@quanta/runtime/manifest';
import { z } from 'zod';

const tableEnvironment = z.object({
  [ENV.tableName]: z.string().min(1),
  [ENV.ttlAttribute]: z.string().min(1).default('expiresAt'),
});

/**
 * Environment of payments' `requests` function (set by the CDK stack and the local cloud from the
 * manifest; the `PAYMENT_*`/`PROCESSOR_*` settings may be overridden per environment in cdk.json
 * `quanta:environment`). The reply queues (`REPLY_QUEUE_URL_<SENDER>`) are read with
 * `replyQueueUrlsFrom`.
 */
export const requestsEnvironmentSchema = tableEnvironment.extend({
  /**
   * Seconds a claim on a PENDING intent lasts: keep it above the function timeout and below the
   * request queue's visibility timeout (6 × the function timeout).
   */
  PAYMENT_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(30),
  /** Deliveries (and attempts) after which a processing error becomes a PROCESSING_ERROR decline. */
  PAYMENT_MAX_PROCESSING_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  /** Simulated processor latency per call, in ms (benchmarks). */
  PROCESSOR_LATENCY_MS: z.coerce.number().int().min(0).max(10_000).default(0),
});
export type RequestsEnvironment = z.infer<typeof requestsEnvironmentSchema>;

/** Environment of payments' `facade` function. */
export const facadeEnvironmentSchema = tableEnvironment;
export type FacadeEnvironment = z.infer<typeof facadeEnvironmentSchema>;
