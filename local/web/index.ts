export { WebClientBuildError, WebClientServerError } from './errors';
export type { RunningWebClient, StartWebClientOptions } from './startWebClient';
export { startWebClient } from './startWebClient';
export type { WebClientSite } from './WebClientBuilds';
export { WebClientBuilds } from './WebClientBuilds';
export type { WebClientConfig, WebClientServerOptions } from './WebClientServer';
export { WebClientServer } from './WebClientServer';
