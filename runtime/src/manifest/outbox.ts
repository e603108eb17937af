/** Partition-key prefix of outbox items (`pk = OUTBOX#<eventId>`). */
export const OUTBOX_PK_PREFIX = 'OUTBOX#';

/**
 * Filter of the outbox relay's stream event source: only newly inserted outbox items reach the
 * relay. The CDK stack installs it as the event source mapping's filter criteria and the local
 * cloud applies it with the same EventBridge pattern matcher, so both deliver the same records.
 */
export const OUTBOX_STREAM_FILTER_PATTERN = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { pk: { S: [{ prefix: OUTBOX_PK_PREFIX }] } } },
} as const;
