import { randomBytes, randomUUID } from 'node:crypto';
import {
  type Jwks,
  type LoginRequest,
  SessionRevoked,
  type SignupRequest,
  type TokenPair,
  UserRegistered,
} from '@quanta/contracts/identity';
import { createEnvelope } from '@quanta/runtime/events';
import type { AccessTokenIssuer, SigningKeyRing } from '../domain/AccessTokenIssuer';
import {
  hashToken,
  type RefreshTokenRecord,
  type RevocationReason,
  type SessionRepository,
} from '../domain/Session';
import { type PasswordHasher, rolesFor, type User, type UserRepository } from '../domain/User';
import { InvalidCredentialsError, InvalidRefreshTokenError } from '../errors';

/** Dependencies and settings of {@link IdentityService}. */
interface IdentityServiceOptions {
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly hasher: PasswordHasher;
  readonly tokens: AccessTokenIssuer;
  readonly keyRing: SigningKeyRing;
  /** Refresh-token (and session) lifetime in seconds. */
  readonly refreshTokenTtlSeconds: number;
  /** E-mails that get the admin role at signup. */
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

/**
 * identity's authentication use cases: signup, login, refresh-token rotation with reuse detection,
 * logout and the public JWKS. Depends only on domain ports.
 *
 * @example
 * ```ts
 * const service = new IdentityService({ users, sessions, hasher, tokens, keyRing, refreshTokenTtlSeconds: 2_592_000, adminEmails: [] });
 * const { userId } = await service.signup({ email, password, displayName }, { correlationId });
 * const pair = await service.login({ email, password });
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
  async signup(request: SignupRequest, origin: RequestOrigin): Promise<{ userId: string }> {
    const now = this.#o.now();
    const user: User = {
      userId: this.#o.newId(),
      email: request.email,
      displayName: request.displayName,
      roles: rolesFor(request.email, this.#o.adminEmails),
      passwordHash: await this.#o.hasher.hash(request.password),
      createdAt: now.toISOString(),
    };
    const event = createEnvelope(
      UserRegistered,
      { userId: user.userId, email: user.email, displayName: user.displayName, roles: [...user.roles] },
      { correlationId: origin.correlationId, occurredAt: now },
    );
    await this.#o.users.register(user, event);
    return { userId: user.userId };
  }

  /** Checks the credentials and starts a session; unknown e-mail and wrong password look the same. */
  async login(request: LoginRequest): Promise<TokenPair> {
    const user = await this.#o.users.findByEmail(request.email);
    const valid = await this.#o.hasher.verify(request.password, user?.passwordHash);
    if (user === undefined || !valid) throw new InvalidCredentialsError();
    if (this.#o.hasher.needsRehash(user.passwordHash)) {
      // Parameters were raised since this hash was made; the plain password is only here now.
      await this.#o.users.updatePasswordHash(user.userId, await this.#o.hasher.hash(request.password));
    }
    const now = this.#o.now();
    const sessionId = this.#o.newId();
    const expiresAt = epochSeconds(now) + this.#o.refreshTokenTtlSeconds;
    const refreshToken = this.#o.newRefreshToken();
    await this.#o.sessions.start(
      { sessionId, userId: user.userId, status: 'ACTIVE', createdAt: now.toISOString(), expiresAt },
      this.#refreshRecord(refreshToken, user.userId, sessionId, now, expiresAt),
    );
    return this.#pair(user, sessionId, refreshToken, now);
  }

  /**
   * Exchanges a refresh token for a new pair (rotation). Presenting a token that was already
   * exchanged is reuse: the whole session is revoked (`SessionRevoked`, `REFRESH_TOKEN_REUSE`) and
   * the answer is 401, as for an unknown, expired or revoked token.
   */
  async refresh(refreshToken: string, origin: RequestOrigin): Promise<TokenPair> {
    const now = this.#o.now();
    const current = await this.#o.sessions.findRefreshToken(hashToken(refreshToken));
    if (current === undefined || current.expiresAt <= epochSeconds(now)) throw new InvalidRefreshTokenError();
    if (current.used) {
      await this.#revoke(current.sessionId, current.userId, 'REFRESH_TOKEN_REUSE', now, origin);
      throw new InvalidRefreshTokenError();
    }
    const user = await this.#o.users.findById(current.userId);
    if (user === undefined) throw new InvalidRefreshTokenError();
    const nextToken = this.#o.newRefreshToken();
    const next = this.#refreshRecord(nextToken, current.userId, current.sessionId, now, current.expiresAt);
    const outcome = await this.#o.sessions.rotate(current, next, epochSeconds(now));
    if (outcome === 'TOKEN_ALREADY_USED') {
      // Lost a race with another exchange of the same token: by the rules that is reuse too.
      await this.#revoke(current.sessionId, current.userId, 'REFRESH_TOKEN_REUSE', now, origin);
      throw new InvalidRefreshTokenError();
    }
    if (outcome === 'SESSION_INACTIVE') throw new InvalidRefreshTokenError();
    return this.#pair(user, current.sessionId, nextToken, now);
  }

  /** Ends the caller's session (idempotent) and emits `SessionRevoked` (`LOGOUT`) the first time. */
  async logout(
    caller: { readonly userId: string; readonly sessionId: string },
    origin: RequestOrigin,
  ): Promise<void> {
    await this.#revoke(caller.sessionId, caller.userId, 'LOGOUT', this.#o.now(), origin);
  }

  /** The public signing keys (current and previous). */
  async jwks(): Promise<Jwks> {
    return this.#o.keyRing.publicJwks();
  }

  async #revoke(
    sessionId: string,
    userId: string,
    reason: RevocationReason,
    now: Date,
    origin: RequestOrigin,
  ): Promise<void> {
    // Access tokens of this session issued up to now stay cryptographically valid for one more TTL:
    // that is how long the denylist must hold the session.
    const tokensValidUntil = epochSeconds(now) + this.#o.tokens.ttlSeconds;
    const event = createEnvelope(
      SessionRevoked,
      { userId, sessionId, reason, tokensValidUntil },
      { correlationId: origin.correlationId, occurredAt: now },
    );
    await this.#o.sessions.revoke(sessionId, userId, reason, now, event);
  }

  async #pair(user: User, sessionId: string, refreshToken: string, now: Date): Promise<TokenPair> {
    const { token } = await this.#o.tokens.issue({ userId: user.userId, sessionId, roles: user.roles }, now);
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
