export type {
  MessageBatchHandlerOptions,
  MessageHandler,
  SqsBatchHandlerOptions,
  SqsRecordContext,
} from './sqsBatchHandler';
export { messageBatchHandler, on, sqsBatchHandler } from './sqsBatchHandler';
export type {
  ReplySender,
  RequestSender,
  SendRequestOptions,
  SqsReplySenderOptions,
  SqsRequestSenderOptions,
} from './sqsSenders';
export { replyQueueUrlsFrom, requestQueueUrlsFrom, SqsReplySender, SqsRequestSender } from './sqsSenders';
