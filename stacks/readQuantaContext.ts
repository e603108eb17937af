import { parseRegistry, type Registry, withCorsOrigins } from '@quanta/runtime/manifest';
import type { Node } from 'constructs';
import { SynthError } from './errors';

/** What the CDK app reads from its context (cdk.json, overridable with `-c key=value`). */
export interface QuantaContext {
  /** The registry (`quanta`, `quanta:prefix`, `quanta:production`, `quanta:auth`, …). */
  readonly registry: Registry;
  /** `quanta:previousSigningKeyArn`: the key that signed before the current one, still in the JWKS. */
  readonly previousSigningKeyArn?: string;
  /** `quanta:manageApiGatewayAccount` (default true): create the account-wide API Gateway logging role. */
  readonly manageApiGatewayAccount: boolean;
}

/** Registry keys besides `quanta`, all optional (parseRegistry has their defaults). */
const OPTIONAL_REGISTRY_KEYS = [
  'quanta:prefix',
  'quanta:production',
  'quanta:auth',
  'quanta:authorizerCacheTtlSeconds',
  'quanta:adminEmails',
  'quanta:environment',
  'quanta:cors',
] as const;

/**
 * Reads the registry and the deployment switches from CDK context. Values given on the command line
 * (`-c quanta='{"platform":{}}'`) arrive as strings; JSON-looking strings are parsed, so cdk.json and
 * `-c` accept the same shapes.
 *
 * @example
 * ```ts
 * const app = new App();
 * const { registry } = readQuantaContext(app.node);
 * ```
 */
export function readQuantaContext(node: Node): QuantaContext {
  const quanta: unknown = node.tryGetContext('quanta');
  if (quanta === undefined) {
    throw new SynthError(
      `CDK context 'quanta' (the registry) is missing: add it to cdk.json or pass -c quanta='{"platform":{},"identity":{}}'`,
    );
  }
  const context: Record<string, unknown> = { quanta: fromCli('quanta', quanta) };
  for (const key of OPTIONAL_REGISTRY_KEYS) {
    const value: unknown = node.tryGetContext(key);
    if (value !== undefined) context[key] = fromCli(key, value);
  }
  const previous: unknown = node.tryGetContext('quanta:previousSigningKeyArn');
  if (previous !== undefined && typeof previous !== 'string') {
    throw new SynthError(
      `CDK context 'quanta:previousSigningKeyArn' must be a KMS key ARN string; got ${JSON.stringify(previous)}`,
    );
  }
  const manage: unknown = node.tryGetContext('quanta:manageApiGatewayAccount') ?? true;
  if (manage !== true && manage !== false && manage !== 'true' && manage !== 'false') {
    throw new SynthError(
      `CDK context 'quanta:manageApiGatewayAccount' must be true or false; got ${JSON.stringify(manage)}`,
    );
  }
  // The Web stack's origin (its `WebUrl` output) joins the HTTP API's CORS origins (decision D54).
  const webOrigin: unknown = node.tryGetContext('quanta:webOrigin');
  if (webOrigin !== undefined && (typeof webOrigin !== 'string' || !/^https?:\/\/[^/]+$/.test(webOrigin))) {
    throw new SynthError(
      `CDK context 'quanta:webOrigin' must be the web client's origin, e.g. https://d111111abcdef8.cloudfront.net (the Web stack's WebUrl output); got ${JSON.stringify(webOrigin)}`,
    );
  }
  const registry = parseRegistry(context);
  return {
    registry: webOrigin === undefined ? registry : withCorsOrigins(registry, [webOrigin]),
    previousSigningKeyArn: previous === '' ? undefined : previous,
    manageApiGatewayAccount: manage === true || manage === 'true',
  };
}

function fromCli(key: string, value: unknown): unknown {
  if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch (cause) {
    throw new SynthError(`CDK context '${key}' looks like JSON but does not parse: ${value}`, { cause });
  }
}
