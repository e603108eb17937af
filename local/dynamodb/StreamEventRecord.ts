import type { StreamViewType } from './TableSpec';
import type { WireAttributeValue } from './toWireAttributeValue';

/** One record of a `DynamoDBStreamEvent`, exactly as Lambda's event source mapping delivers it. */
export interface StreamEventRecord {
  readonly eventID: string;
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  readonly eventVersion: string;
  readonly eventSource: 'aws:dynamodb';
  readonly awsRegion: string;
  readonly dynamodb: {
    /** Epoch seconds. */
    readonly ApproximateCreationDateTime?: number;
    readonly Keys: Readonly<Record<string, WireAttributeValue>>;
    readonly NewImage?: Readonly<Record<string, WireAttributeValue>>;
    readonly OldImage?: Readonly<Record<string, WireAttributeValue>>;
    readonly SequenceNumber: string;
    readonly SizeBytes: number;
    readonly StreamViewType: StreamViewType;
  };
  readonly eventSourceARN: string;
  /** Present on deletions made by TTL. */
  readonly userIdentity?: { readonly type: 'Service'; readonly principalId: 'dynamodb.amazonaws.com' };
}

/** The event a stream-triggered function receives. */
export interface StreamEvent {
  readonly Records: readonly StreamEventRecord[];
}

/** Decides whether a record reaches the function (an event source mapping's filter criteria). */
export type StreamRecordFilter = (record: StreamEventRecord) => boolean;
