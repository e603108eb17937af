export type { AnyEventEnvelope, EventContract, EventData, EventEnvelope } from './envelope/EventEnvelope';
export {
  defineEvent,
  eventEnvelopeBaseSchema,
} from './envelope/EventEnvelope';
export type { AnyRequestEnvelope, MessageContract, RequestEnvelope } from './envelope/RequestEnvelope';
export { defineMessage, requestEnvelopeBaseSchema } from './envelope/RequestEnvelope';
export type { AuthorizerContext } from './http/AuthorizerContext';
export { authorizerContextSchema } from './http/AuthorizerContext';
export type { ErrorBody } from './http/ErrorBody';
export { errorBodySchema } from './http/ErrorBody';
export type {
  AccessTokenClaims,
  Jwk,
  Jwks,
  LoginRequest,
  MeResponse,
  RefreshRequest,
  SignupRequest,
  SignupResponse,
  TokenPair,
} from './identity/api';
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
export { SessionRevoked, UserRegistered } from './identity/events';
export type { GetUserRequest, GetUserResponse } from './identity/facade';
export { getUserRequestSchema, getUserResponseSchema } from './identity/facade';
export type { RealtimeTicketResponse } from './platform/api';
export { realtimeTicketResponseSchema } from './platform/api';
