export type { MessageBatchHandlerOptions, MessageHandler } from './messageBatchHandler';
export { messageBatchHandler, on } from './messageBatchHandler';
export { replyQueueUrlsFrom, requestQueueUrlsFrom } from './queueUrlsFrom';
export type { ReplySender, SqsReplySenderOptions } from './SqsReplySender';
export { SqsReplySender } from './SqsReplySender';
export type { RequestSender, SendRequestOptions, SqsRequestSenderOptions } from './SqsRequestSender';
export { SqsRequestSender } from './SqsRequestSender';
export type { SqsBatchHandlerOptions, SqsRecordContext } from './sqsBatchHandler';
export { sqsBatchHandler } from './sqsBatchHandler';
