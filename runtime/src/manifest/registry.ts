import * as z from '@quanta/contracts/zod';
import { type CorsSettings, corsSettingsSchema } from './cors';
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
  /**
   * E-mail addresses granted the `admin` role at signup: a local-development convenience only
   * (`quanta:adminEmails`, default `admin@quanta.local`); refused in production, where the first admin
   * is granted with `npm run identity -- grant-role <email> admin --aws`.
   */
  readonly adminEmails: readonly string[];
  /**
   * Per-quantum environment overrides (`quanta:environment`, e.g. `{ "orders": { "ORDER_DEADLINE_SECONDS": "30" } }`),
   * applied last to every function of that quantum, locally and in AWS.
   */
  readonly environment: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * CORS of the platform HTTP API (`quanta:cors`); none when absent, as API Gateway has none by
   * default. The local cloud adds the web client's development origins (`local/readRegistry.ts`).
   */
  readonly cors?: CorsSettings;
}

/** The development admin of `npm start` and the README (never in production). */
const DEFAULT_LOCAL_ADMIN_EMAIL = 'admin@quanta.local';

const account = z.string().check(z.regex(/^\d{12}$/, 'must be a 12-digit AWS account id'));
const region = z
  .string()
  .check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1'));
const quantumName = z.string().check(z.regex(/^[a-z][a-z0-9]*$/));

const contextSchema = z.object({
  quanta: z.record(quantumName, z.strictObject({ account: z.optional(account), region: z.optional(region) })),
  'quanta:prefix': z._default(z.string().check(z.regex(/^[a-z][a-z0-9-]{1,20}$/)), 'quanta'),
  'quanta:production': z._default(
    z.union([
      z.boolean(),
      z.pipe(
        z.enum(['true', 'false']),
        z.transform((v) => v === 'true'),
      ),
    ]),
    false,
  ),
  'quanta:auth': z.prefault(
    z.object({
      issuer: z._default(z.string().check(z.minLength(1)), 'https://identity.quanta.local'),
      audience: z._default(z.string().check(z.minLength(1)), 'quanta-api'),
      accessTokenTtlSeconds: z._default(z.number().check(z.int(), z.minimum(60), z.maximum(900)), 900),
      refreshTokenTtlSeconds: z._default(
        z.number().check(z.int(), z.minimum(300), z.maximum(90 * 24 * 3600)),
        30 * 24 * 3600,
      ),
    }),
    {},
  ),
  'quanta:authorizerCacheTtlSeconds': z._default(
    z.coerce.number().check(z.int(), z.minimum(0), z.maximum(3600)),
    60,
  ),
  'quanta:adminEmails': z.optional(z.array(z.email())),
  'quanta:cors': z.optional(corsSettingsSchema),
  'quanta:environment': z._default(
    z.record(
      quantumName,
      z.record(
        z.string().check(z.regex(/^[A-Z][A-Z0-9_]*$/, 'must be an UPPER_SNAKE_CASE variable name')),
        z.string(),
      ),
    ),
    {},
  ),
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
  const production = c['quanta:production'];
  const adminEmails = c['quanta:adminEmails'];
  if (production && adminEmails !== undefined && adminEmails.length > 0) {
    // Admin by an unverified e-mail: whoever signs up first with a listed address would own the shop.
    throw new ManifestError(
      `Registry (cdk.json context) is invalid: quanta:adminEmails is a local-development convenience and is refused when quanta:production is true (got ${JSON.stringify(adminEmails)}); grant the first admin with 'npm run identity -- grant-role <email> admin --aws' instead`,
    );
  }
  if (!('platform' in c.quanta)) {
    throw new ManifestError(
      `Registry (cdk.json context 'quanta') must list 'platform'; got ${Object.keys(c.quanta).join(', ')}`,
    );
  }
  return {
    prefix: c['quanta:prefix'],
    production,
    quanta: c.quanta,
    auth: c['quanta:auth'],
    authorizerCacheTtlSeconds: c['quanta:authorizerCacheTtlSeconds'],
    adminEmails: adminEmails ?? (production ? [] : [DEFAULT_LOCAL_ADMIN_EMAIL]),
    environment: c['quanta:environment'],
    ...(c['quanta:cors'] === undefined ? {} : { cors: c['quanta:cors'] }),
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
