export type { AuthorizerContext, RealtimeTicketResponse } from './api';
export { authorizerContextSchema, realtimeTicketResponseSchema } from './api';
