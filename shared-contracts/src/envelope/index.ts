export type { AnyEventEnvelope, EventContract, EventData, EventEnvelope } from './EventEnvelope';
export { defineEvent, eventEnvelopeBaseSchema } from './EventEnvelope';
export type { AnyRequestEnvelope, MessageContract, RequestEnvelope } from './RequestEnvelope';
export { defineMessage, requestEnvelopeBaseSchema } from './RequestEnvelope';
