export type { DynamoDbLocal } from './createTestTable';
export { createTestTable, dynamoDbClientFor, useDynamoDbLocal } from './createTestTable';
export type { HttpApiEventInput } from './httpApiEvent';
export { httpApiEvent } from './httpApiEvent';
export { lambdaContext } from './lambdaContext';
export type { RecordedReply } from './RecordingReplySender';
export { RecordingReplySender } from './RecordingReplySender';
export { startLocalSqs } from './startLocalSqs';
export { testObservability } from './testObservability';
