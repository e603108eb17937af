/** A response API Gateway itself produces for a REST API (no integration involved). */
export interface FacadeGatewayResponse {
  readonly statusCode: number;
  /** The JSON body, pre-serialized, byte for byte as AWS writes it. */
  readonly body: string;
  /** `x-amzn-ErrorType`. */
  readonly errorType?: string;
}

const message = (statusCode: number, text: string, errorType?: string): FacadeGatewayResponse => ({
  statusCode,
  body: JSON.stringify({ message: text }),
  ...(errorType === undefined ? {} : { errorType }),
});

/** The integration-failure bodies AWS writes with a space after the colon. */
const spaced = (statusCode: number, text: string): FacadeGatewayResponse => ({
  statusCode,
  body: `{"message": ${JSON.stringify(text)}}`,
});

/**
 * The REST API's own responses for an `AWS_IAM` facade, with the bodies AWS sends (see
 * `local/facade/README.md` for the sources).
 *
 * @example
 * ```ts
 * FacadeResponses.missingAuthenticationToken.body; // '{"message":"Missing Authentication Token"}'
 * ```
 */
export const FacadeResponses = {
  /** Unsigned request, or no resource/method at that path (REST APIs do not say 404). */
  missingAuthenticationToken: message(
    403,
    'Missing Authentication Token',
    'MissingAuthenticationTokenException',
  ),
  /** The `Authorization` header or the date cannot be read. */
  incompleteSignature: (text: string) => message(403, text, 'IncompleteSignatureException'),
  /** Wrong credential scope, expired or future date. */
  invalidSignature: (text: string) => message(403, text, 'InvalidSignatureException'),
  /** The access key id is unknown. */
  unrecognizedClient: message(
    403,
    'The security token included in the request is invalid.',
    'UnrecognizedClientException',
  ),
  /** The recomputed signature differs; AWS shows the canonical request and string to sign it expected. */
  signatureMismatch: (canonicalRequest: string, stringToSign: string) =>
    message(
      403,
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n' +
        `The Canonical String for this request should have been\n'${canonicalRequest}'\n\n` +
        `The String-to-Sign should have been\n'${stringToSign}'\n`,
      'InvalidSignatureException',
    ),
  /** The resource policy denies the signer (note AWS's capital `Message` here). */
  accessDenied: (userArn: string, resourceArn: string): FacadeGatewayResponse => ({
    statusCode: 403,
    body: JSON.stringify({
      Message: `User: ${userArn} is not authorized to perform: execute-api:Invoke on resource: ${resourceArn} with an explicit deny`,
    }),
    errorType: 'AccessDeniedException',
  }),
  /** The request validator rejected the body (the method's model is a JSON object). */
  invalidRequestBody: { ...spaced(400, 'Invalid request body'), errorType: 'BadRequestException' },
  /** The body exceeds the REST API payload quota (10 MB). */
  requestTooLong: message(413, 'Request Too Long'),
  /** The Lambda function failed or returned a malformed proxy response. */
  internalServerError: spaced(502, 'Internal server error'),
  /** The integration did not answer within the integration timeout (29 s by default). */
  endpointRequestTimedOut: spaced(504, 'Endpoint request timed out'),
} as const;
