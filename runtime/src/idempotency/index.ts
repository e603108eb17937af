export type {
  DynamoDbIdempotencyStoreOptions,
  IdempotencyOutcome,
  IdempotencyStore,
} from './DynamoDbIdempotencyStore';
export { DynamoDbIdempotencyStore } from './DynamoDbIdempotencyStore';
