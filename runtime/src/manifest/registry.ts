import { z } from 'zod';
import { ManifestError } from './defineQuantum';

/** Where one quantum is deployed. Omitted account/region mean "the deploying credentials' default". */
export interface RegistryEntry {
  readonly account?: string;
  readonly region?: string;
}

/** Token settings shared by identity (issuer) and the platform authorizer (verifier). */
export interface AuthSettings {
  /** `iss` of access tokens. */
  readonly issuer: string;
  /** `aud` of access tokens. */
  readonly audience: string;
  /** Access-token lifetime in seconds (at most 900). */
  readonly accessTokenTtlSeconds: number;
  /** Refresh-token lifetime in seconds. */
  readonly refreshTokenTtlSeconds: number;
}

/** The registry: every quantum and where it lives, plus platform-wide settings (cdk.json context). */
export interface Registry {
  /** Resource name prefix. */
  readonly prefix: string;
  /** Production switches off the catch-all event log rule and retains tables on delete. */
  readonly production: boolean;
  /** Quanta by name; must contain `platform`. */
  readonly quanta: Readonly<Record<string, RegistryEntry>>;
  readonly auth: AuthSettings;
  /** Authorizer result cache TTL in seconds (0 disables caching). */
  readonly authorizerCacheTtlSeconds: number;
  /** E-mail addresses that get the `admin` role at signup. */
  readonly adminEmails: readonly string[];
  /**
   * Per-quantum environment overrides (`quanta:environment`, e.g. `{ "orders": { "ORDER_DEADLINE_SECONDS": "30" } }`),
   * applied last to every function of that quantum, locally and in AWS.
   */
  readonly environment: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

const account = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1');

const contextSchema = z.object({
  quanta: z.record(
    z.string().regex(/^[a-z][a-z0-9]*$/),
    z.object({ account: account.optional(), region: region.optional() }).strict(),
  ),
  'quanta:prefix': z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,20}$/)
    .default('quanta'),
  'quanta:production': z
    .union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])
    .default(false),
  'quanta:auth': z
    .object({
      issuer: z.string().min(1).default('https://identity.quanta.local'),
      audience: z.string().min(1).default('quanta-api'),
      accessTokenTtlSeconds: z.number().int().min(60).max(900).default(900),
      refreshTokenTtlSeconds: z
        .number()
        .int()
        .min(300)
        .max(90 * 24 * 3600)
        .default(30 * 24 * 3600),
    })
    .prefault({}),
  'quanta:authorizerCacheTtlSeconds': z.coerce.number().int().min(0).max(3600).default(60),
  'quanta:adminEmails': z.array(z.email()).default(['admin@quanta.local']),
  'quanta:environment': z
    .record(
      z.string().regex(/^[a-z][a-z0-9]*$/),
      z.record(
        z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be an UPPER_SNAKE_CASE variable name'),
        z.string(),
      ),
    )
    .default({}),
});

/**
 * Parses the registry from CDK context values (or any object of the same keys), failing with a
 * message that names the bad key and value.
 *
 * @example
 * ```ts
 * const registry = parseRegistry({ quanta: { platform: {}, identity: {} } });
 * ```
 */
export function parseRegistry(context: Record<string, unknown>): Registry {
  const parsed = contextSchema.safeParse(context);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((i) => `${i.path.join('.')}: ${i.message} (got ${JSON.stringify(valueAt(context, i.path))})`)
      .join('; ');
    throw new ManifestError(`Registry (cdk.json context) is invalid: ${issues}`);
  }
  const c = parsed.data;
  if (!('platform' in c.quanta)) {
    throw new ManifestError(
      `Registry (cdk.json context 'quanta') must list 'platform'; got ${Object.keys(c.quanta).join(', ')}`,
    );
  }
  return {
    prefix: c['quanta:prefix'],
    production: c['quanta:production'],
    quanta: c.quanta,
    auth: c['quanta:auth'],
    authorizerCacheTtlSeconds: c['quanta:authorizerCacheTtlSeconds'],
    adminEmails: c['quanta:adminEmails'],
    environment: c['quanta:environment'],
  };
}

/** True when `quantum` lives in another account than the platform (both accounts known). */
export function isCrossAccount(registry: Registry, quantum: string): boolean {
  const platform = registry.quanta.platform?.account;
  const own = registry.quanta[quantum]?.account;
  return platform !== undefined && own !== undefined && platform !== own;
}

function valueAt(obj: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}
