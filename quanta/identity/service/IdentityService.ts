import { randomBytes, randomUUID } from 'node:crypto';
import {
  type ChangePasswordRequest,
  type Jwks,
  type LoginRequest,
  type SignupRequest,
  type TokenPair,
  UserRegistered,
} from '@quanta/contracts/identity';
import { createEnvelope } from '@quanta/runtime/events';
import type { AccessTokenIssuer, SigningKeyRing } from '../domain/AccessTokenIssuer';
import type { AuditLog } from '../domain/Audit';
import { ADMIN_ROLE, type RoleRepository, rolesFor } from '../domain/Roles';
import { hashToken, type RefreshTokenRecord, type SessionRepository } from '../domain/Session';
import type { PasswordHasher, User, UserRepository } from '../domain/User';
import {
  ConcurrentChangeError,
  InvalidCredentialsError,
  InvalidCurrentPasswordError,
  InvalidRefreshTokenError,
  UserNotFoundError,
} from '../errors';
import type { AttemptLimits, AttemptOrigin } from './AttemptLimits';
import type { SessionRevocation } from './SessionRevocation';

/** Dependencies and settings of {@link IdentityService}. */
interface IdentityServiceOptions {
  readonly users: UserRepository;
  readonly roles: RoleRepository;
  readonly sessions: SessionRepository;
  readonly hasher: PasswordHasher;
  readonly tokens: AccessTokenIssuer;
  readonly keyRing: SigningKeyRing;
  /** Brute-force and abuse limits in front of every password check and signup. */
  readonly limits: AttemptLimits;
  /** How sessions end (logout, reuse, log out everywhere, password change). */
  readonly revocation: SessionRevocation;
  readonly audit: AuditLog;
  /** Refresh-token (and session) lifetime in seconds. */
  readonly refreshTokenTtlSeconds: number;
  /** E-mails that get the admin role at signup (local development only; empty in production). */
  readonly adminEmails: readonly string[];
  /** Clock. @default () => new Date() */
  readonly now?: () => Date;
  /** Id generator (users, sessions). @default crypto.randomUUID */
  readonly newId?: () => string;
  /** Opaque refresh-token generator. @default 32 random bytes, base64url */
  readonly newRefreshToken?: () => string;
}

/** Where a request comes from, propagated into the events it causes. */
interface RequestOrigin {
  readonly correlationId: string;
}

/** The authenticated caller of a route (from the authorizer's context). */
interface Caller {
  readonly userId: string;
  readonly sessionId: string;
}

/**
 * identity's authentication use cases: signup, login, refresh-token rotation with reuse detection,
 * logout (one session or all), password change and the public JWKS. Roles are read when a token is
 * issued (login and refresh), so a grant applies at the next refresh. Depends only on domain ports.
 *
 * @example
 * ```ts
 * const service = new IdentityService({ users, roles, sessions, hasher, tokens, keyRing, limits, revocation, audit, refreshTokenTtlSeconds: 2_592_000, adminEmails: [] });
 * const { userId } = await service.signup({ email, password, displayName }, { correlationId, sourceIp });
 * const pair = await service.login({ email, password }, { correlationId, sourceIp });
 * ```
 */
export class IdentityService {
  readonly #o: Required<IdentityServiceOptions>;

