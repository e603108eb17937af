export type { DynamoDbLocal } from './dynamoDbLocal';
export { createTestTable, dynamoDbClientFor, startDynamoDbLocal, useDynamoDbLocal } from './dynamoDbLocal';
export type { HttpApiEventInput } from './httpApiEvent';
export { httpApiEvent } from './httpApiEvent';
export { lambdaContext } from './lambdaContext';
export type { RecordedReply } from './RecordingReplySender';
export { RecordingReplySender } from './RecordingReplySender';
export { testObservability } from './testObservability';
