// identity's contract: its public HTTP API, the access tokens it signs, its GetUser facade and
// the events it publishes.

import { defineEvent } from './envelope';
import { singleLineText } from './text';
import * as z from './zod';

const email = z.pipe(
  z.email({ message: 'must be a valid e-mail address' }).check(z.maxLength(254)),
  z.transform((v: string) => v.trim().toLowerCase()),
);

/** `POST /identity/signup` body. */
export const signupRequestSchema = z.strictObject({
  email,
  password: z
    .string()
    .check(
      z.minLength(12, 'must have at least 12 characters'),
      z.maxLength(128, 'must have at most 128 characters'),
    ),
  /** 1–64 characters on one line, trimmed (see `singleLineText`). */
  displayName: singleLineText({ maxLength: 64 }),
});
export type SignupRequest = z.infer<typeof signupRequestSchema>;

/** `POST /identity/signup` 201 body. */
export const signupResponseSchema = z.object({ userId: z.string() });
export type SignupResponse = z.infer<typeof signupResponseSchema>;

/** `POST /identity/login` body. */
export const loginRequestSchema = z.strictObject({
  email,
  password: z.string().check(z.minLength(1), z.maxLength(128)),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

/** `POST /identity/login` and `POST /identity/refresh` 200 body. */
export const tokenPairSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  tokenType: z.literal('Bearer'),
  /** Access-token lifetime in seconds. */
  expiresIn: z.number().check(z.int(), z.positive()),
});
export type TokenPair = z.infer<typeof tokenPairSchema>;

/** `POST /identity/refresh` body. */
export const refreshRequestSchema = z.strictObject({
  refreshToken: z.string().check(z.minLength(16), z.maxLength(512)),
});
export type RefreshRequest = z.infer<typeof refreshRequestSchema>;

/** `GET /identity/me` 200 body. */
export const meResponseSchema = z.object({
  userId: z.string(),
  email: z.string(),
  displayName: z.string(),
  roles: z.array(z.string()),
});
export type MeResponse = z.infer<typeof meResponseSchema>;

/** Roles a user can hold: `customer` (every user, always) and `admin` (granted). */
export const roleSchema = z.enum(['customer', 'admin']);
export type Role = z.infer<typeof roleSchema>;

/**
 * `PUT /identity/users/{userId}/roles` body (admins only): the complete set of roles the user should
 * hold, each at most once. `customer` is kept whether listed or not; every other role not listed is
 * revoked, which also ends the user's sessions.
 */
export const setRolesRequestSchema = z.strictObject({
  roles: z.array(roleSchema).check(
    z.maxLength(8),
    z.refine((roles) => new Set(roles).size === roles.length, { message: 'must not list a role twice' }),
  ),
});
export type SetRolesRequest = z.infer<typeof setRolesRequestSchema>;

/** `PUT /identity/users/{userId}/roles` 200 body: the roles the user now holds. */
export const userRolesResponseSchema = z.object({ userId: z.string(), roles: z.array(z.string()) });
export type UserRolesResponse = z.infer<typeof userRolesResponseSchema>;

/** `POST /identity/password` body: the current password, and the new one (the signup rules). */
export const changePasswordRequestSchema = z.strictObject({
  currentPassword: z.string().check(z.minLength(1), z.maxLength(128)),
  newPassword: z
    .string()
    .check(
      z.minLength(12, 'must have at least 12 characters'),
      z.maxLength(128, 'must have at most 128 characters'),
    ),
});
export type ChangePasswordRequest = z.infer<typeof changePasswordRequestSchema>;

/** One public key of `GET /identity/.well-known/jwks.json`. */
export const jwkSchema = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string(),
  y: z.string(),
  kid: z.string(),
  alg: z.literal('ES256'),
  use: z.literal('sig'),
});
export type Jwk = z.infer<typeof jwkSchema>;
export const jwksSchema = z.object({ keys: z.array(jwkSchema).check(z.minLength(1)) });
export type Jwks = z.infer<typeof jwksSchema>;

/** Claims of an access token (ES256 JWT). */
export const accessTokenClaimsSchema = z.object({
  iss: z.string(),
  aud: z.string(),
  sub: z.string(),
  sid: z.string(),
  roles: z.array(z.string()),
  jti: z.string(),
  iat: z.number().check(z.int()),
  nbf: z.number().check(z.int()),
  exp: z.number().check(z.int()),
});
export type AccessTokenClaims = z.infer<typeof accessTokenClaimsSchema>;

/** Facade operation `GetUser` (synchronous, IAM-signed). */
export const getUserRequestSchema = z.strictObject({
  userId: z.string().check(z.minLength(1), z.maxLength(64)),
});
export type GetUserRequest = z.infer<typeof getUserRequestSchema>;

/** `GetUser`'s answer: the same user view as `GET /identity/me`. */
export const getUserResponseSchema = meResponseSchema;
export type GetUserResponse = z.infer<typeof getUserResponseSchema>;

/** A user signed up. */
export const UserRegistered = defineEvent(
  'identity',
  'UserRegistered',
  1,
  z.object({
    userId: z.string(),
    email: z.string(),
    displayName: z.string(),
    roles: z.array(z.string()),
  }),
);

/**
 * A session ended (logout; refresh-token reuse revoking the family; "log out everywhere"; a password
 * change ending the other sessions; a role taken away): every access token of `sessionId` must be
 * denied until `tokensValidUntil` (epoch seconds), after which none is valid anyway.
 */
export const SessionRevoked = defineEvent(
  'identity',
  'SessionRevoked',
  1,
  z.object({
    userId: z.string(),
    sessionId: z.string(),
    reason: z.enum(['LOGOUT', 'REFRESH_TOKEN_REUSE', 'LOGOUT_ALL', 'PASSWORD_CHANGED', 'ROLES_CHANGED']),
    tokensValidUntil: z.number().check(z.int(), z.positive()),
  }),
);

/**
 * A user's roles changed (an admin's `PUT /identity/users/{userId}/roles`, or an operator's
 * `npm run identity -- grant-role`). They apply at the user's next token refresh; when a role was
 * taken away, the user's sessions were revoked in the same change (`SessionRevoked`, `ROLES_CHANGED`).
 */
export const RolesChanged = defineEvent(
  'identity',
  'RolesChanged',
  1,
  z.object({
    userId: z.string(),
    roles: z.array(z.string()),
    previousRoles: z.array(z.string()),
    /** The admin's user id, or `operator:<name>` for the operator command. */
    changedBy: z.string().check(z.minLength(1), z.maxLength(128)),
  }),
);
