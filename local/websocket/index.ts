export type { ConnectionPush, ManagedConnection } from './ConnectionsApi';
export { ConnectionsApi } from './ConnectionsApi';
export { WebSocketConfigurationError, WebSocketGatewayError, WebSocketStateError } from './errors';
export type { ConnectAuthorization } from './WebSocketAuthorizer';
export { evaluateAuthorizerResponse, TICKET_PARAMETER, WebSocketAuthorizer } from './WebSocketAuthorizer';
export type { WebSocketGatewayOptions, WebSocketGatewayReport } from './WebSocketGateway';
export { WebSocketGateway } from './WebSocketGateway';
export type { WebSocketRoute } from './WebSocketRouteTable';
export { WebSocketRouteTable } from './WebSocketRouteTable';
export type {
  ConnectionFacts,
  DisconnectCause,
  UpgradeRequest,
  WebSocketApiContext,
  WebSocketAuthorizerContext,
  WebSocketAuthorizerEvent,
  WebSocketEvent,
  WebSocketIdentity,
  WebSocketRequestContext,
} from './webSocketApiEvents';
export { connectMethodArnOf } from './webSocketApiEvents';
