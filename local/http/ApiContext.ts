/** The identity of the emulated HTTP API: what AWS reports in `requestContext` and in route ARNs. */
export interface ApiContext {
  /** Account that owns the API, e.g. `000000000000`. */
  readonly accountId: string;
  /** API id, the first label of `{apiId}.execute-api.{region}.amazonaws.com`. */
  readonly apiId: string;
  readonly region: string;
}

/** The only stage the platform deploys: HTTP API's auto-deployed `$default` stage. */
export const DEFAULT_STAGE = '$default';
