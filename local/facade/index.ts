export {
  FacadeConfigurationError,
  FacadeGatewayError,
  FacadeStateError,
  UnknownPrincipalError,
} from './errors';
export type {
  FacadeApiSpec,
  FacadeGatewayOptions,
  FacadeGatewayReport,
  FacadeOperationRoute,
} from './FacadeGateway';
export { FacadeGateway } from './FacadeGateway';
export type { LocalPrincipal, LocalPrincipalsOptions } from './LocalPrincipals';
export { LocalPrincipals } from './LocalPrincipals';
