/**
 * What an HTTP function returns. It satisfies both API Gateway shapes the runtime serves: the HTTP
 * API (payload 2.0, structured result) and the REST API proxy integration used by facades.
 */
export interface HttpResult {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Always a string (empty for 204) so REST API integrations accept it too. */
  readonly body: string;
}
