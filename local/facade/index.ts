export { formatAmzDate, parseAmzDate } from './amzDate';
export type { FacadeRequestFacts, RestIamIdentity, RestProxyEvent } from './buildRestProxyEvent';
export { buildRestProxyEvent } from './buildRestProxyEvent';
export type { SignedRequestParts } from './canonicalRequestOf';
export { canonicalRequestOf } from './canonicalRequestOf';
export {
  FacadeConfigurationError,
  FacadeGatewayError,
  FacadeStateError,
  UnknownPrincipalError,
} from './errors';
export type { FacadeGatewayOptions, FacadeGatewayReport } from './FacadeGateway';
export { FacadeGateway } from './FacadeGateway';
export type { FacadeGatewayResponse } from './FacadeResponses';
export { FacadeResponses } from './FacadeResponses';
export type { FacadeApiSpec, FacadeOperationRoute } from './facadeApisOf';
export { FACADE_STAGE, facadeApisOf } from './facadeApisOf';
export type { LocalPrincipal, LocalPrincipalsOptions } from './LocalPrincipals';
export { LocalPrincipals } from './LocalPrincipals';
export type { RestHttpResponse } from './mapRestProxyResult';
export { mapRestProxyResult } from './mapRestProxyResult';
export type { AuthorizationProblem, SigV4Authorization } from './parseAuthorizationHeader';
export {
  isAuthorizationProblem,
  parseAuthorizationHeader,
  SIGV4_ALGORITHM,
} from './parseAuthorizationHeader';
export type { ReceivedRequest, SigV4Verdict, SigV4VerifierOptions } from './SigV4Verifier';
export { SigV4Verifier } from './SigV4Verifier';
