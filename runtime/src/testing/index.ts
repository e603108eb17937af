export type { DynamoDbLocal } from './dynamoDbLocal';
export { createTestTable, dynamoDbClientFor, startDynamoDbLocal, useDynamoDbLocal } from './dynamoDbLocal';
export type { HttpApiEventInput } from './httpApiEvent';
export { httpApiEvent } from './httpApiEvent';
export { lambdaContext } from './lambdaContext';
export { testObservability } from './testObservability';
