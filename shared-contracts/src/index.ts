export {
  defineEvent,
  eventEnvelopeBaseSchema,
} from './envelope/EventEnvelope';
export type { AnyEventEnvelope, EventContract, EventData, EventEnvelope } from './envelope/EventEnvelope';
export { defineMessage, requestEnvelopeBaseSchema } from './envelope/RequestEnvelope';
export type { AnyRequestEnvelope, MessageContract, RequestEnvelope } from './envelope/RequestEnvelope';
export { errorBodySchema } from './http/ErrorBody';
export type { ErrorBody } from './http/ErrorBody';
export { authorizerContextSchema } from './http/AuthorizerContext';
export type { AuthorizerContext } from './http/AuthorizerContext';
export {
  accessTokenClaimsSchema,
  jwkSchema,
  jwksSchema,
  loginRequestSchema,
  meResponseSchema,
  refreshRequestSchema,
  signupRequestSchema,
  signupResponseSchema,
  tokenPairSchema,
} from './identity/api';
export type {
  AccessTokenClaims,
  Jwks,
  LoginRequest,
  MeResponse,
  RefreshRequest,
  SignupRequest,
  SignupResponse,
  TokenPair,
} from './identity/api';
export { SessionRevoked, UserRegistered } from './identity/events';
export { getUserRequestSchema, getUserResponseSchema } from './identity/facade';
export type { GetUserRequest, GetUserResponse } from './identity/facade';
export { realtimeTicketResponseSchema } from './platform/api';
export type { RealtimeTicketResponse } from './platform/api';
