export type {
  AccessTokenClaims,
  GetUserRequest,
  GetUserResponse,
  Jwk,
  Jwks,
  LoginRequest,
  MeResponse,
  RefreshRequest,
  SignupRequest,
  SignupResponse,
  TokenPair,
} from './api';
export {
  accessTokenClaimsSchema,
  getUserRequestSchema,
  getUserResponseSchema,
  jwkSchema,
  jwksSchema,
  loginRequestSchema,
  meResponseSchema,
  refreshRequestSchema,
  signupRequestSchema,
  signupResponseSchema,
  tokenPairSchema,
} from './api';
export { SessionRevoked, UserRegistered } from './events';