  constructor(options: IdentityServiceOptions) {
    this.#o = {
      now: () => new Date(),
      newId: randomUUID,
      newRefreshToken: () => randomBytes(32).toString('base64url'),
      ...options,
    };
  }

  /** Registers a user (`customer`, plus `admin` for configured e-mails) and emits `UserRegistered`. */
  async signup(request: SignupRequest, origin: AttemptOrigin): Promise<{ userId: string }> {
    await this.#o.limits.checkSignup(origin);
    const now = this.#o.now();
    const user: User = {
      userId: this.#o.newId(),
      email: request.email,
      displayName: request.displayName,
      passwordHash: await this.#o.hasher.hash(request.password),
      createdAt: now.toISOString(),
    };
    const roles = rolesFor(request.email, this.#o.adminEmails);
    const event = createEnvelope(
      UserRegistered,
      { userId: user.userId, email: user.email, displayName: user.displayName, roles },
      { correlationId: origin.correlationId, occurredAt: now },
    );
    await this.#o.users.register(user, roles, event);
    if (roles.includes(ADMIN_ROLE)) {
      this.#o.audit.record({
        event: 'identity.roles.changed',
        correlationId: origin.correlationId,
        userId: user.userId,
        roles,
        previousRoles: [],
        changedBy: 'config:quanta:adminEmails',
      });
    }
    return { userId: user.userId };
  }

  /**
   * Checks the credentials and starts a session; unknown e-mail and wrong password look the same,
   * and both count against the account's and the source's limits (429 once they are used up).
   */
  async login(request: LoginRequest, origin: AttemptOrigin): Promise<TokenPair> {
    const check = await this.#o.limits.startPasswordCheck(request.email, 'login', origin);
    const user = await this.#o.users.findByEmail(request.email);
    const valid = await this.#o.hasher.verify(request.password, user?.passwordHash);
    if (user === undefined || !valid) {
      await check.failed(user?.userId);
      throw new InvalidCredentialsError();
    }
    if (this.#o.hasher.needsRehash(user.passwordHash)) {
      // Parameters were raised since this hash was made; the plain password is only here now.
      const rehashed = await this.#o.hasher.hash(request.password);
      await this.#o.users.updatePasswordHash(user.userId, rehashed, user.passwordHash);
    }
    const grant = await this.#o.roles.find(user.userId);
    if (grant === undefined) throw new InvalidCredentialsError();
    const now = this.#o.now();
    const sessionId = this.#o.newId();
    const expiresAt = epochSeconds(now) + this.#o.refreshTokenTtlSeconds;
    const refreshToken = this.#o.newRefreshToken();
    await this.#o.sessions.start(
      { sessionId, userId: user.userId, status: 'ACTIVE', createdAt: now.toISOString(), expiresAt },
      this.#refreshRecord(refreshToken, user.userId, sessionId, now, expiresAt),
    );
    await check.succeeded(user.userId, sessionId);
    return this.#pair(user.userId, grant.roles, sessionId, refreshToken, now);
  }

  /**
   * Exchanges a refresh token for a new pair (rotation), with the user's roles as they are now.
   * Presenting a token that was already exchanged is reuse: the whole session is revoked
   * (`SessionRevoked`, `REFRESH_TOKEN_REUSE`) and the answer is 401, as for an unknown, expired or
   * revoked token.
   */
  async refresh(refreshToken: string, origin: RequestOrigin): Promise<TokenPair> {
    const now = this.#o.now();
    const current = await this.#o.sessions.findRefreshToken(hashToken(refreshToken));
    if (current === undefined || current.expiresAt <= epochSeconds(now)) throw new InvalidRefreshTokenError();
    if (current.used) {
      await this.#o.revocation.revoke(current.sessionId, current.userId, 'REFRESH_TOKEN_REUSE', origin);
      throw new InvalidRefreshTokenError();
    }
    const grant = await this.#o.roles.find(current.userId);
    if (grant === undefined) throw new InvalidRefreshTokenError();
    const nextToken = this.#o.newRefreshToken();
    const next = this.#refreshRecord(nextToken, current.userId, current.sessionId, now, current.expiresAt);
    const outcome = await this.#o.sessions.rotate(current, next, epochSeconds(now));
    if (outcome === 'TOKEN_ALREADY_USED') {
      // Lost a race with another exchange of the same token: by the rules that is reuse too.
      await this.#o.revocation.revoke(current.sessionId, current.userId, 'REFRESH_TOKEN_REUSE', origin);
      throw new InvalidRefreshTokenError();
    }
    if (outcome === 'SESSION_INACTIVE') throw new InvalidRefreshTokenError();
    return this.#pair(current.userId, grant.roles, current.sessionId, nextToken, now);
  }

  /** Ends the caller's session (idempotent) and emits `SessionRevoked` (`LOGOUT`) the first time. */
  async logout(caller: Caller, origin: RequestOrigin): Promise<void> {
    await this.#o.revocation.revoke(caller.sessionId, caller.userId, 'LOGOUT', origin);
  }

  /** "Log out everywhere": ends every session of the caller, this one included (`LOGOUT_ALL`). */
  async logoutAll(caller: Caller, origin: RequestOrigin): Promise<void> {
    await this.#o.revocation.revokeAll(caller.userId, 'LOGOUT_ALL', origin);
  }

  /**
   * Replaces the caller's password after checking the current one (which counts against the
   * account's limit like a login), then ends every other session of the caller (`PASSWORD_CHANGED`);
   * the caller's own session stays.
   */
  async changePassword(caller: Caller, request: ChangePasswordRequest, origin: AttemptOrigin): Promise<void> {
    const user = await this.#o.users.findById(caller.userId);
    if (user === undefined) throw new UserNotFoundError(caller.userId);
    const check = await this.#o.limits.startPasswordCheck(user.email, 'password-change', origin);
    if (!(await this.#o.hasher.verify(request.currentPassword, user.passwordHash))) {
      await check.failed(user.userId);
      throw new InvalidCurrentPasswordError();
    }
    await check.succeeded(user.userId, caller.sessionId);
    const hash = await this.#o.hasher.hash(request.newPassword);
    if (!(await this.#o.users.updatePasswordHash(user.userId, hash, user.passwordHash))) {
      throw new ConcurrentChangeError(`The password of user ${user.userId} changed meanwhile; try again`);
    }
    this.#o.audit.record({
      event: 'identity.password.changed',
      correlationId: origin.correlationId,
      userId: user.userId,
      sessionId: caller.sessionId,
      sourceIp: origin.sourceIp,
    });
    await this.#o.revocation.revokeAll(user.userId, 'PASSWORD_CHANGED', origin, { except: caller.sessionId });
  }

  /** The public signing keys (current and previous). */
  async jwks(): Promise<Jwks> {
    return this.#o.keyRing.publicJwks();
  }

  async #pair(
    userId: string,
    roles: readonly string[],
    sessionId: string,
    refreshToken: string,
    now: Date,
  ): Promise<TokenPair> {
    const { token } = await this.#o.tokens.issue({ userId, sessionId, roles }, now);
    return { accessToken: token, refreshToken, tokenType: 'Bearer', expiresIn: this.#o.tokens.ttlSeconds };
  }

  #refreshRecord(
    token: string,
    userId: string,
    sessionId: string,
    now: Date,
    expiresAt: number,
  ): RefreshTokenRecord {
    return {
      tokenHash: hashToken(token),
      userId,
      sessionId,
      issuedAt: now.toISOString(),
      expiresAt,
      used: false,
    };
  }
}

function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
