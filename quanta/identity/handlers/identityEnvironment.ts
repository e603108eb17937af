import { ENV } from '@quanta/runtime/manifest';
import { z } from 'zod';

const commaList = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  );

const tableEnvironment = z.object({
  [ENV.tableName]: z.string().min(1),
  [ENV.ttlAttribute]: z.string().min(1).default('expiresAt'),
});

/**
 * Environment of identity's `api` function (set by the CDK stack and the local cloud from the
 * manifest): table, token settings, admin e-mails and exactly one source of signing keys —
 * `SIGNING_KEY_ARNS` (KMS, in AWS) or `SIGNING_KEYS_JWK` (private JWKs, locally).
 */
export const apiEnvironmentSchema = tableEnvironment
  .extend({
    [ENV.authIssuer]: z.string().min(1),
    [ENV.authAudience]: z.string().min(1),
    [ENV.accessTokenTtlSeconds]: z.coerce.number().int().min(60).max(900),
    [ENV.refreshTokenTtlSeconds]: z.coerce.number().int().min(300),
    [ENV.adminEmails]: commaList,
    [ENV.signingKeyArns]: commaList,
    [ENV.signingKeysJwk]: z.string().optional(),
  })
  .refine((env) => env.SIGNING_KEY_ARNS.length > 0 !== (env.SIGNING_KEYS_JWK !== undefined), {
    message: 'set exactly one of SIGNING_KEY_ARNS (KMS) or SIGNING_KEYS_JWK (local keys)',
    path: [ENV.signingKeyArns],
  });
export type ApiEnvironment = z.infer<typeof apiEnvironmentSchema>;

/** Environment of identity's `facade` function. */
export const facadeEnvironmentSchema = tableEnvironment;
export type FacadeEnvironment = z.infer<typeof facadeEnvironmentSchema>;
