/**
 * Static AWS credentials a local function signs its requests with (`AWS_ACCESS_KEY_ID` /
 * `AWS_SECRET_ACCESS_KEY`). The local storage engines ignore them; the facade gateway verifies
 * SigV4 signatures with them and knows the calling quantum by the access key id.
 */
export interface LocalCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}
